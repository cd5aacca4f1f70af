// Loads one POS system's WSDL folder at start-up into a frozen SoapService: operations, SOAP actions per version,
// the compiled schema of every request/response element, and the documents served at ?wsdl.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WSDL } from 'soap';
import { gwError } from '../errors.js';
import type { XmlElement } from './xml-tree.js';
import { readWsdlDocuments, type WsdlDocuments } from './wsdl-documents.js';
import { qualifiedKey, type ElementDecl } from './wsdl-schema-model.js';
import { SchemaCompiler, type SoapSchema } from './wsdl-schema-compile.js';

export type SoapVersion = '1.1' | '1.2';

export interface OperationInfo {
  readonly name: string;
  /** The request wrapper element (document/literal wrapped). */
  readonly input: ElementDecl;
  /** The `<Operation>Response` element. */
  readonly output: ElementDecl;
  /** SOAPAction (1.1) / action parameter (1.2) per bound SOAP version; '' when the WSDL declares none. */
  readonly actions: Readonly<Partial<Record<SoapVersion, string>>>;
}

/** An operation the WSDL offers that the gateway cannot serve; it answers GW_OPERATION_NOT_MAPPED. */
export interface DisabledOperation {
  readonly name: string;
  /** Why, one entry per construct (already phrased for an operator). */
  readonly reasons: readonly string[];
}

export interface SoapService {
  /** wsdl:service name, e.g. "AcmePaymentService". */
  readonly name: string;
  /** The WSDL's targetNamespace. */
  readonly targetNamespace: string;
  /** SOAP versions the service has a bound port for. */
  readonly versions: ReadonlySet<SoapVersion>;
  readonly operations: ReadonlyMap<string, OperationInfo>;
  /** Operation by the qualified name of its request element, `{ns}local`. */
  readonly byRequestElement: ReadonlyMap<string, OperationInfo>;
  /** Operations left out because they use something the gateway does not support (the rest are served). */
  readonly disabled: ReadonlyMap<string, DisabledOperation>;
  /** Disabled operations by the qualified name of their request element, so a call gets a clear fault. */
  readonly disabledByRequestElement: ReadonlyMap<string, DisabledOperation>;
  /** One line per disabled operation: the operation, the construct and what to do (for logs and `check`). */
  readonly warnings: readonly string[];
  readonly documents: WsdlDocuments;
}

const WSDL_SOAP11 = 'http://schemas.xmlsoap.org/wsdl/soap/';
const WSDL_SOAP12 = 'http://schemas.xmlsoap.org/wsdl/soap12/';

interface SoapOperationNode {
  readonly input?: { readonly $name?: string; readonly targetNamespace?: string };
  readonly output?: { readonly $name?: string; readonly targetNamespace?: string };
  readonly soapAction?: string;
  readonly style?: string;
}
interface SoapDefinitions {
  readonly $targetNamespace?: string;
  readonly xmlns?: Readonly<Record<string, string>>;
  readonly schemas: Readonly<Record<string, SoapSchema>>;
  readonly bindings: Readonly<Record<string, { readonly methods?: Readonly<Record<string, SoapOperationNode>>; readonly style?: string }>>;
}

/**
 * Loads `<dir>/*.wsdl` (exactly one) or throws GW_WSDL_INVALID listing every problem that stops the whole service
 * (unreadable files, no service, no bound operation). A construct the gateway cannot serve disables only the
 * operations that use it: each operation's schema is compiled on its own, so one DataSet or xsd:choice in an unused
 * operation never takes the others down.
 */
