// The simulator's error catalogue. It plays SensePass, so these are SensePass-side errors, not gateway (GW_) codes;
// every 4xx/5xx answer of the simulator is rendered from here in one shape (docs/simulator.md "Errors").

interface SimErrorEntry {
  readonly status: number;
  /** Numeric code in the refund/credit style (`errorCode`, reference §2.5); 22 = declined by processor. */
  readonly errorCode: number;
  readonly message: string;
}

export const simCatalogue = {
  SIM_INVALID_INPUT: { status: 400, errorCode: 1, message: 'Invalid input: {detail}' },
  SIM_MALFORMED_JSON: { status: 400, errorCode: 2, message: 'Request body is not valid JSON' },
  SIM_BODY_TOO_LARGE: { status: 413, errorCode: 3, message: 'Request body is too large' },
  SIM_UNAUTHORIZED: { status: 401, errorCode: 4, message: 'Unknown or missing credentials' },
  SIM_NOT_FOUND: { status: 404, errorCode: 5, message: '{what} not found' },
  SIM_ILLEGAL_TRANSITION: { status: 409, errorCode: 6, message: 'Transaction {n} cannot go from status {from} to {to}' },
  SIM_CANNOT_CANCEL: { status: 501, errorCode: 7, message: 'Transaction cannot be canceled: {reason}' },
  SIM_NOT_REFUNDABLE: { status: 400, errorCode: 8, message: 'Transaction cannot be refunded: {reason}' },
  SIM_NOT_COMMITTABLE: { status: 409, errorCode: 9, message: 'Payment cannot be committed: {reason}' },
  SIM_TOKEN_REJECTED: { status: 400, errorCode: 10, message: 'Token cannot be used: {reason}' },
  SIM_NOT_UPDATABLE: { status: 409, errorCode: 11, message: 'Cannot update: {reason}' },
  SIM_WRONG_STATE: { status: 409, errorCode: 12, message: 'Operation not possible: {reason}' },
  SIM_INJECTED_FAULT: { status: 500, errorCode: 500, message: 'Internal Error (injected by the simulator)' },
  SIM_INTERNAL: { status: 500, errorCode: 500, message: 'Internal Error' },
} as const satisfies Record<string, SimErrorEntry>;

export type SimErrorCode = keyof typeof simCatalogue;

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly status: number;
  readonly errorCode: number;
  /** Extra fields merged into the body (e.g. the refund envelope's `result`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: SimErrorCode, params: Readonly<Record<string, string | number>> = {}, extra: Record<string, unknown> = {}, status?: number) {
    const entry: SimErrorEntry = simCatalogue[code];
    super(entry.message.replace(/\{(\w+)\}/g, (_, k: string) => (Object.hasOwn(params, k) ? String(params[k]) : `{${k}}`)));
    this.name = 'SimError';
    this.code = code;
    this.status = status ?? entry.status;
    this.errorCode = entry.errorCode;
    this.extra = extra;
  }
}

export function simError(code: SimErrorCode, params?: Readonly<Record<string, string | number>>, extra?: Record<string, unknown>): SimError {
  return new SimError(code, params, extra);
}

export interface SimErrorBody {
  success: false;
  code: SimErrorCode;
  message: string;
  errorCode: number;
  errorMessage: string;
  [extra: string]: unknown;
}

/** The one error body: `{success:false, code, message, errorCode, errorMessage}` (+ endpoint-specific extras). */
export function errorBody(err: SimError): SimErrorBody {
  return { ...err.extra, success: false, code: err.code, message: err.message, errorCode: err.errorCode, errorMessage: err.message };
}
