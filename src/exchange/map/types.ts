// The mapping engine's public contract: what the exchange asks a compiled mapping, and what it gets back.
import type { SensePassCredentials } from '../../config.js';
import type { ErrorCode, ErrorParams, GatewayError } from '../../errors.js';
import type { SoapService } from '../../ingress/wsdl-service.js';
import type { ClientIdentity } from '../../route/message.js';
import type { UpstreamCall } from '../call/payment-api.js';
import type { Outcome, TransactionEntity } from '../call/transaction.js';
import type { Exchange } from '../exchange.js';
import type { ExpressionLimits } from './expression.js';

export interface MappingInput {
  /** The operation element's content (SOAP) or the root element's content (XML), typed by the schema. */
  readonly message: Readonly<Record<string, unknown>>;
  readonly identity: ClientIdentity;
}

export interface PlannedCall {
  /** undefined: the mapping makes no upstream call (the reply is built from the looked-up original). */
  readonly call: UpstreamCall | undefined;
  /** POST /transactions/init, /transactions/pay or /transactions/credit: money may move. */
  readonly createsPayment: boolean;
  readonly await: { readonly deadlineMs: number; readonly onDeadline: 'cancel' | 'none' } | undefined;
  /** Non-secret values to store in the journal (POS references, amount in minor units, currency). */
  readonly context: Readonly<Record<string, unknown>>;
}

export interface CallResult {
  /** Set by the exchange after awaiting a final status (UNKNOWN when the deadline passed unresolved). */
  readonly outcome: Outcome | undefined;
  /** The final SensePass entity when the exchange awaited one. */
  readonly transaction: TransactionEntity | undefined;
  /** The call's raw JSON answer. */
  readonly response: unknown;
  /** The looked-up earlier exchange, when the mapping has a `lookup`. */
  readonly original: Exchange | undefined;
  /** The original's SensePass entity when the mapping's lookup has `fetch: true`. */
  readonly originalTransaction?: TransactionEntity | undefined;
  /** HTTP status of the call's answer, when there was one. */
  readonly httpStatus?: number | undefined;
  /** Any catalogue error from lookup, plan() or the call; the mapping decides reply or fault. */
  readonly error: GatewayError | undefined;
}

export type ReplyBuild =
  | { readonly kind: 'reply'; readonly value: Record<string, unknown>; readonly outcome: string | undefined }
  | { readonly kind: 'fault'; readonly code: ErrorCode; readonly params: ErrorParams };

export type MappingAnswers =
  | { readonly kind: 'soap'; readonly service: string; readonly operation: string }
  | { readonly kind: 'xml'; readonly path: string; readonly root: string };

export interface CompiledMapping {
  readonly id: string;
  /** Absolute path of the YAML file. */
  readonly file: string;
  /** Folder name under the mappings directory, e.g. "acme-pos" (also the WSDL folder name). */
  readonly posSystem: string;
  readonly answers: MappingAnswers;
  readonly createsPayment: boolean;
  /** The lookup asks the exchange to read the original's SensePass entity before plan() (`lookup.fetch`). */
  readonly fetchOriginal: boolean;
  /**
   * Present when the mapping answers only some messages of its operation (`answers.*.when`): true when this one does.
   * Throws like key() when the expression fails.
   */
  selects?(input: MappingInput): Promise<boolean>;
  /** Idempotency key (the exchange scopes it by identity); undefined when the mapping declares none. */
  key(input: MappingInput): Promise<string | undefined>;
  /** The key of the earlier exchange to look up in the journal, when the mapping has a `lookup`. */
  lookupKey(input: MappingInput): Promise<{ key: string; required: boolean } | undefined>;
  /** Throws GW_MAP_ORIGINAL_NOT_FOUND when a required original is missing, GW_MAP_* for bad input. */
  plan(input: MappingInput, original: Exchange | undefined, originalTransaction?: TransactionEntity): Promise<PlannedCall>;
  reply(input: MappingInput, result: CallResult): Promise<ReplyBuild>;
  /**
   * Contract-shaped errors, rendered at the edge: the reply body for a gateway error raised for this operation
   * (`when.<code>`, else `errors`), or undefined to answer with a fault. `input` is undefined when the request could
   * not be read (e.g. GW_SCHEMA_VIOLATION): expressions then see no request fields. Throws like reply().
   */
  errorReply?(input: MappingInput | undefined, error: GatewayError): Promise<Record<string, unknown> | undefined>;
}

export interface MappingRegistry {
  all(): readonly CompiledMapping[];
  byId(id: string): CompiledMapping | undefined;
  forSoap(service: string, operation: string): CompiledMapping | undefined;
  forXml(path: string, root: string): CompiledMapping | undefined;
  /** Non-fatal findings (e.g. a payment without an idempotency key); `check` prints them. */
  warnings(): readonly MappingProblem[];
}

/** Resolves a POS identity to its SensePass credentials (from config); secrets never reach expressions. */
export type CredentialsFor = (identity: ClientIdentity) => SensePassCredentials | undefined;

export interface LoadMappingsOptions {
  /** Operations per SOAP service from the WSDLs; a mapping answering anything else is an error. */
  readonly knownOperations?: ReadonlyMap<string, ReadonlySet<string>>;
  /** SOAP services by WSDL folder: each SOAP mapping's replies are checked against its operation's schema. */
  readonly soapServices?: ReadonlyMap<string, SoapService>;
  readonly credentialsFor?: CredentialsFor;
  readonly limits?: Partial<ExpressionLimits>;
}

export interface MappingProblem {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}
