// Checks a mapping's reply trees against the WSDL element they answer with: names (case-sensitive, with "did you
// mean"), required elements, literal values and known upstream fields against each element's XSD type — at load,
// so a mistake stops `check` instead of faulting after the customer paid.
import type jsonata from 'jsonata';
import { didYouMean } from '../../did-you-mean.js';
import { isRepeated, type ElementDecl, type SimpleTypeDef } from '../../ingress/wsdl-schema-model.js';
import { formatSimple } from '../../ingress/wsdl-simple-types.js';
import { compileExpression } from './expression.js';
import type { CompileContext } from './template.js';
import { guessValues } from './value-guess.js';
import type { Position, SourceEntry, SourceNode } from './yaml-source.js';

export interface ReplyCheck {
  /** The operation's output element (e.g. SaleResponse). */
  readonly output: ElementDecl;
  /** `let:` bindings by name, so `$name` is typed like its expression. */
  readonly lets: ReadonlyMap<string, jsonata.ExprNode>;
}

/**
 * Checks one reply tree (`reply`, a `when` entry or `errors`). `base` is the reply it overlays (undefined for
 * `reply` itself); required elements are checked on the overlaid result.
 */
export function checkReplyTree(ctx: CompileContext, c: ReplyCheck, where: string, node: SourceNode, at: Position, base?: SourceNode): void {
  if (node.kind !== 'map' || c.output.type.kind !== 'complex') return;
  checkChildren(ctx, c, where, c.output, node, at, base);
}

function checkChildren(
  ctx: CompileContext, c: ReplyCheck, where: string, parent: ElementDecl, node: SourceNode & { kind: 'map' }, at: Position,
  base: SourceNode | undefined,
): void {
  if (parent.type.kind !== 'complex') return;
  const children = parent.type.sequence;
  const names = children.map((d) => d.name);
  for (const e of node.entries) {
    const decl = children.find((d) => d.name === e.key);
    if (decl === undefined) {
      reportUnknown(ctx, where, parent, e, names);
      continue;
    }
    const baseChild = base?.kind === 'map' ? base.entries.find((b) => b.key === e.key)?.value : undefined;
    checkValue(ctx, c, `${where}.${e.key}`, decl, e.value, e.keyPos, baseChild);
  }
  const present = new Set<string>();
  const removed = new Set<string>();
  for (const e of node.entries) (isNull(e.value) ? removed : present).add(e.key);
  if (base?.kind === 'map') for (const b of base.entries) if (!isNull(b.value) && !removed.has(b.key)) present.add(b.key);
  for (const decl of children) {
    if (decl.minOccurs < 1 || present.has(decl.name)) continue;
    // An overlay reports only what it removes itself; what the base reply lacks is reported on the base.
    if (base !== undefined && !removed.has(decl.name)) continue;
    ctx.problems.error(
      ctx.file, at,
      `${where}: ${parent.name} requires element ${decl.name} (${typeName(decl)}), which is never produced; ` +
        `add ${decl.name}: ${exampleFor(decl)}`,
    );
  }
}

function reportUnknown(ctx: CompileContext, where: string, parent: ElementDecl, e: SourceEntry, names: readonly string[]): void {
  const sameLetters = names.find((n) => n.toLowerCase() === e.key.toLowerCase());
  const hint = sameLetters !== undefined
    ? `; element names are case-sensitive: write ${sameLetters}`
    : didYouMean(e.key, names) || ` (its elements: ${names.join(', ') || 'none'})`;
  ctx.problems.error(ctx.file, e.keyPos, `${where}: ${parent.name} has no element "${e.key}"${hint}`);
}

