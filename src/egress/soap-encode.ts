// Handler value → `<OperationResponse>` in a SOAP envelope, ordered and namespaced by the schema and type-checked
// against it, so a mapping mistake becomes a server fault instead of a reply the POS cannot read.
import { gwError } from '../errors.js';
import { isRepeated, type ComplexTypeDef, type ElementDecl } from '../ingress/wsdl-schema-model.js';
import { formatSimple } from '../ingress/wsdl-simple-types.js';
import { parseXml } from '../ingress/xml-parse.js';
import type { XmlLimits } from '../ingress/xml-tree.js';
import type { SoapService, SoapVersion } from '../ingress/wsdl-service.js';
import { escapeAttr, escapeText } from './xml-escape.js';
import { envelope } from './soap-envelope-xml.js';

export { encodeSoapFault } from './soap-fault.js';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const OPAQUE_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 100_000, maxAttributes: 64, maxTextLength: 1_000_000 };

interface Naming {
  /** Element name as written for a namespace ('' prefix = default namespace or none). */
  readonly prefixOf: ReadonlyMap<string, string>;
  readonly declarations: string;
}

const namingCache = new WeakMap<ElementDecl, Naming>();

/** The SOAP envelope answering `operation` with `value`; GW_SCHEMA_REPLY_INVALID when value does not fit the schema. */
export function encodeSoapReply(service: SoapService, operation: string, value: Readonly<Record<string, unknown>>, version: SoapVersion): string {
  const op = service.operations.get(operation);
  if (op === undefined) throw invalid(`the service has no operation ${operation}`);
  const naming = namingFor(op.output);
  const parts: string[] = [];
  writeElement(op.output, value, op.output.name, naming, parts, naming.declarations);
  return envelope(version, parts.join(''));
}

function writeElement(decl: ElementDecl, value: unknown, path: string, naming: Naming, out: string[], extraAttrs = ''): void {
  const prefix = naming.prefixOf.get(decl.ns) ?? '';
  const tag = prefix === '' ? decl.name : `${prefix}:${decl.name}`;
  if (value === null) {
    out.push(`<${tag}${extraAttrs} xsi:nil="true" xmlns:xsi="${XSI_NS}"/>`);
    return;
  }
  if (decl.type.kind === 'simple') {
    const lexical = formatSimple(decl.type, value);
    if (!lexical.ok) throw invalid(`${path} ${lexical.reason}`);
    out.push(`<${tag}${extraAttrs}>${escapeText(lexical.text)}</${tag}>`);
    return;
  }
  if (decl.type.kind === 'opaque') {
    out.push(`<${tag}${extraAttrs}>${opaqueContent(value, path)}</${tag}>`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${path} must be an object`);
  out.push(`<${tag}${extraAttrs}>`);
  writeSequence(decl.type, value as Record<string, unknown>, path, naming, out);
  out.push(`</${tag}>`);
}

function writeSequence(type: ComplexTypeDef, value: Record<string, unknown>, path: string, naming: Naming, out: string[]): void {
  const known = new Set(type.sequence.map((d) => d.name));
  const stray = Object.keys(value).find((k) => !known.has(k) && value[k] !== undefined);
  if (stray !== undefined) throw invalid(`${path} has no element ${stray.slice(0, 64)}`);
  for (const decl of type.sequence) {
    const raw = Object.hasOwn(value, decl.name) ? value[decl.name] : undefined;
    // null only means xsi:nil where the schema allows it; otherwise it is simply "absent".
    const items = raw === undefined || (raw === null && !decl.nillable) ? [] : Array.isArray(raw) ? raw : [raw];
    if (Array.isArray(raw) && !isRepeated(decl)) throw invalid(`${path}/${decl.name} is not a repeated element`);
    if (items.length < decl.minOccurs) throw invalid(`${path}/${decl.name} is required`);
    if (items.length > decl.maxOccurs) throw invalid(`${path}/${decl.name} may occur at most ${decl.maxOccurs} times`);
    items.forEach((item, i) => writeElement(decl, item, `${path}/${decl.name}${isRepeated(decl) ? `[${i + 1}]` : ''}`, naming, out));
  }
}

/** One namespace → default namespace on the wrapper (as .NET services write it); several → one prefix each. */
function namingFor(root: ElementDecl): Naming {
  const cached = namingCache.get(root);
  if (cached !== undefined) return cached;
  const namespaces = new Set<string>();
  collect(root, namespaces, new Set());
  const list = [...namespaces];
  let naming: Naming;
  if (list.length === 1 && list[0] !== '') {
    naming = { prefixOf: new Map([[list[0] ?? '', '']]), declarations: ` xmlns="${escapeAttr(list[0] ?? '')}"` };
  } else {
    const named = list.filter((ns) => ns !== '');
    const prefixOf = new Map(named.map((ns, i) => [ns, `r${i}`] as const));
    naming = { prefixOf, declarations: named.map((ns, i) => ` xmlns:r${i}="${escapeAttr(ns)}"`).join('') };
  }
  namingCache.set(root, naming);
  return naming;
}

function collect(decl: ElementDecl, into: Set<string>, seen: Set<ComplexTypeDef>): void {
  into.add(decl.ns);
  if (decl.type.kind !== 'complex' || seen.has(decl.type)) return;
  seen.add(decl.type);
  for (const child of decl.type.sequence) collect(child, into, seen);
}

/** xsd:any content from a mapping: XML text written as it is, once it parses as a fragment with declared prefixes. */
function opaqueContent(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(`${path} carries XML content: give it an XML string (e.g. from $xml)`);
  try {
    parseXml(`<fragment>${value}</fragment>`, OPAQUE_LIMITS);
  } catch {
    throw invalid(`${path} is not a well-formed XML fragment`);
  }
  return value;
}

function invalid(detail: string) {
  return gwError('GW_SCHEMA_REPLY_INVALID', { detail });
}
