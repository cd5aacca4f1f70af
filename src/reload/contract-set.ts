// The WSDL services and compiled mappings the gateway answers with, as ONE immutable value: watch mode swaps the
// whole set by one reference assignment, so a request never sees a WSDL from one edit and a mapping from another.
import type { MappingRegistry } from '../exchange/map/index.js';
import { createRouteTable, type RouteTable } from '../exchange/map/route-table.js';
import type { SoapService } from '../ingress/wsdl-service.js';

export interface ContractSet {
  /** SOAP services by endpoint name (the wsdl/<pos-system> folder name). */
  readonly soapServices: ReadonlyMap<string, SoapService>;
  readonly mappings: MappingRegistry;
  /** Which mapping answers (SOAP endpoint, operation) or (XML path, root element), answers.when included; built once per set. */
  readonly routes: RouteTable;
  /** 1 for the set loaded at start-up, +1 for every reload swapped in (shown in logs). */
  readonly generation: number;
}

export function createContractSet(
  soapServices: ReadonlyMap<string, SoapService>,
  mappings: MappingRegistry,
  generation = 1,
): ContractSet {
  return Object.freeze({
    soapServices,
    mappings,
    generation,
    routes: createRouteTable(mappings.all()),
  });
}

/**
 * Where every request reads the current set. One per gateway (never module-level). A request reads it once and
 * keeps what it got, so an exchange that started before a swap finishes with the mapping it started with.
 */
export class ContractHolder {
  #current: ContractSet;

  constructor(initial: ContractSet) {
    this.#current = initial;
  }

  current(): ContractSet {
    return this.#current;
  }

  /** Swaps in a set that has already passed every start-up check. */
  replace(next: ContractSet): void {
    this.#current = next;
  }
}

/**
 * A registry that answers from whatever set is current when it is asked, for code that holds a MappingRegistry for
 * the gateway's lifetime (the exchange, the app context): it can never keep answering with mappings swapped out.
 */
export function liveRegistry(holder: ContractHolder): MappingRegistry {
  return Object.freeze({
    all: () => holder.current().mappings.all(),
    byId: (id: string) => holder.current().mappings.byId(id),
    forSoap: (service: string, operation: string) => holder.current().mappings.forSoap(service, operation),
    forXml: (p: string, root: string) => holder.current().mappings.forXml(p, root),
    warnings: () => holder.current().mappings.warnings(),
  });
}