export async function loadSoapService(dir: string): Promise<SoapService> {
  const problems: string[] = [];
  const wsdlFile = await findWsdl(dir, problems);
  const documents = wsdlFile === undefined ? undefined : await readWsdlDocuments(wsdlFile, problems);
  const definitions = documents === undefined || wsdlFile === undefined ? undefined : await openWithSoap(wsdlFile, problems);
  if (documents === undefined || definitions === undefined) throw invalid(dir, problems);

  const serviceEl = documents.wsdlTree.children.find((c) => c.local === 'service');
  const portNotes: string[] = [];
  const bound = boundVersions(documents.wsdlTree, serviceEl, problems, portNotes);
  const operations = new Map<string, OperationInfo>();
  const reasons = new Map<string, string[]>();
  const requestElements = new Map<string, string>();
  for (const [bindingName, version] of bound) {
    const binding = definitions.bindings[bindingName];
    for (const [opName, op] of Object.entries(binding?.methods ?? {})) {
      if (op.input?.$name !== undefined) requestElements.set(opName, qualifiedKey(op.input.targetNamespace ?? '', op.input.$name));
      if (reasons.has(opName)) continue;
      const opProblems: string[] = [];
      const compiler = new SchemaCompiler(definitions.schemas, definitions.xmlns ?? {}, opProblems);
      const info = compileOperation(opName, op, version, binding?.style, operations.get(opName), compiler, opProblems);
      if (opProblems.length > 0 || info === undefined) {
        operations.delete(opName);
        reasons.set(opName, opProblems.length > 0 ? opProblems : ['it cannot be compiled']);
      } else operations.set(opName, info);
    }
  }
  const byRequestElement = new Map<string, OperationInfo>();
  for (const op of operations.values()) {
    const key = qualifiedKey(op.input.ns, op.input.name);
    const other = byRequestElement.get(key);
    if (other !== undefined) problems.push(`operations ${other.name} and ${op.name} share the request element ${op.input.name}`);
    byRequestElement.set(key, op);
  }
  if (operations.size === 0 && reasons.size === 0) problems.push('the WSDL binds no operation');
  if (problems.length > 0) throw invalid(dir, problems);
  const disabled = new Map<string, DisabledOperation>();
  const disabledByRequestElement = new Map<string, DisabledOperation>();
  for (const [name, why] of reasons) {
    const entry = Object.freeze({ name, reasons: Object.freeze([...why]) });
    disabled.set(name, entry);
    const key = requestElements.get(name);
    if (key !== undefined && !byRequestElement.has(key)) disabledByRequestElement.set(key, entry);
  }
  return Object.freeze({
    name: serviceEl?.attrs.name ?? path.basename(dir),
    targetNamespace: definitions.$targetNamespace ?? '',
    versions: new Set(bound.values()),
    operations,
    byRequestElement,
    disabled,
    disabledByRequestElement,
    warnings: Object.freeze([
      ...portNotes.map((note) => `${path.basename(wsdlFile ?? dir)}: ${note}`),
      ...[...disabled.values()].map((d) => disabledWarning(path.basename(wsdlFile ?? dir), d)),
    ]),
    documents,
  });
}

/** "<file>: operation X is disabled: <constructs> — what to do", one line per operation, never an absolute path. */
function disabledWarning(file: string, op: DisabledOperation): string {
  return `${file}: operation ${op.name} is disabled (${op.reasons.join('; ')}); the other operations are served and a call to ` +
    `${op.name} answers GW_OPERATION_NOT_MAPPED. Leave the WSDL as it is if the POS never calls ${op.name}; otherwise report the construct`;
}

function compileOperation(
  name: string, op: SoapOperationNode, version: SoapVersion, bindingStyle: string | undefined, seen: OperationInfo | undefined,
  compiler: SchemaCompiler, problems: string[],
): OperationInfo | undefined {
  if ((op.style ?? bindingStyle) === 'rpc') {
    problems.push('RPC style: only document/literal (wrapped) operations are served, because an RPC body is named after the ' +
      'operation and its parts are not schema elements the gateway can type');
    return undefined;
  }
  const actions = { ...seen?.actions, [version]: op.soapAction ?? '' };
  if (seen !== undefined) return { ...seen, actions };
  const inName = op.input?.$name;
  const outName = op.output?.$name;
  if (inName === undefined || outName === undefined) {
    problems.push('its input and output must each be one message part with an element (document/literal wrapped)');
    return undefined;
  }
  const input = compiler.element(op.input?.targetNamespace ?? '', inName);
  const output = compiler.element(op.output?.targetNamespace ?? '', outName);
  if (input === undefined || output === undefined) return undefined;
  for (const [decl, role] of [[input, 'input'], [output, 'output']] as const) {
    if (decl.type.kind !== 'complex') problems.push(`the ${role} element ${decl.name} must have a complex type with a sequence`);
  }
  return { name, input, output, actions };
}

