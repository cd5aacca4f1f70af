// Contract-shaped errors at the edge: a POS whose contract reports errors in the reply body (ResultCode=99) gets
// that body for any gateway fault raised once its operation is known — idempotency conflicts, schema violations,
// journal or upstream failures — when its mapping says how (`errors:` or a `when` keyed by the code).
import type { GatewayError } from '../errors.js';
import type { CompiledMapping, MappingInput, MappingRegistry } from '../exchange/map/index.js';
import type { Logger } from '../log.js';

/** The reply body for `error` on `operation`, or undefined to answer with the usual fault. Never throws. */
export type ContractErrorReply = (operation: string, error: GatewayError, input: MappingInput | undefined) => Promise<Record<string, unknown> | undefined>;

/** For the SOAP endpoint `endpoint` (a wsdl/<pos-system> folder): the mapping of each operation, found once. */
export function soapContractErrors(mappings: MappingRegistry, endpoint: string, logger: Logger): ContractErrorReply {
  const byOperation = new Map<string, CompiledMapping>();
  for (const m of mappings.all()) {
    if (m.answers.kind !== 'soap' || m.posSystem !== endpoint) continue;
    // Several mappings of one operation (answers.when): the fallback's error replies, else the first one's.
    if (m.selects === undefined || !byOperation.has(m.answers.operation)) byOperation.set(m.answers.operation, m);
  }
  return (operation, error, input) => renderContractError(byOperation.get(operation), error, input, logger);
}

/** The mapping's contract reply for `error`; a reply that cannot be built falls back to the fault (logged). */
export async function renderContractError(
  mapping: CompiledMapping | undefined, error: GatewayError, input: MappingInput | undefined, logger: Logger,
): Promise<Record<string, unknown> | undefined> {
  if (mapping?.errorReply === undefined) return undefined;
  try {
    return await mapping.errorReply(input, error);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    logger.warn({ mapping: mapping.id, code: error.code, renderCode: typeof code === 'string' ? code : 'GW_SERVER_INTERNAL' }, 'contract error reply could not be built; answering with a fault');
    return undefined;
  }
}
