// `sensepass-gateway try <mapping> <request.xml> [answer.json]`: the SensePass call a mapping would make and
// the reply it would send (SOAP envelope or plain XML document), offline. answer.json is a transaction entity or
// an upstream fixture (see golden cases).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeSoapFault, encodeSoapReply } from '../egress/soap-encode.js';
import { gwError, isGatewayError, type GatewayError } from '../errors.js';
import { encodeXmlError } from '../egress/xml-error.js';
import { decodeXmlDocument, encodeXmlReply } from '../route/xml-document.js';
import { loadMappings, type CompiledMapping, type MappingRegistry } from '../exchange/map/index.js';
import { decodeSoapRequest } from '../ingress/soap-decode.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './check.js';
import { resolvePaths } from './check.js';
import { runOffline, type OriginalFixture, type UpstreamFixture } from './offline-run.js';
import { loadServices, serviceFor, type LoadedServices } from '../ingress/wsdl-folders.js';

const USAGE = 'usage: sensepass-gateway try <mapping-id-or-file> <request.xml> [transaction-or-upstream.json] [--original original.json] (try --help for every option)';

export async function runTry(args: ParsedArgs, io: CliIo): Promise<number> {
  const [target, requestFile, answerFile] = args.positional;
  if (target === undefined || requestFile === undefined) {
    io.err(USAGE);
    return 2;
  }
  const configProblems: string[] = [];
  const paths = resolvePaths(args, io, configProblems);
  const services = await loadServices(paths.wsdl);
  let registry: MappingRegistry;
  try {
    registry = await loadMappings(paths.mappings, { knownOperations: services.knownOperations, soapServices: services.byFolder });
  } catch (err) {
    io.err(isGatewayError(err) ? err.message : 'mappings cannot be loaded');
    return 1;
  }
  const mapping = findMapping(registry, target, io.cwd);
  if (mapping === undefined) {
    io.err(`no mapping "${target}" (known: ${registry.all().map((m) => m.id).join(', ')})`);
    return 1;
  }
  const xml = await readFile(path.resolve(io.cwd, requestFile), 'utf8');
  const decoded = decodeRequest(mapping, services, xml, io);
  if (decoded === undefined) return 1;
  const upstream = answerFile === undefined ? undefined : asUpstream(await readJson(io, answerFile));
  const originalFile = args.options.get('original');
  const original = originalFile === undefined ? undefined : ((await readJson(io, originalFile)) as OriginalFixture);
  const input = { message: decoded.body, identity: { name: 'anonymous', method: 'none' } as const };
  const result = await runOffline(mapping, input, { upstream, original });

  io.out(`mapping   ${mapping.id} (${path.relative(io.cwd, mapping.file)})`);
  io.out(`key       ${result.key ?? '(none)'}`);
  if (result.lookup !== undefined) io.out(`lookup    ${result.lookup.key}${original?.key === result.lookup.key ? ' (found)' : ' (not found)'}`);
  const call = result.plan?.call;
  if (call !== undefined) {
    io.out(`call      ${call.method} ${call.path}   (SensePass credentials are added from config)`);
    if (call.body !== undefined) io.out(JSON.stringify(call.body, null, 2));
  } else io.out(`call      ${result.plan === undefined ? '(not made: the request was refused)' : '(none)'}`);
  if (result.plan?.await !== undefined) io.out(`await     final, deadline ${result.plan.await.deadlineMs / 1000}s, onDeadline ${result.plan.await.onDeadline}`);
  if (result.plan !== undefined) io.out(`context   ${JSON.stringify(result.plan.context)}`);
  if (upstream === undefined && call !== undefined) {
    io.out('reply     (give a transaction or upstream JSON file to see the reply)');
    return 0;
  }
  const reply = result.reply;
  io.out(reply.kind === 'reply' ? `reply     ${reply.outcome ?? ''} (${decoded.label})` : `fault     ${reply.code}`);
  io.out(reply.kind === 'reply' ? decoded.reply(reply.value) : decoded.fault(gwError(reply.code, reply.params)));
  return 0;
}

interface DecodedRequest {
  readonly body: Record<string, unknown>;
  /** How the reply is sent, e.g. "SOAP 1.1" or "plain XML". */
  readonly label: string;
  reply(value: Record<string, unknown>): string;
  fault(error: GatewayError): string;
}

/** The request as the mapping sees it, and how its reply or fault is written: by the WSDL (SOAP) or as plain XML. */
function decodeRequest(mapping: CompiledMapping, services: LoadedServices, xml: string, io: CliIo): DecodedRequest | undefined {
  try {
    if (mapping.answers.kind === 'xml') {
      const doc = decodeXmlDocument(xml);
      if (doc.root !== mapping.answers.root) {
        io.err(`request is a ${doc.root} but ${mapping.id} answers ${mapping.answers.root}`);
        return undefined;
      }
      return { body: doc.body, label: 'plain XML', reply: (v) => encodeXmlReply(doc.root, v), fault: (e) => `HTTP ${e.status}\n${encodeXmlError(e, '(try)')}` };
    }
    const service = serviceFor(services, mapping.posSystem, mapping.answers.service);
    if (service === undefined) {
      io.err(`no WSDL defines service ${mapping.answers.service}`);
      return undefined;
    }
    const soap = decodeSoapRequest(service, xml);
    if (soap.operation !== mapping.answers.operation) {
      io.err(`request is a ${soap.operation} but ${mapping.id} answers ${mapping.answers.operation}`);
      return undefined;
    }
    return {
      body: soap.body,
      label: `SOAP ${soap.version}`,
      reply: (v) => encodeSoapReply(service, soap.operation, v, soap.version),
      fault: (e) => encodeSoapFault(e, soap.version),
    };
  } catch (err) {
    io.err(`request: ${isGatewayError(err) ? `${err.code} ${err.message}` : 'cannot be decoded'}`);
    return undefined;
  }
}

function findMapping(registry: MappingRegistry, target: string, cwd: string): CompiledMapping | undefined {
  const file = path.resolve(cwd, target);
  return registry.byId(target) ?? registry.all().find((m) => m.file === file);
}

/** A bare transaction entity becomes { response, transaction }; anything else is already an upstream fixture. */
function asUpstream(json: unknown): UpstreamFixture {
  if (typeof json === 'object' && json !== null && 'TransactionNumber' in json) {
    return { response: json, transaction: json as UpstreamFixture['transaction'] };
  }
  return (json ?? {}) as UpstreamFixture;
}

async function readJson(io: CliIo, file: string): Promise<unknown> {
  return JSON.parse(await readFile(path.resolve(io.cwd, file), 'utf8')) as unknown;
}
