// What `check` says about a WSDL beyond its errors: operations disabled at load, and operations no mapping answers
// (both answer GW_OPERATION_NOT_MAPPED when called), so a contract's coverage is visible before a POS calls it.
import type { LoadedServices } from '../ingress/wsdl-folders.js';
import type { MappingRegistry } from '../exchange/map/types.js';

/** Warning lines, file names relative to the wsdl/ folder. */
export function coverageWarnings(services: LoadedServices, registry: MappingRegistry | undefined): string[] {
  const out = [...services.warnings];
  if (registry === undefined) return out;
  for (const [folder, service] of services.byFolder) {
    const unmapped = [...service.operations.keys()].filter((op) => registry.forSoap(service.name, op) === undefined).sort();
    if (unmapped.length === 0) continue;
    out.push(`${folder}: ${unmapped.length} operation(s) of ${service.name} have no mapping and answer GW_OPERATION_NOT_MAPPED: ` +
      `${unmapped.join(', ')} (write mappings/${folder}/<operation>.yaml for each one the POS calls)`);
  }
  return out;
}
