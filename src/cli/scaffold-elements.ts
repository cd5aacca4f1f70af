// What `scaffold` writes as comments: every element of a request or reply, as the dotted path a mapping
// expression reads it by, with its XSD type and occurrence, so the author never has to open the WSDL.
import type { ElementDecl, SimpleTypeDef, TypeDef } from '../ingress/wsdl-schema-model.js';

export interface ElementLine {
  /** Dotted path from the operation element, e.g. `Items.Item.Name` (what a JSONata expression writes). */
  readonly path: string;
  readonly decl: ElementDecl;
  /** Depth below the operation element (0 = a direct child). */
  readonly depth: number;
}

/** Recursive schemas (a type containing itself) are listed this deep and no deeper. */
const MAX_DEPTH = 6;

/** Every element under `root`, depth first in schema order. */
export function elementLines(root: ElementDecl): ElementLine[] {
  const out: ElementLine[] = [];
  const visit = (type: TypeDef, prefix: string, depth: number, seen: ReadonlySet<TypeDef>): void => {
    if (type.kind !== 'complex' || depth >= MAX_DEPTH || seen.has(type)) return;
    const inside = new Set(seen).add(type);
    for (const decl of type.sequence) {
      const p = prefix === '' ? jsonataName(decl.name) : `${prefix}.${jsonataName(decl.name)}`;
      out.push({ path: p, decl, depth });
      visit(decl.type, p, depth + 1, inside);
    }
  };
  visit(root.type, '', 0, new Set());
  return out;
}

/** A name as a JSONata path step: `Order-Id` would be a subtraction, so such names go in backticks. */
export function jsonataName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

/** `string, required` · `decimal (Money), optional` · `complex (LineItem), 0..unbounded: an array`. */
export function describe(decl: ElementDecl): string {
  return `${typeText(decl.type)}, ${occurs(decl)}${decl.nillable ? ', nillable' : ''}`;
}

/** The comment block: one line per element, paths aligned. */
export function commentBlock(title: string, root: ElementDecl): string[] {
  const lines = elementLines(root);
  if (lines.length === 0) return [`# ${title}: no child elements`];
  const width = Math.min(40, Math.max(...lines.map((l) => l.path.length + l.depth * 2)));
  return [
    `# ${title}:`,
    ...lines.map((l) => `#   ${`${'  '.repeat(l.depth)}${l.path}`.padEnd(width)}  ${describe(l.decl)}`),
  ];
}

function typeText(type: TypeDef): string {
  if (type.kind === 'complex') return type.name === '' ? 'complex' : `complex (${type.name})`;
  if (type.kind === 'opaque') return `opaque XML (${type.name}): build it with $xml(…)`;
  const named = type.name !== '' && type.name !== type.builtin ? `${type.builtin} (${type.name})` : type.builtin;
  const facets = facetText(type);
  return facets === '' ? named : `${named} ${facets}`;
}

function facetText(type: SimpleTypeDef): string {
  const f = type.facets;
  const parts: string[] = [];
  if (f.enumeration !== undefined) parts.push(`one of ${f.enumeration.slice(0, 12).join('|')}${f.enumeration.length > 12 ? '|…' : ''}`);
  if (f.length !== undefined) parts.push(`length ${f.length}`);
  if (f.minLength !== undefined) parts.push(`min length ${f.minLength}`);
  if (f.maxLength !== undefined) parts.push(`max length ${f.maxLength}`);
  if (f.totalDigits !== undefined) parts.push(`${f.totalDigits} digits`);
  if (f.fractionDigits !== undefined) parts.push(`${f.fractionDigits} decimals`);
  // A built-in's own range (int: ±2147483647) says nothing the type name does not; a restriction's bounds do.
  const bounded = type.name !== type.builtin;
  if (bounded && f.minInclusive !== undefined) parts.push(`>= ${f.minInclusive}`);
  if (bounded && f.minExclusive !== undefined) parts.push(`> ${f.minExclusive}`);
  if (bounded && f.maxInclusive !== undefined) parts.push(`<= ${f.maxInclusive}`);
  if (bounded && f.maxExclusive !== undefined) parts.push(`< ${f.maxExclusive}`);
  if (f.patterns !== undefined && f.patterns.length > 0) parts.push(`pattern ${f.patterns.map((p) => patternText(p)).join(' or ')}`);
  return parts.length === 0 ? '' : `[${parts.join(', ')}]`;
}

/** The XSD pattern as written: the compiled RegExp wraps it in ^(?:(?: … ))$. */
function patternText(p: RegExp): string {
  return p.source.replace(/^\^\(\?:\(\?:(.*)\)\)\$$/, '$1');
}

function occurs(decl: ElementDecl): string {
  const max = decl.maxOccurs === Infinity ? 'unbounded' : String(decl.maxOccurs);
  if (decl.maxOccurs > 1) return `${decl.minOccurs}..${max}: an array, even with one item`;
  return decl.minOccurs === 0 ? 'optional' : 'required';
}
