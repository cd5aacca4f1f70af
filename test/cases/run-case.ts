// Runs one golden case folder offline (request.xml [+ original.json] [+ upstream.json]) exactly like `try` does;
// request.xml is a SOAP envelope for SOAP mappings and the plain document for XML mappings.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runOffline, type OriginalFixture, type UpstreamFixture } from '../../src/cli/offline-run.js';
import { loadServices, serviceFor, type LoadedServices } from '../../src/ingress/wsdl-folders.js';
import { encodeSoapReply } from '../../src/egress/soap-encode.js';
import { loadMappings, type MappingRegistry } from '../../src/exchange/map/index.js';
import { decodeSoapRequest } from '../../src/ingress/soap-decode.js';
import { decodeXmlDocument, encodeXmlReply } from '../../src/route/xml-document.js';

export const CASES_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO = path.resolve(CASES_DIR, '../..');

export interface Engine {
  readonly registry: MappingRegistry;
  readonly services: LoadedServices;
}

/** The repository's wsdl/ and mappings/ by default; a contract under test/contracts/<name>/ brings its own. */
export async function loadEngine(root: string = REPO): Promise<Engine> {
  const services = await loadServices(path.join(root, 'wsdl'));
  const registry = await loadMappings(path.join(root, 'mappings'), { knownOperations: services.knownOperations, soapServices: services.byFolder });
  return { registry, services };
}

export interface CaseOutput {
  readonly key: string | undefined;
  readonly call: { method: string; path: string; body?: unknown } | undefined;
  readonly context: Readonly<Record<string, unknown>> | undefined;
  readonly replyXml: string | undefined;
  readonly fault: { code: string; params: Readonly<Record<string, unknown>> } | undefined;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;

export async function runCase(engine: Engine, mappingId: string, dir: string): Promise<CaseOutput> {
  const mapping = engine.registry.byId(mappingId);
  if (mapping === undefined) throw new Error(`no mapping ${mappingId}`);
  const requestText = readFileSync(path.join(dir, 'request.xml'), 'utf8');
  // SOAP: decoded and encoded by the WSDL; plain XML: the document convention of src/route/xml-document.ts.
  let message: Record<string, unknown>;
  let encode: (value: Record<string, unknown>) => string;
  if (mapping.answers.kind === 'soap') {
    const service = serviceFor(engine.services, mapping.posSystem, mapping.answers.service);
    if (service === undefined) throw new Error(`no WSDL for ${mapping.answers.service}`);
    const decoded = decodeSoapRequest(service, requestText);
    if (decoded.operation !== mapping.answers.operation) throw new Error(`request is a ${decoded.operation}`);
    message = decoded.body;
    encode = (value) => encodeSoapReply(service, decoded.operation, value, decoded.version);
  } else {
    const doc = decodeXmlDocument(requestText);
    if (doc.root !== mapping.answers.root) throw new Error(`request is a ${doc.root}`);
    message = doc.body;
    encode = (value) => encodeXmlReply(doc.root, value);
  }
  const upstreamFile = path.join(dir, 'upstream.json');
  const originalFile = path.join(dir, 'original.json');
  const upstream = existsSync(upstreamFile) ? (readJson(upstreamFile) as UpstreamFixture) : undefined;
  const original = existsSync(originalFile) ? (readJson(originalFile) as OriginalFixture) : undefined;
  const result = await runOffline(mapping, { message, identity: { name: 'anonymous', method: 'none' } }, { upstream, original });
  const reply = result.reply;
  return {
    key: result.key,
    call: result.plan?.call,
    context: result.plan?.context,
    replyXml: reply.kind === 'reply' ? encode(reply.value) : undefined,
    fault: reply.kind === 'fault' ? { code: reply.code, params: reply.params } : undefined,
  };
}
