// Types a body element by its schema: sequence order and occurrence checked, strings stay strings, integers and
// booleans become numbers and booleans, decimals stay exact strings, repeated elements are always arrays.
import { gwError } from '../errors.js';
import type { XmlElement } from './xml-tree.js';
import { isRepeated, type ComplexTypeDef, type ElementDecl } from './wsdl-schema-model.js';
import { parseSimple } from './wsdl-simple-types.js';
import { serializeChildren } from './xml-serialize.js';

/** The element's content as a plain value, or GW_SCHEMA_VIOLATION naming the element (never echoing its value). */
export function typeElement(decl: ElementDecl, el: XmlElement, path: string): unknown {
  if (isNil(el)) {
    if (!decl.nillable) throw violation(`${path} is nil but not nillable`);
    return null;
  }
  if (decl.type.kind === 'complex') return typeComplex(decl.type, el, path);
  // xsd:any / DataSet content: handed to the mapping as XML text ($parseXml reads it), never typed or dropped.
  if (decl.type.kind === 'opaque') return serializeChildren(el);
  if (el.children.length > 0) throw violation(`${path} must not contain elements`);
  const typed = parseSimple(decl.type, el.text);
  if (!typed.ok) throw violation(`${path} ${typed.reason}`);
  return typed.value;
}

function typeComplex(type: ComplexTypeDef, el: XmlElement, path: string): Record<string, unknown> {
  if (el.text.trim() !== '') throw violation(`${path} must not contain text`);
  const out: Record<string, unknown> = {};
  const counts = new Array<number>(type.sequence.length).fill(0);
  let at = 0;
  for (const child of el.children) {
    // The first particle from here on that accepts this child; particles skipped on the way must be satisfied.
    let next = at;
    while (next < type.sequence.length && !accepts(type.sequence[next], counts[next] ?? 0, child)) next += 1;
    const decl = type.sequence[next];
    if (decl === undefined) throw violation(unexpected(type, child, path));
    for (; at < next; at += 1) requireSatisfied(type.sequence[at], counts[at] ?? 0, path);
    const index = counts[at] ?? 0;
    counts[at] = index + 1;
    const childPath = `${path}/${decl.name}${isRepeated(decl) ? `[${index + 1}]` : ''}`;
    const value = typeElement(decl, child, childPath);
    if (isRepeated(decl)) ((out[decl.name] ??= []) as unknown[]).push(value);
    else out[decl.name] = value;
  }
  for (; at < type.sequence.length; at += 1) requireSatisfied(type.sequence[at], counts[at] ?? 0, path);
  // A repeated element is an array even when it is absent, so mappings never test "one or many".
  for (const decl of type.sequence) if (isRepeated(decl) && out[decl.name] === undefined) out[decl.name] = [];
  return out;
}

function accepts(decl: ElementDecl | undefined, count: number, child: XmlElement): boolean {
  return decl !== undefined && decl.name === child.local && decl.ns === child.ns && count < decl.maxOccurs;
}

function requireSatisfied(decl: ElementDecl | undefined, count: number, path: string): void {
  if (decl !== undefined && count < decl.minOccurs) {
    throw violation(count === 0 ? `missing required element ${path}/${decl.name}` : `${path}/${decl.name} must occur at least ${decl.minOccurs} times`);
  }
}

function unexpected(type: ComplexTypeDef, child: XmlElement, path: string): string {
  const name = child.local.slice(0, 64);
  const sameName = type.sequence.find((d) => d.name === child.local);
  if (sameName === undefined) return `unexpected element ${name} in ${path}`;
  if (sameName.ns !== child.ns) return `element ${path}/${name} must be in namespace ${sameName.ns === '' ? '(none)' : sameName.ns}`;
  return `element ${path}/${name} is out of order or occurs too often`;
}

function isNil(el: XmlElement): boolean {
  for (const [name, value] of Object.entries(el.attrs)) {
    if ((name === 'nil' || name.endsWith(':nil')) && (value.trim() === 'true' || value.trim() === '1')) return true;
  }
  return false;
}

function violation(detail: string) {
  return gwError('GW_SCHEMA_VIOLATION', { detail });
}
