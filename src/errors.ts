// The one error catalogue: every error the gateway can raise is declared here once.
// Callers throw `gwError(code, params)`; only egress turns these into faults.

export type FaultClass = 'client' | 'server';

export interface CatalogueEntry {
  /** HTTP status used by XML/JSON egress and for SOAP faults (500 for all SOAP faults is set by egress). */
  readonly status: number;
  /** SOAP 1.1 Client/Server, SOAP 1.2 Sender/Receiver. */
  readonly fault: FaultClass;
  /** Message template; `{name}` placeholders are filled from params. Shown to the POS: no internals. */
  readonly message: string;
}

export const catalogue = {
  // Start-up: configuration, mappings, WSDLs.
  GW_CONFIG_INVALID: { status: 500, fault: 'server', message: 'Configuration is invalid: {detail}' },
  GW_CONFIG_FILE_UNREADABLE: { status: 500, fault: 'server', message: 'Configuration file cannot be read: {path}' },
  GW_MAPPING_INVALID: { status: 500, fault: 'server', message: 'Mapping files are invalid: {detail}' },
  GW_WSDL_INVALID: { status: 500, fault: 'server', message: 'WSDL cannot be loaded: {detail}' },

  // Ingress: reading and parsing the message.
  GW_INGRESS_BODY_TOO_LARGE: { status: 413, fault: 'client', message: 'Message body exceeds {limit} bytes' },
  GW_INGRESS_EMPTY_BODY: { status: 400, fault: 'client', message: 'Message body is empty' },
  GW_INGRESS_CONTENT_TYPE: { status: 415, fault: 'client', message: 'Unsupported content type: {contentType}' },
  GW_INGRESS_CONTENT_ENCODING: { status: 415, fault: 'client', message: 'Unsupported or corrupt content encoding' },
  GW_INGRESS_DOCTYPE_FORBIDDEN: { status: 400, fault: 'client', message: 'DOCTYPE declarations are not allowed' },
  GW_INGRESS_MALFORMED_XML: { status: 400, fault: 'client', message: 'Message is not well-formed XML' },
  GW_INGRESS_INVALID_UTF8: { status: 400, fault: 'client', message: 'Message is not valid in its declared encoding' },
  GW_INGRESS_ENCODING_MISMATCH: { status: 400, fault: 'client', message: 'Declared encoding does not match the message bytes' },
  GW_INGRESS_DEPTH_EXCEEDED: { status: 400, fault: 'client', message: 'Message nesting exceeds {limit} levels' },
  GW_INGRESS_TOO_MANY_ELEMENTS: { status: 400, fault: 'client', message: 'Message has more than {limit} elements' },
  GW_INGRESS_TOO_MANY_ATTRIBUTES: { status: 400, fault: 'client', message: 'An element has more than {limit} attributes' },
  GW_INGRESS_TEXT_TOO_LONG: { status: 400, fault: 'client', message: 'A text value exceeds {limit} characters' },
  GW_INGRESS_FORBIDDEN_NAME: { status: 400, fault: 'client', message: 'Element or attribute name is not allowed: {name}' },
  GW_INGRESS_DUPLICATE_BODY: { status: 400, fault: 'client', message: 'The message body must contain exactly one operation element' },
  GW_INGRESS_MALFORMED_JSON: { status: 400, fault: 'client', message: 'Message is not valid JSON' },
  GW_INGRESS_BAD_HOST: { status: 400, fault: 'client', message: 'The Host header is not a valid host name' },
  GW_INGRESS_BODY_TIMEOUT: { status: 408, fault: 'client', message: 'Message body did not arrive within {limit} ms' },
  GW_INGRESS_BODY_INCOMPLETE: { status: 400, fault: 'client', message: 'Message body ended before it was complete' },
  GW_INGRESS_IDEMPOTENCY_KEY: { status: 400, fault: 'client', message: 'The Idempotency-Key header must be 1 to 128 visible ASCII characters' },

  // SOAP envelope rules.
  GW_SOAP_NOT_ENVELOPE: { status: 400, fault: 'client', message: 'Message is not a SOAP envelope' },
  GW_SOAP_VERSION_MISMATCH: { status: 400, fault: 'client', message: 'SOAP version does not match this endpoint: {detail}' },
  GW_SOAP_ACTION_MISMATCH: { status: 400, fault: 'client', message: 'SOAP action does not match the body element' },
  GW_SOAP_MUST_UNDERSTAND: { status: 400, fault: 'client', message: 'A mustUnderstand header is not understood: {header}' },

  // Routing and schema.
  GW_ROUTE_NOT_FOUND: { status: 404, fault: 'client', message: 'No endpoint at this path' },
  GW_ROUTE_UNKNOWN_OPERATION: { status: 400, fault: 'client', message: 'Operation is not offered by this service: {operation}' },
  GW_OPERATION_NOT_MAPPED: { status: 501, fault: 'server', message: 'Operation {operation} is in the WSDL but this gateway does not answer it' },
  GW_ROUTE_UNKNOWN_ROOT: { status: 400, fault: 'client', message: 'No mapping answers the root element {root}' },
  GW_ROUTE_METHOD_NOT_ALLOWED: { status: 405, fault: 'client', message: 'Method not allowed' },
  GW_SCHEMA_VIOLATION: { status: 400, fault: 'client', message: 'Message does not match the service schema: {detail}' },
  GW_SCHEMA_REPLY_INVALID: { status: 500, fault: 'server', message: 'The reply does not match the service schema: {detail}' },

  // SensePass dialect (/api-soap, /api-xml) and Terminal Agent (/api) endpoints.
  GW_DIALECT_BAD_VALUE: { status: 400, fault: 'client', message: 'Element {field} must be {expected}' },
  GW_AGENT_NO_TRANSACTION: { status: 404, fault: 'client', message: 'No transaction was created through this gateway for this client yet' },
  GW_AGENT_NO_DEVICE: { status: 404, fault: 'client', message: 'No SensePass device is configured for this client' },

  // Client authentication.
  GW_AUTH_FAILED: { status: 401, fault: 'client', message: 'Authentication failed' },
  GW_AUTH_RATE_LIMITED: { status: 429, fault: 'client', message: 'Too many failed authentication attempts; try again later' },
  GW_AUTH_NO_CREDENTIALS: { status: 403, fault: 'client', message: 'No SensePass credentials are configured for this client' },

  // Authorization (what an authenticated or anonymous client may do). One message whatever the reason.
  GW_FORBIDDEN: { status: 403, fault: 'client', message: 'This request is not allowed for this client' },
  GW_TRANSACTION_NOT_FOUND: { status: 404, fault: 'client', message: 'No transaction with this number' },
  GW_CLIENT_BUSY: { status: 429, fault: 'server', message: 'This client already has its maximum of payments in progress; retry shortly' },

  // Mapping evaluation.
  GW_MAP_EXPRESSION_FAILED: { status: 500, fault: 'server', message: 'Mapping {mapping} failed while evaluating {field}' },
  GW_MAP_INVALID_AMOUNT: { status: 400, fault: 'client', message: 'Invalid amount: {detail}' },
  GW_MAP_UNKNOWN_CURRENCY: { status: 400, fault: 'client', message: 'Unsupported currency: {currency}' },
  GW_MAP_MISSING_VALUE: { status: 400, fault: 'client', message: 'Required value is missing: {field}' },
  GW_MAP_ORIGINAL_NOT_FOUND: { status: 404, fault: 'client', message: 'No earlier transaction matches {reference}' },
  GW_MAP_REJECTED: { status: 400, fault: 'client', message: '{detail}' },
  GW_MAP_XML_INVALID: { status: 400, fault: 'client', message: 'XML text inside the message is not acceptable: {reason}' },
  GW_MAP_XML_BUILD_FAILED: { status: 500, fault: 'server', message: 'A mapping could not build XML text: {detail}' },

  // Idempotency and journal.
  GW_IDEMPOTENCY_CONFLICT: { status: 409, fault: 'client', message: 'This request key was already used with a different payload' },
  GW_JOURNAL_UNAVAILABLE: { status: 503, fault: 'server', message: 'The payment journal is unavailable; no payment was started' },
  GW_JOURNAL_SCHEMA_NEWER: { status: 503, fault: 'server', message: 'The payment journal was written by a newer gateway version (schema {found}, this version knows {known})' },
  GW_JOURNAL_ILLEGAL_TRANSITION: { status: 500, fault: 'server', message: 'The payment journal refused an invalid state change' },
  GW_JOURNAL_ENTRY_NOT_FOUND: { status: 500, fault: 'server', message: 'The payment journal has no such entry' },
  GW_JOURNAL_SECRET_REFUSED: { status: 500, fault: 'server', message: 'The payment journal refused to store card data or a secret' },

  // Upstream (SensePass).
  GW_UPSTREAM_TIMEOUT: { status: 504, fault: 'server', message: 'SensePass did not answer in time' },
  GW_UPSTREAM_UNAVAILABLE: { status: 502, fault: 'server', message: 'SensePass is unavailable' },
  GW_UPSTREAM_UNAVAILABLE_RETRY: {
    status: 503,
    fault: 'server',
    message: 'SensePass is unavailable and no payment was created; send the same request again',
  },
  GW_UPSTREAM_REJECTED: { status: 502, fault: 'server', message: 'SensePass rejected the request: {detail}' },
  GW_UPSTREAM_AUTH: { status: 502, fault: 'server', message: 'SensePass refused the configured credentials' },
  GW_UPSTREAM_BAD_RESPONSE: { status: 502, fault: 'server', message: 'SensePass sent an answer the gateway cannot read' },

  // Outcome.
  GW_OUTCOME_UNKNOWN: { status: 504, fault: 'server', message: 'The payment outcome is not known yet; retry the same request to get it' },
  GW_PAYMENT_DECLINED: { status: 402, fault: 'client', message: 'The payment was not approved: {outcome}' },

  // Callbacks from SensePass.
  GW_CALLBACK_SIGNATURE: { status: 401, fault: 'client', message: 'Callback signature is invalid' },
  GW_CALLBACK_REPLAYED: { status: 409, fault: 'client', message: 'Callback was already received' },

  // Lifecycle.
  GW_NOT_READY: { status: 503, fault: 'server', message: 'The gateway is starting or shutting down' },
  GW_SERVER_BUSY: { status: 503, fault: 'server', message: 'The gateway is at its limit of payments in progress; retry shortly' },
  GW_SERVER_INTERNAL: { status: 500, fault: 'server', message: 'Internal gateway error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;

export type ErrorParams = Readonly<Record<string, string | number>>;

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fault: FaultClass;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    const entry: CatalogueEntry = catalogue[code];
    super(render(entry.message, params), options);
    this.name = 'GatewayError';
    this.code = code;
    this.status = entry.status;
    this.fault = entry.fault;
    this.params = params;
  }
}

export function gwError(code: ErrorCode, params?: ErrorParams, cause?: unknown): GatewayError {
  return new GatewayError(code, params, cause === undefined ? undefined : { cause });
}

export function isGatewayError(err: unknown, code?: ErrorCode): err is GatewayError {
  return err instanceof GatewayError && (code === undefined || err.code === code);
}

/** Any thrown value as a catalogue error; unknown errors become GW_SERVER_INTERNAL with no internal text. */
export function toGatewayError(err: unknown): GatewayError {
  return err instanceof GatewayError ? err : new GatewayError('GW_SERVER_INTERNAL', {}, { cause: err });
}

function render(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return value === undefined ? `{${name}}` : String(value);
  });
}
