// Loads and validates every WSDL and mapping: start-up and watch mode call this same function, so a reload is
// swapped in only when it passes exactly the checks a fresh start would.
import path from 'node:path';
import type { Config } from '../config.js';
import type { ErrorCode } from '../errors.js';
import { checkMappings, formatProblem, type MappingRegistry } from '../exchange/map/index.js';
import { credentialsFor } from '../ingress/auth/index.js';
import { loadServices } from '../ingress/wsdl-folders.js';
import type { SoapService } from '../ingress/wsdl-service.js';

export type ContractLoad =
  | {
      readonly ok: true;
      readonly soapServices: ReadonlyMap<string, SoapService>;
      readonly mappings: MappingRegistry;
      /** Mapping warnings as `file:line:col: warning: …`, paths relative to `base`. */
      readonly warnings: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'GW_WSDL_INVALID' | 'GW_MAPPING_INVALID'>;
      /** Every problem found, `file:line:col: error: …` for mappings, paths relative to `base`. */
      readonly problems: readonly string[];
    };

export interface ContractPaths {
  readonly wsdl: string;
  readonly mappings: string;
}

/**
 * Every problem, not the first. `base` is the directory paths are shown relative to (the mappings directory at
 * start-up, which keeps the start-up message unchanged; the working directory in watch-mode logs).
 */
export async function loadContracts(config: Config, base: string, paths: ContractPaths = config.paths): Promise<ContractLoad> {
  const services = await loadServices(paths.wsdl);
  if (services.problems.length > 0) {
    return { ok: false, code: 'GW_WSDL_INVALID', problems: services.problems.map((p) => relativize(p, base)) };
  }
  const checked = await checkMappings(paths.mappings, {
    knownOperations: services.knownOperations,
    soapServices: services.byFolder,
    credentialsFor: (identity) => {
      try {
        return credentialsFor(identity, config);
      } catch {
        return undefined;
      }
    },
  });
  const resolvedBase = path.resolve(base);
  const errors = checked.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p, resolvedBase));
  if (checked.registry === undefined || errors.length > 0) return { ok: false, code: 'GW_MAPPING_INVALID', problems: errors };
  const warnings = [
    ...services.warnings.map((w) => relativize(w, base)), // operations disabled alone (an unsupported construct)
    ...checked.problems.filter((p) => p.severity === 'warning').map((p) => formatProblem(p, resolvedBase)),
  ];
  return { ok: true, soapServices: services.byFolder, mappings: checked.registry, warnings };
}

/** `GW_MAPPING_INVALID`'s detail, as start-up has always printed it. */
export function problemsDetail(load: Extract<ContractLoad, { ok: false }>): string {
  if (load.code === 'GW_WSDL_INVALID') return load.problems.join('; ');
  return `${load.problems.length} problem(s):\n  - ${load.problems.join('\n  - ')}`;
}

/** WSDL problems name their folder with an absolute path; show it relative to `base` like mapping problems. */
function relativize(problem: string, base: string): string {
  const root = path.resolve(base) + path.sep;
  return problem.split(root).join('');
}
