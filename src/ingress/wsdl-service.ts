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

/** Loads `<dir>/*.wsdl` (exactly one) or throws GW_WSDL_INVALID listing every problem found. */
export async function loadSoapService(dir: string): Promise<SoapService> {
  const problems: string[] = [];
  const wsdlFile = await findWsdl(dir, problems);
  const documents = wsdlFile === undefined ? undefined : await readWsdlDocuments(wsdlFile, problems);
  const definitions = documents === undefined || wsdlFile === undefined ? undefined : await openWithSoap(wsdlFile, problems);
  if (documents === undefined || definitions === undefined) throw invalid(dir, problems);

  const serviceEl = documents.wsdlTree.children.find((c) => c.local === 'service');
  const bound = boundVersions(documents.wsdlTree, serviceEl, problems);
  const compiler = new SchemaCompiler(definitions.schemas, definitions.xmlns ?? {}, problems);
  const operations = new Map<string, OperationInfo>();
  for (const [bindingName, version] of bound) {
    const binding = definitions.bindings[bindingName];
    for (const [opName, op] of Object.entries(binding?.methods ?? {})) {
      const info = compileOperation(opName, op, version, operations.get(opName), compiler, problems);
      if (info !== undefined) operations.set(opName, info);
    }
  }
  const byRequestElement = new Map<string, OperationInfo>();
  for (const op of operations.values()) {
    const key = qualifiedKey(op.input.ns, op.input.name);
    const other = byRequestElement.get(key);
    if (other !== undefined) problems.push(`operations ${other.name} and ${op.name} share the request element ${op.input.name}`);
    byRequestElement.set(key, op);
  }
  if (operations.size === 0) problems.push('the WSDL binds no operation');
  if (problems.length > 0) throw invalid(dir, problems);
  return Object.freeze({
    name: serviceEl?.attrs.name ?? path.basename(dir),
    targetNamespace: definitions.$targetNamespace ?? '',
    versions: new Set(bound.values()),
    operations,
    byRequestElement,
    documents,
  });
}

function compileOperation(
  name: string, op: SoapOperationNode, version: SoapVersion, seen: OperationInfo | undefined,
  compiler: SchemaCompiler, problems: string[],
): OperationInfo | undefined {
  if (op.style === 'rpc') {
    problems.push(`operation ${name}: rpc style is not supported (document/literal only)`);
    return undefined;
  }
  const actions = { ...seen?.actions, [version]: op.soapAction ?? '' };
  if (seen !== undefined) return { ...seen, actions };
  const inName = op.input?.$name;
  const outName = op.output?.$name;
  if (inName === undefined || outName === undefined) {
    problems.push(`operation ${name}: input and output must each be one message part with an element`);
    return undefined;
  }
  const input = compiler.element(op.input?.targetNamespace ?? '', inName);
  const output = compiler.element(op.output?.targetNamespace ?? '', outName);
  if (input === undefined || output === undefined) return undefined;
  for (const [decl, role] of [[input, 'input'], [output, 'output']] as const) {
    if (decl.type.kind !== 'complex') problems.push(`operation ${name}: the ${role} element ${decl.name} must have a complex type`);
  }
  return { name, input, output, actions };
}

/** Binding local name → SOAP version, for the bindings the service's ports use (node-soap drops the version). */
function boundVersions(wsdl: XmlElement, service: XmlElement | undefined, problems: string[]): Map<string, SoapVersion> {
  const versions = new Map<string, SoapVersion>();
  for (const binding of wsdl.children.filter((c) => c.local === 'binding')) {
    const marker = binding.children.find((c) => c.local === 'binding');
    const version = marker?.ns === WSDL_SOAP11 ? '1.1' : marker?.ns === WSDL_SOAP12 ? '1.2' : undefined;
    if (version !== undefined && binding.attrs.name !== undefined) versions.set(binding.attrs.name, version);
  }
  const bound = new Map<string, SoapVersion>();
  if (service === undefined) problems.push('the WSDL declares no wsdl:service');
  for (const port of service?.children.filter((c) => c.local === 'port') ?? []) {
    const bindingName = (port.attrs.binding ?? '').split(':').pop() ?? '';
    const version = versions.get(bindingName);
    if (version === undefined) problems.push(`port ${port.attrs.name ?? '?'}: binding ${bindingName} is not a SOAP 1.1 or 1.2 binding`);
    else bound.set(bindingName, version);
  }
  return bound;
}

async function findWsdl(dir: string, problems: string[]): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.wsdl'));
  } catch {
    problems.push(`folder ${dir} cannot be read`);
    return undefined;
  }
  if (names.length !== 1) {
    problems.push(`folder ${dir} must hold exactly one .wsdl file (found ${names.length})`);
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
        if (err) problems.push(`${path.basename(file)}: node-soap cannot read it (${String(err.message).split('\n')[0] ?? ''})`);
        resolve(err ? undefined : (wsdl.definitions as unknown as SoapDefinitions));
      });
    } catch (err) {
      problems.push(`${path.basename(file)}: node-soap cannot read it (${err instanceof Error ? err.message.split('\n')[0] : 'unknown'})`);
      resolve(undefined);
    }
  });
}

function invalid(dir: string, problems: readonly string[]) {
  return gwError('GW_WSDL_INVALID', { detail: `${path.basename(dir)}: ${problems.join('; ')}` });
}