function checkValue(
  ctx: CompileContext, c: ReplyCheck, where: string, decl: ElementDecl, value: SourceNode, keyPos: Position,
  base: SourceNode | undefined,
): void {
  if (value.kind === 'seq') {
    if (!isRepeated(decl)) {
      ctx.problems.error(ctx.file, value.pos, `${where}: ${decl.name} occurs at most once; give one value, not a list`);
      return;
    }
    for (const item of value.items) checkValue(ctx, c, where, { ...decl, maxOccurs: 1 }, item, item.pos, undefined);
    return;
  }
  if (decl.type.kind === 'complex') {
    if (value.kind === 'map') checkChildren(ctx, c, where, decl, value, keyPos, base);
    else if (value.kind === 'scalar' && value.value !== null && typeof value.value !== 'string') {
      ctx.problems.error(ctx.file, value.pos, `${where}: ${decl.name} has child elements; give a map of them, e.g. ${decl.name}: { ${firstChild(decl)} }`);
    } else if (value.kind === 'scalar' && typeof value.value === 'string') {
      const scalarGuess = guessesOf(ctx, value.value, c.lets)[0];
      if (scalarGuess !== undefined) {
        ctx.problems.error(ctx.file, value.pos, `${where}: ${decl.name} has child elements but ${scalarGuess.what} is a single value; give a map, e.g. ${decl.name}: { ${firstChild(decl)} }`);
      }
    }
    return;
  }
  // xsd:any / DataSet content is carried as an opaque XML string: nothing to type-check at load.
  if (decl.type.kind === 'opaque') return;
  if (decl.minOccurs >= 1 && value.kind === 'scalar' && typeof value.value === 'string' && mayGiveNothing(ctx, value.value)) {
    ctx.problems.error(ctx.file, value.pos, `${where}: ${decl.name} is required, but this expression gives nothing when its condition is false; add an else branch ("condition ? a : b")`);
  }
  const type = decl.type;
  if (value.kind === 'map') {
    ctx.problems.error(ctx.file, value.pos, `${where}: ${decl.name} is a ${typeName(decl)} value, not a group of elements; write one expression`);
    return;
  }
  if (value.value === null) return;
  if (typeof value.value !== 'string') {
    const fit = formatSimple(type, value.value);
    if (!fit.ok) {
      ctx.problems.error(ctx.file, value.pos, `${where}: ${String(value.value)} ${fit.reason} (${decl.name} is ${typeName(decl)}); ${allowedHint(type) || 'write a value the element accepts'}`);
    }
    return;
  }
  for (const g of guessesOf(ctx, value.value, c.lets)) {
    const fit = formatSimple(type, g.sample);
    if (fit.ok) continue;
    const allowed = allowedHint(type, typeof g.sample === 'string' ? g.sample : undefined);
    ctx.problems.error(ctx.file, value.pos, `${where}: ${g.what} does not fit ${decl.name} (${typeName(decl)}): it ${fit.reason}; ${allowed || g.fix}`);
  }
}

/** `cond ? a` with no else: nothing when cond is false (a required element would then be missing). */
function mayGiveNothing(ctx: CompileContext, source: string): boolean {
  try {
    const ast = compileExpression(source, ctx.limits).ast as jsonata.ExprNode & { else?: unknown };
    return (ast.type as string) === 'condition' && ast.else === undefined;
  } catch {
    return false;
  }
}

function guessesOf(ctx: CompileContext, source: string, lets: ReadonlyMap<string, jsonata.ExprNode>) {
  try {
    return guessValues(compileExpression(source, ctx.limits).ast, lets);
  } catch {
    return []; // syntax errors are reported where the expression is compiled
  }
}

function allowedHint(type: SimpleTypeDef, text?: string): string {
  const allowed = type.facets.enumeration;
  if (allowed === undefined) return '';
  const near = text === undefined ? '' : didYouMean(text, allowed);
  return `allowed values: ${allowed.join(', ')}${near}`;
}

export function typeName(decl: ElementDecl): string {
  const t = decl.type;
  if (t.kind === 'complex') return `complex type ${t.name}`;
  if (t.kind === 'opaque') return `opaque XML (${t.name})`;
  return t.name === t.builtin ? `xs:${t.builtin}` : `${t.name}, based on xs:${t.builtin}`;
}

function exampleFor(decl: ElementDecl): string {
  const t = decl.type;
  if (t.kind === 'complex') return `{ ${firstChild(decl)} }`;
  if (t.kind === 'opaque') return `"$xml(…)"`;
  const first = t.facets.enumeration?.[0];
  if (first !== undefined) return `"'${first}'"`;
  if (t.valueKind === 'integer') return '0';
  if (t.valueKind === 'decimal') return '"$decimal(…)"';
  if (t.valueKind === 'boolean') return 'true';
  return `"'text'"`;
}

function firstChild(decl: ElementDecl): string {
  const child = decl.type.kind === 'complex' ? decl.type.sequence[0] : undefined;
  return child === undefined ? '' : `${child.name}: …`;
}

function isNull(node: SourceNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}
