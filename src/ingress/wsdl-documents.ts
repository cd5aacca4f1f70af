// The WSDL and its imported XSD files as served at ?wsdl / ?xsd=<name>: read and checked once at start-up,
// kept as templates whose addresses and schemaLocations are filled with the URL each client used.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeAttr } from '../egress/xml-escape.js';
import { isGatewayError } from '../errors.js';
import type { XmlElement, XmlLimits } from './xml-tree.js';
import { parseXml } from './xml-parse.js';

type Segment = string | { readonly kind: 'address' } | { readonly kind: 'xsd'; readonly name: string };

export interface DocumentTemplate {
  readonly name: string;
  readonly segments: readonly Segment[];
}

export interface WsdlDocuments {
  readonly wsdl: DocumentTemplate;
  /** Imported/included schema files by file name (the `?xsd=` value). */
  readonly xsd: ReadonlyMap<string, DocumentTemplate>;
  /** The WSDL parsed once, for reading bindings and ports (values as written). */
  readonly wsdlTree: XmlElement;
}

// Start-up files are operator-controlled but still parsed with the hardened parser (no DOCTYPE), with roomy limits.
const FILE_LIMITS: XmlLimits = { maxDepth: 256, maxElements: 1_000_000, maxAttributes: 256, maxTextLength: 10_000_000 };
const LOCAL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.xsd$/;
const ADDRESS_RE = /(<(?:[A-Za-z_][\w.-]*:)?address\b[^>]*?\blocation\s*=\s*)(["'])[^"']*\2/g;
const SCHEMA_LOCATION_RE = /(\bschemaLocation\s*=\s*)(["'])([^"']*)\2/g;

/** Reads the WSDL and every schema it pulls in (same folder only); problems are appended, never thrown. */
export async function readWsdlDocuments(wsdlFile: string, problems: string[]): Promise<WsdlDocuments | undefined> {
  const dir = path.dirname(wsdlFile);
  const wsdlName = path.basename(wsdlFile);
  const first = await loadOne(dir, wsdlName, problems);
  if (first === undefined) return undefined;
  if (countElements(first.tree, (e) => e.local === 'import' && e.ns === 'http://schemas.xmlsoap.org/wsdl/') > 0) {
    problems.push(`${wsdlName}: wsdl:import is not supported; put the WSDL in one file and its types in imported XSD files`);
  }
  const xsd = new Map<string, DocumentTemplate>();
  const queue = [...first.refs];
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (xsd.has(name)) continue;
    const doc = await loadOne(dir, name, problems);
    if (doc === undefined) continue;
    xsd.set(name, doc.template);
    queue.push(...doc.refs);
  }
  return { wsdl: first.template, xsd, wsdlTree: first.tree };
}

/** The document with every address and schemaLocation pointing at `baseUrl` (already validated by the caller). */
export function renderDocument(template: DocumentTemplate, baseUrl: string): string {
  const base = escapeAttr(baseUrl);
  return template.segments
    .map((s) => (typeof s === 'string' ? s : s.kind === 'address' ? base : `${base}?xsd=${escapeAttr(encodeURIComponent(s.name))}`))
    .join('');
}

async function loadOne(dir: string, name: string, problems: string[]) {
  let text: string;
  try {
    text = await readFile(path.join(dir, name), 'utf8');
  } catch {
    problems.push(`${name}: cannot be read (it must be in the same folder as the WSDL)`);
    return undefined;
  }
  let tree: XmlElement;
  try {
    tree = parseXml(text.replace(/^\uFEFF/, ''), FILE_LIMITS);
  } catch (err) {
    problems.push(`${name}: ${isGatewayError(err) ? err.message : 'cannot be parsed'}`);
    return undefined;
  }
  const refs: string[] = [];
  const segments: Segment[] = [];
  let badRef = false;
  const withSchemas = splitAt(text, SCHEMA_LOCATION_RE, (m) => {
    const ref = m[3] ?? '';
    if (!LOCAL_NAME.test(ref)) {
      problems.push(`${name}: schemaLocation "${ref}" must name an .xsd file in the same folder (no paths or URLs)`);
      badRef = true;
    }
    refs.push(ref);
    return { kind: 'xsd', name: ref };
  });
  for (const part of withSchemas) {
    if (typeof part === 'string') segments.push(...splitAt(part, ADDRESS_RE, () => ({ kind: 'address' })));
    else segments.push(part);
  }
  const declaredRefs = countElements(tree, (e) => Object.hasOwn(e.attrs, 'schemaLocation'));
  const declaredAddresses = countElements(tree, (e) => e.local === 'address' && Object.hasOwn(e.attrs, 'location'));
  const foundAddresses = segments.filter((s) => typeof s !== 'string' && s.kind === 'address').length;
  if (declaredRefs !== refs.length || declaredAddresses !== foundAddresses) {
    problems.push(`${name}: addresses or schemaLocations could not be located for rewriting (are some inside comments?)`);
  }
  return badRef ? undefined : { tree, refs, template: { name, segments } satisfies DocumentTemplate };
}

/** Splits text at every match, keeping the text before the captured value and replacing the quoted value. */
function splitAt(text: string, re: RegExp, make: (m: RegExpExecArray) => Segment): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const prefix = m[1] ?? '';
    const quote = m[2] ?? '"';
    out.push(text.slice(last, m.index) + prefix + quote, make(m), quote);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

export function countElements(root: XmlElement, test: (e: XmlElement) => boolean): number {
  return (test(root) ? 1 : 0) + root.children.reduce((n, c) => n + countElements(c, test), 0);
}
