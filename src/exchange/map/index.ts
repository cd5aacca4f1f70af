// The mapping engine's entry point: load and validate mapping files, then ask compiled mappings what to do.
export { checkMappings, loadMappings, type MappingCheck } from './registry.js';
export { formatProblem } from './problems.js';
export { CURRENCY_PLACES, toDecimal, toMinorUnits } from './money.js';
export { DEFAULT_LIMITS, type ExpressionLimits } from './expression.js';
export type {
  CallResult, CompiledMapping, CredentialsFor, LoadMappingsOptions, MappingAnswers, MappingInput, MappingProblem,
  MappingRegistry, PlannedCall, ReplyBuild,
} from './types.js';
