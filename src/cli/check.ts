// `sensepass-gateway check`: validates config, every WSDL and every mapping, listing ALL problems at once.
import path from 'node:path';
import { loadConfig } from '../config.js';
import { isGatewayError } from '../errors.js';
import { checkMappings, formatProblem } from '../exchange/map/index.js';
import type { ParsedArgs } from './args.js';
import { checkExposure } from './check-exposure.js';
import { loadServices } from '../ingress/wsdl-folders.js';
import { coverageWarnings } from './check-coverage.js';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Resolved directories: --mappings/--wsdl win over the config, which wins over the defaults. */
export function resolvePaths(args: ParsedArgs, io: CliIo, problems: string[]): { mappings: string; wsdl: string } {
  let mappings = path.resolve(io.cwd, 'mappings');
  let wsdl = path.resolve(io.cwd, 'wsdl');
  try {
    const config = loadConfig({ file: args.options.get('config'), env: io.env, cwd: io.cwd });
    mappings = config.paths.mappings;
    wsdl = config.paths.wsdl;
  } catch (err) {
    problems.push(isGatewayError(err) ? `config: ${err.message}` : 'config: cannot be loaded');
  }
  const m = args.options.get('mappings');
  const w = args.options.get('wsdl');
  return { mappings: m === undefined ? mappings : path.resolve(io.cwd, m), wsdl: w === undefined ? wsdl : path.resolve(io.cwd, w) };
}

/** Exit code: 0 when there is no error (warnings are printed but do not fail), 1 otherwise. */
export async function runCheck(args: ParsedArgs, io: CliIo): Promise<number> {
  const errors: string[] = [];
  const paths = resolvePaths(args, io, errors);
  const services = await loadServices(paths.wsdl);
  errors.push(...services.problems.map((p) => `wsdl: ${p}`));
  const result = await checkMappings(paths.mappings, { knownOperations: services.knownOperations, soapServices: services.byFolder });
  const warnings: string[] = [];
  for (const p of result.problems) (p.severity === 'error' ? errors : warnings).push(formatProblem(p, io.cwd));
  for (const f of checkExposure(args, io, services.byFolder.keys(), result.registry)) (f.severity === 'error' ? errors : warnings).push(f.message);
  warnings.push(...coverageWarnings(services, result.registry).map((w) => `wsdl: ${w}`));
  for (const line of errors) io.err(`error: ${line.replace(/: error: /, ': ')}`);
  for (const line of warnings) io.err(`warning: ${line.replace(/: warning: /, ': ')}`);
  const mappingCount = result.registry?.all().length ?? 0;
  const summary = `${services.byFolder.size} WSDL service(s), ${mappingCount} mapping(s); ${errors.length} error(s), ${warnings.length} warning(s)`;
  if (errors.length > 0) {
    io.err(`check failed: ${summary}`);
    return 1;
  }
  io.out(`check passed: ${summary}`);
  return 0;
}
