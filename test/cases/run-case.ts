// Runs one golden case folder offline (request.xml [+ original.json] [+ upstream.json]) exactly like `try` does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runOffline, type OriginalFixture, type UpstreamFixture } from '../../src/cli/offline-run.js';
import { loadServices, serviceFor, type LoadedServices } from '../../src/cli/soap-services.js';
import { encodeSoapReply } from '../../src/egress/soap-encode.js';
import { loadMappings, type MappingRegistry } from '../../src/exchange/map/index.js';
import { decodeSoapRequest } from '../../src/ingress/soap-decode.js';

export const CASES_DIR = path.dirname(new URL(import.meta.url).pathname);
const REPO = path.resolve(CASES_DIR, '../..');

export interface Engine {
  readonly registry: MappingRegistry;
  readonly services: LoadedServices;
}

export async function loadEngine(): Promise<Engine> {
  const services = await loadServices(path.join(REPO, 'wsdl'));
  const registry = await loadMappings(path.join(REPO, 'mappings'), { knownOperations: services.knownOperations });
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
  if (mapping === undefined || mapping.answers.kind !== 'soap') throw new Error(`no SOAP mapping ${mappingId}`);
  const service = serviceFor(engine.services, mapping.posSystem, mapping.answers.service);
  if (service === undefined) throw new Error(`no WSDL for ${mapping.answers.service}`);
  const decoded = decodeSoapRequest(service, readFileSync(path.join(dir, 'request.xml'), 'utf8'));
  if (decoded.operation !== mapping.answers.operation) throw new Error(`request is a ${decoded.operation}`);
  const upstreamFile = path.join(dir, 'upstream.json');
  const originalFile = path.join(dir, 'original.json');
  const upstream = existsSync(upstreamFile) ? (readJson(upstreamFile) as UpstreamFixture) : undefined;
  const original = existsSync(originalFile) ? (readJson(originalFile) as OriginalFixture) : undefined;
  const result = await runOffline(mapping, { message: decoded.body, identity: { name: 'anonymous', method: 'none' } }, { upstream, original });
  const reply = result.reply;
  return {
    key: result.key,
    call: result.plan?.call,
    context: result.plan?.context,
    replyXml: reply.kind === 'reply' ? encodeSoapReply(service, decoded.operation, reply.value, decoded.version) : undefined,
    fault: reply.kind === 'fault' ? { code: reply.code, params: reply.params } : undefined,
  };
}
