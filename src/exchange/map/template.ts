// Element trees whose leaves are expressions or literals (call bodies, replies, context), compiled once.
import { compileExpression, evaluateField, ExpressionSyntaxError, type Expression, type ExpressionLimits } from './expression.js';
import type { OperationInfo } from '../../ingress/wsdl-service.js';
import type { ProblemList } from './problems.js';
import { positionInScalar, type SourceNode } from './yaml-source.js';

export type Template =
  | { readonly kind: 'expr'; readonly expr: Expression; readonly field: string; readonly node: SourceNode }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Template])[] }
  | { readonly kind: 'seq'; readonly items: readonly Template[] };

export interface CompileContext {
  readonly file: string;
  readonly limits: ExpressionLimits;
  readonly problems: ProblemList;
  /** Operations per SOAP service from the WSDLs, when known. */
  readonly knownOperations?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** The operation a SOAP mapping answers, from the WSDLs (its reply schema), when known. */
  readonly operationOf?: ((posSystem: string, service: string, operation: string) => OperationInfo | undefined) | undefined;
  /** The mapping's own `let:` names, readable as $name in its expressions. */
  readonly variables?: readonly string[] | undefined;
  /** `let:` names whose expression converts with $cents or $minor (allowed in SensePass money fields). */
  readonly moneyVariables?: readonly string[] | undefined;
}

/** Compiles one expression scalar, reporting syntax errors at their line and column. */
export function compileScalar(ctx: CompileContext, node: SourceNode, field: string): Expression | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    ctx.problems.error(ctx.file, node.pos, `${field}: expected an expression in quotes, e.g. "TerminalId"`);
    return undefined;
  }
  if (node.value.trim() === '') {
    ctx.problems.error(ctx.file, node.pos, `${field}: the expression is empty; write a JSONata expression or a quoted literal like "'text'"`);
    return undefined;
  }
  try {
    return compileExpression(node.value, ctx.limits);
  } catch (err) {
    if (!(err instanceof ExpressionSyntaxError)) throw err;
    ctx.problems.error(
      ctx.file,
      positionInScalar(node, err.offset),
      `${field}: expression syntax error at character ${err.offset + 1}: ${err.message}`,
    );
    return undefined;
  }
}

/** Strings are expressions; numbers, booleans and null are literals; maps and lists nest. */
export function compileTemplate(ctx: CompileContext, node: SourceNode, field: string): Template | undefined {
  if (node.kind === 'map') {
    const entries: [string, Template][] = [];
    for (const e of node.entries) {
      const t = compileTemplate(ctx, e.value, `${field}.${e.key}`);
      if (t !== undefined) entries.push([e.key, t]);
    }
    return Object.freeze({ kind: 'map', entries: Object.freeze(entries) });
  }
  if (node.kind === 'seq') {
    const items = node.items.map((n, i) => compileTemplate(ctx, n, `${field}[${i}]`)).filter((t) => t !== undefined);
    return Object.freeze({ kind: 'seq', items: Object.freeze(items) });
  }
  if (typeof node.value === 'string') {
    const expr = compileScalar(ctx, node, field);
    return expr === undefined ? undefined : Object.freeze({ kind: 'expr', expr, field, node });
  }
  return Object.freeze({ kind: 'literal', value: node.value });
}

/** Overlays `over` on `base`: maps merge key by key, anything else replaces; a null literal removes the element. */
export function overlay(base: Template, over: Template): Template {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries = new Map<string, Template>(base.entries);
  for (const [k, v] of over.entries) {
    const b = entries.get(k);
    entries.set(k, b === undefined ? v : overlay(b, v));
  }
  return Object.freeze({ kind: 'map', entries: Object.freeze([...entries]) });
}

/** Evaluates a tree; elements whose value is undefined or null are left out. */
export async function evaluateTemplate(
  t: Template,
  input: unknown,
  bindings: Readonly<Record<string, unknown>>,
  mapping: string,
): Promise<unknown> {
  switch (t.kind) {
    case 'literal':
      return t.value === null ? undefined : t.value;
    case 'expr':
      return evaluateField(t.expr, input, bindings, { mapping, field: t.field });
    case 'seq': {
      const out: unknown[] = [];
      for (const item of t.items) {
        const v = await evaluateTemplate(item, input, bindings, mapping);
        if (v !== undefined && v !== null) out.push(v);
      }
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of t.entries) {
        const value = await evaluateTemplate(v, input, bindings, mapping);
        if (value !== undefined && value !== null) out[k] = value;
      }
      return out;
    }
  }
}

/** Every expression in a tree, with the key it sits under. */
export function* expressionsIn(t: Template, key = ''): Generator<{ key: string; t: Extract<Template, { kind: 'expr' }> }> {
  if (t.kind === 'expr') yield { key, t };
  if (t.kind === 'seq') for (const item of t.items) yield* expressionsIn(item, key);
  if (t.kind === 'map') for (const [k, v] of t.entries) yield* expressionsIn(v, k);
}
