// `sensepass-gateway try <mapping> <request.xml> [answer.json]`: the SensePass call a mapping would make and
// the reply it would send, offline. answer.json is a transaction entity or an upstream fixture (see golden cases).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeSoapFault, encodeSoapReply } from '../egress/soap-encode.js';
import { gwError, isGatewayError } from '../errors.js';
import { loadMappings, type CompiledMapping, type MappingRegistry } from '../exchange/map/index.js';
import { decodeSoapRequest } from '../ingress/soap-decode.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './check.js';
import { resolvePaths } from './check.js';
import { runOffline, type OriginalFixture, type UpstreamFixture } from './offline-run.js';
import { loadServices, serviceFor } from '../ingress/wsdl-folders.js';

const USAGE = 'usage: sensepass-gateway try <mapping-id-or-file> <request.xml> [transaction-or-upstream.json] [--original original.json]';

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
    registry = await loadMappings(paths.mappings, { knownOperations: services.knownOperations });
  } catch (err) {
    io.err(isGatewayError(err) ? err.message : 'mappings cannot be loaded');
    return 1;
  }
  const mapping = findMapping(registry, target, io.cwd);
  if (mapping === undefined) {
    io.err(`no mapping "${target}" (known: ${registry.all().map((m) => m.id).join(', ')})`);
    return 1;
  }
  if (mapping.answers.kind !== 'soap') {
    io.err(`${mapping.id} answers plain XML; try supports SOAP mappings`);
    return 1;
  }
  const service = serviceFor(services, mapping.posSystem, mapping.answers.service);
  if (service === undefined) {
    io.err(`no WSDL defines service ${mapping.answers.service}`);
    return 1;
  }
  const xml = await readFile(path.resolve(io.cwd, requestFile), 'utf8');
  let decoded;
  try {
    decoded = decodeSoapRequest(service, xml);
  } catch (err) {
    io.err(`request: ${isGatewayError(err) ? `${err.code} ${err.message}` : 'cannot be decoded'}`);
    return 1;
  }
  if (decoded.operation !== mapping.answers.operation) {
    io.err(`request is a ${decoded.operation} but ${mapping.id} answers ${mapping.answers.operation}`);
    return 1;
  }
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
  io.out(reply.kind === 'reply' ? `reply     ${reply.outcome ?? ''} (SOAP ${decoded.version})` : `fault     ${reply.code}`);
  io.out(
    reply.kind === 'reply'
      ? encodeSoapReply(service, decoded.operation, reply.value, decoded.version)
      : encodeSoapFault(gwError(reply.code, reply.params), decoded.version),
  );
  return 0;
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
