// Which mapping answers a routed message: one per (endpoint, operation | root), or, for contracts that carry several
// transactions in one operation (a transaction-type field), the first whose `answers.*.when` is true, else the one
// without `when` (the fallback). Built once from the registry; the exchange handler and the in-flight cap share it.
import { gwError } from '../../errors.js';
import type { CompiledMapping, MappingInput } from './types.js';

/** The mapping for a routed message: undefined when nothing answers (endpoint, name); throws GW_MAP_REJECTED. */
export type PickMapping = (scope: string, name: string, input: MappingInput) => Promise<CompiledMapping | undefined>;

export interface RouteTable {
  /** undefined when nothing answers (endpoint, name); GW_MAP_REJECTED when mappings exist but none selects it. */
  pick(scope: string, name: string, input: MappingInput): Promise<CompiledMapping | undefined>;
  /** Whether any mapping answers (endpoint, name), whatever the message. */
  has(scope: string, name: string): boolean;
}

/** (scope, name) of a mapping: the SOAP endpoint (WSDL folder) and operation, or the XML path and root. */
export function routeOf(m: CompiledMapping): { scope: string; name: string } {
  return m.answers.kind === 'soap' ? { scope: m.posSystem, name: m.answers.operation } : { scope: m.answers.path, name: m.answers.root };
}

export function createRouteTable(mappings: readonly CompiledMapping[]): RouteTable {
  const routes = new Map<string, { selective: CompiledMapping[]; fallback: CompiledMapping | undefined }>();
  for (const m of mappings) {
    const { scope, name } = routeOf(m);
    const key = routeKey(scope, name);
    const route = routes.get(key) ?? { selective: [], fallback: undefined };
    if (m.selects === undefined && route.fallback !== undefined) {
      // The registry refuses this at load; reaching it means a wrapper dropped `selects` and routing would be wrong.
      throw new Error(`two mappings answer ${name} without answers.when: ${route.fallback.id}, ${m.id}`);
    }
    if (m.selects === undefined) route.fallback = m;
    else route.selective.push(m);
    routes.set(key, route);
  }
  return Object.freeze({
    has: (scope: string, name: string) => routes.has(routeKey(scope, name)),
    async pick(scope: string, name: string, input: MappingInput) {
      const route = routes.get(routeKey(scope, name));
      if (route === undefined) return undefined;
      for (const m of route.selective) if (await m.selects!(input)) return m;
      if (route.fallback !== undefined) return route.fallback;
      throw gwError('GW_MAP_REJECTED', { detail: `no mapping of ${name} answers this request (answers.when)` });
    },
  });
}

function routeKey(scope: string, name: string): string {
  return `${scope}\u0000${name}`;
}
