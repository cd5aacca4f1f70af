// Converts fast-xml-parser's ordered output into XmlElement: iteratively, with scoped namespace resolution,
// element names taken from the pre-scan (fast-xml-parser renames some), and null-prototype attribute records.
import { gwError } from '../errors.js';
import { attributeValue, decodeReferences } from './xml-chars.js';
import type { XmlElement } from './xml-tree.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const ATTR_PREFIX = '@_';
type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

interface Building {
  readonly name: string;
  readonly local: string;
  readonly ns: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

interface Frame {
  readonly el: Building;
  readonly items: readonly unknown[];
  readonly scope: Scope;
  i: number;
}

export function buildTree(ordered: unknown, names: readonly string[]): XmlElement {
  const top = Array.isArray(ordered) ? ordered.filter((n) => elementKey(n) !== undefined) : [];
  if (top.length !== 1) throw malformed('expected one root element');
  let next = 0;
  const open = (node: unknown, parent: Scope): Frame => {
    const name = names[next++];
    const key = elementKey(node);
    // fast-xml-parser prefixes names such as "toString" with "__"; the pre-scan's name is authoritative.
    if (name === undefined || key === undefined || (key !== name && key !== `__${name}`)) throw malformed('parser divergence');
    const rec = node as Record<string, unknown>;
    const rawAttrs = isRecord(rec[':@']) ? rec[':@'] : {};
    const scope = declare(rawAttrs, parent);
    const { local, ns } = resolve(name, scope, true);
    const items = rec[key];
    const el: Building = { name, local, ns, attrs: attributes(rawAttrs, scope), children: [], text: '' };
    return { el, items: Array.isArray(items) ? items : [], scope, i: 0 };
  };

  const root = open(top[0], ROOT_SCOPE);
  const stack: Frame[] = [root];
  const texts: string[][] = [[]];
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as Frame;
    const parts = texts[texts.length - 1] as string[];
    if (f.i >= f.items.length) {
      f.el.text = parts.join('');
      stack.pop();
      texts.pop();
      continue;
    }
    const item = f.items[f.i++];
    if (!isRecord(item)) throw malformed('unexpected parser output');
    if (Object.hasOwn(item, '#text')) parts.push(decodeReferences(String(item['#text'])));
    else if (Object.hasOwn(item, '#cdata')) parts.push(cdataText(item['#cdata']));
    else {
      const child = open(item, f.scope);
      f.el.children.push(child.el);
      stack.push(child);
      texts.push([]);
    }
  }
  if (next !== names.length) throw malformed('parser divergence');
  return root.el;
}

/** New scope when the element declares namespaces (copy on write), else the parent's. */
function declare(rawAttrs: Record<string, unknown>, parent: Scope): Scope {
  let scope: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(rawAttrs)) {
    const qname = key.slice(ATTR_PREFIX.length);
    if (qname !== 'xmlns' && !qname.startsWith('xmlns:')) continue;
    const prefix = qname === 'xmlns' ? '' : qname.slice(6);
    const uri = attributeValue(String(value));
    if (prefix === 'xmlns' || uri === XMLNS_NS) throw malformed('xmlns cannot be declared');
    if ((prefix === 'xml') !== (uri === XML_NS)) throw malformed('xml prefix misuse');
    if (prefix !== '' && uri === '') throw malformed('prefix undeclared with an empty URI'); // XML 1.0 namespaces
    scope ??= new Map(parent);
    scope.set(prefix, uri);
  }
  return scope ?? parent;
}

function resolve(qname: string, scope: Scope, isElement: boolean): { local: string; ns: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { local: qname, ns: isElement ? (scope.get('') ?? '') : '' };
  const prefix = qname.slice(0, colon);
  if (prefix === 'xmlns') throw malformed('xmlns prefix on an element');
  const ns = scope.get(prefix);
  if (ns === undefined || ns === '') throw malformed('undeclared namespace prefix');
  return { local: qname.slice(colon + 1), ns };
}

function attributes(rawAttrs: Record<string, unknown>, scope: Scope): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  const expanded = new Set<string>();
  for (const [key, value] of Object.entries(rawAttrs)) {
    const qname = key.slice(ATTR_PREFIX.length);
    if (qname === 'xmlns' || qname.startsWith('xmlns:')) continue;
    const { local, ns } = resolve(qname, scope, false);
    const id = `${ns}\u0000${local}`;
    if (expanded.has(id)) throw malformed('duplicate expanded attribute');
    expanded.add(id);
    out[qname] = attributeValue(String(value));
  }
  return out;
}

function cdataText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((v) => (isRecord(v) && Object.hasOwn(v, '#text') ? String(v['#text']) : '')).join('');
}

function elementKey(node: unknown): string | undefined {
  if (!isRecord(node)) return undefined;
  const keys = Object.keys(node).filter((k) => k !== ':@');
  const key = keys[0];
  return keys.length === 1 && key !== undefined && key !== '#text' && key !== '#cdata' && !key.startsWith('?') ? key : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(reason: string) {
  return gwError('GW_INGRESS_MALFORMED_XML', {}, new Error(reason));
}
