// `check`'s view of exposure: the same rule start-up applies (src/ingress/auth/exposure.ts), as errors and warnings.
import { loadConfig } from '../config.js';
import type { MappingRegistry } from '../exchange/map/index.js';
import { exposureFindings, type ExposureFinding } from '../ingress/auth/exposure.js';
import { endpointNames } from '../route/endpoint-names.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './check.js';

/** Findings for the configured bind address; none when the config does not load (that error is reported elsewhere). */
export function checkExposure(
  args: ParsedArgs,
  io: CliIo,
  soapEndpoints: Iterable<string>,
  mappings: Pick<MappingRegistry, 'all'> | undefined,
): ExposureFinding[] {
  let config;
  try {
    config = loadConfig({ file: args.options.get('config'), env: io.env, cwd: io.cwd });
  } catch {
    return [];
  }
  const endpoints = endpointNames(config, soapEndpoints, mappings);
  return exposureFindings(config, endpoints, config.server.host).map((f) => ({ ...f, message: `security: ${f.message}` }));
}
