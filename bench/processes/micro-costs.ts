// B1's per-message costs, in-process: SOAP parse (decode + schema typing), mapping (key, plan, reply) and SOAP
// serialisation of one Sale, each timed over many iterations with the real WSDL and mapping files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { UpstreamFixture } from '../../src/cli/offline-run.js';
import { loadServices, serviceFor } from '../../src/ingress/wsdl-folders.js';
import { encodeSoapReply } from '../../src/egress/soap-encode.js';
import { outcomeOf } from '../../src/exchange/call/transaction.js';
import { loadMappings } from '../../src/exchange/map/index.js';
import { decodeSoapRequest } from '../../src/ingress/soap-decode.js';
import { REPO } from '../lib/children.js';
import { median } from '../lib/stats.js';
import { childInput, finish } from './child-io.js';

export interface MicroInput {
  readonly iterations: number;
  readonly runs: number;
}

export interface MicroResult {
  readonly parseUs: number;
  readonly mapUs: number;
  readonly serialiseUs: number;
  readonly totalUs: number;
  readonly iterations: number;
  readonly runs: number;
}

// The golden case of a Sale with two items: a realistic message, and the SensePass answers to map from.
const CASE = path.join(REPO, 'test/cases/acme-pos.sale/approved-with-items');
const input = childInput<MicroInput>();

async function main(): Promise<MicroResult> {
  const services = await loadServices(path.join(REPO, 'wsdl'));
  const registry = await loadMappings(path.join(REPO, 'mappings'), { knownOperations: services.knownOperations });
  const mapping = registry.byId('acme-pos.sale');
  const service = serviceFor(services, 'acme-pos', 'AcmePaymentService');
  if (mapping === undefined || service === undefined) throw new Error('acme-pos.sale mapping or WSDL missing');
  const xml = readFileSync(path.join(CASE, 'request.xml'), 'utf8');
  const upstream = JSON.parse(readFileSync(path.join(CASE, 'upstream.json'), 'utf8')) as UpstreamFixture;
  const transaction = upstream.events?.at(-1);
  if (transaction === undefined) throw new Error('the golden case has no final event');
  const identity = { name: 'anonymous', method: 'none' } as const;
  const decoded = decodeSoapRequest(service, xml);
  const msg = { message: decoded.body, identity };

  const parse = (): void => {
    decodeSoapRequest(service, xml);
  };
  const map = async (): Promise<Record<string, unknown>> => {
    await mapping.key(msg);
    await mapping.plan(msg, undefined);
    const reply = await mapping.reply(msg, {
      outcome: outcomeOf(transaction.status), transaction, response: upstream.response, original: undefined, error: undefined,
    });
    if (reply.kind !== 'reply') throw new Error(`the mapping answered a fault ${reply.code}`);
    return reply.value;
  };
  const value = await map();
  const serialise = (): void => {
    encodeSoapReply(service, 'Sale', value, decoded.version);
  };

  const timeUs = async (fn: () => unknown): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < input.iterations; i++) await fn();
    return Number(process.hrtime.bigint() - t0) / 1e3 / input.iterations;
  };
  // Warm-up: let V8 optimise all three paths before any timing.
  for (const fn of [parse, map, serialise]) await timeUs(fn);
  const runs: { parse: number; map: number; serialise: number }[] = [];
  for (let r = 0; r < input.runs; r++) runs.push({ parse: await timeUs(parse), map: await timeUs(map), serialise: await timeUs(serialise) });
  const parseUs = median(runs.map((r) => r.parse));
  const mapUs = median(runs.map((r) => r.map));
  const serialiseUs = median(runs.map((r) => r.serialise));
  return { parseUs, mapUs, serialiseUs, totalUs: parseUs + mapUs + serialiseUs, iterations: input.iterations, runs: input.runs };
}

finish(main());
