// Loads every WSDL folder (wsdl/<pos-system>/) for start-up and the CLI: the services mappings answer, and their problems.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isGatewayError } from '../errors.js';
import { loadSoapService, type SoapService } from './wsdl-service.js';

export interface LoadedServices {
  /** By folder name (the pos-system name mappings live under too). */
  readonly byFolder: ReadonlyMap<string, SoapService>;
  /** Operation names per wsdl:service name, for mapping validation. */
  readonly knownOperations: ReadonlyMap<string, ReadonlySet<string>>;
  readonly problems: readonly string[];
  /** One line per operation a WSDL offers but the gateway disabled (the service itself loads). */
  readonly warnings: readonly string[];
}

export async function loadServices(wsdlRoot: string): Promise<LoadedServices> {
  const byFolder = new Map<string, SoapService>();
  const knownOperations = new Map<string, ReadonlySet<string>>();
  const problems: string[] = [];
  const warnings: string[] = [];
  let folders: string[] = [];
  try {
    folders = (await readdir(wsdlRoot, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    problems.push(`the WSDL directory ${path.basename(wsdlRoot)}/ cannot be read; check paths.wsdl`);
  }
  for (const folder of folders) {
    try {
      const service = await loadSoapService(path.join(wsdlRoot, folder));
      byFolder.set(folder, service);
      knownOperations.set(service.name, new Set(service.operations.keys()));
      warnings.push(...service.warnings.map((w) => `${folder}/${w}`));
    } catch (err) {
      // The error's detail already starts with the folder name; the catalogue prefix is not repeated per folder.
      problems.push(isGatewayError(err, 'GW_WSDL_INVALID') ? String(err.params.detail ?? folder) : `${folder}: cannot be loaded`);
    }
  }
  return { byFolder, knownOperations, problems, warnings };
}

/** The service a SOAP mapping answers: same folder name first, else any service with that name. */
export function serviceFor(services: LoadedServices, posSystem: string, serviceName: string): SoapService | undefined {
  const sameFolder = services.byFolder.get(posSystem);
  if (sameFolder?.name === serviceName) return sameFolder;
  return [...services.byFolder.values()].find((s) => s.name === serviceName);
}