/**
 * Binding local name → SOAP version, for the bindings the service's ports use (node-soap drops the version). A port
 * bound to something else (an `.asmx` also publishes HTTP GET/POST ports) is ignored with a note, as long as the
 * service has a SOAP port at all.
 */
function boundVersions(wsdl: XmlElement, service: XmlElement | undefined, problems: string[], notes: string[]): Map<string, SoapVersion> {
  const versions = new Map<string, SoapVersion>();
  for (const binding of wsdl.children.filter((c) => c.local === 'binding')) {
    const marker = binding.children.find((c) => c.local === 'binding');
    const version = marker?.ns === WSDL_SOAP11 ? '1.1' : marker?.ns === WSDL_SOAP12 ? '1.2' : undefined;
    if (version !== undefined && binding.attrs.name !== undefined) versions.set(binding.attrs.name, version);
  }
  const bound = new Map<string, SoapVersion>();
  if (service === undefined) problems.push('the WSDL declares no wsdl:service');
  const other: string[] = [];
  for (const port of service?.children.filter((c) => c.local === 'port') ?? []) {
    const bindingName = (port.attrs.binding ?? '').split(':').pop() ?? '';
    const version = versions.get(bindingName);
    if (version === undefined) other.push(`port ${port.attrs.name ?? '?'}: binding ${bindingName} is not a SOAP 1.1 or 1.2 binding`);
    else bound.set(bindingName, version);
  }
  if (bound.size === 0) problems.push(...other);
  else notes.push(...other.map((o) => `${o}; it is ignored (only SOAP ports are served), the SOAP ports are served as usual`));
  return bound;
}

async function findWsdl(dir: string, problems: string[]): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.wsdl'));
  } catch {
    problems.push(`folder ${path.basename(dir)} cannot be read`);
    return undefined;
  }
  if (names.length !== 1) {
    problems.push(`folder ${path.basename(dir)} must hold exactly one .wsdl file (found ${names.length})`);
    return undefined;
  }
  return path.join(dir, names[0] ?? '');
}

async function openWithSoap(file: string, problems: string[]): Promise<SoapDefinitions | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    problems.push(`${path.basename(file)}: cannot be read`);
    return undefined;
  }
  return new Promise((resolve) => {
    try {
      const wsdl = new WSDL(text, file, {});
      wsdl.onReady((err) => {
        if (err) problems.push(`${path.basename(file)}: node-soap cannot read it (${withoutPaths(String(err.message).split('\n')[0] ?? '')})`);
        resolve(err ? undefined : (wsdl.definitions as unknown as SoapDefinitions));
      });
    } catch (err) {
      problems.push(`${path.basename(file)}: node-soap cannot read it (${err instanceof Error ? withoutPaths(err.message.split('\n')[0] ?? '') : 'unknown'})`);
      resolve(undefined);
    }
  });
}

function invalid(dir: string, problems: readonly string[]) {
  return gwError('GW_WSDL_INVALID', { detail: `${path.basename(dir)}: ${[...new Set(problems)].join('; ')}` });
}

/** node-soap quotes file names with their full path; only the file name is ours to show. */
function withoutPaths(text: string): string {
  return text.replace(/(?:[A-Za-z]:)?[\\/][^\s'"()]*[\\/]([^\s'"()\\/]+)/g, '$1');
}
