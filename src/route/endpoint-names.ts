// Every endpoint name this gateway answers on (the keys of `endpoints.<name>.auth`): one SOAP endpoint per WSDL
// folder, one per XML mapping folder, and the SensePass dialect and Terminal Agent endpoints when dialects are on.
import type { Config } from '../config.js';
import type { MappingRegistry } from '../exchange/map/index.js';
import { SOAP_DIALECT, XML_DIALECT } from './dialect-router.js';
import { TERMINAL_AGENT } from './agent-router.js';

export function endpointNames(
  config: Pick<Config, 'dialects'>,
  soapEndpoints: Iterable<string>,
  mappings: Pick<MappingRegistry, 'all'> | undefined,
): string[] {
  const names = new Set<string>(soapEndpoints);
  for (const m of mappings?.all() ?? []) if (m.answers.kind === 'xml') names.add(m.posSystem);
  if (config.dialects.enabled) for (const n of [SOAP_DIALECT, XML_DIALECT, TERMINAL_AGENT]) names.add(n);
  return [...names];
}
