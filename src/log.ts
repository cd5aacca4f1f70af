// pino logger with the redaction paths declared once; card data and keys never reach a log line.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a logged object (see maskSecrets). */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'cardNumber', 'pan', 'securityCode', 'cvv', 'cvc', 'cardExpiration', 'expiration', 'expiry', 'expirationDate',
    'token', 'password', 'Password', 'apiKey', 'merchantApiKey', 'branchApiKey', 'hmacSecret', 'secret',
    'authorization', 'Authorization', 'HMAC-Authorization', 'hmac-authorization', 'Nonce', 'socialID', 'socialId',
  ].map((k) => k.toLowerCase()),
);

/** Device ids identify a till; shown masked so logs still correlate without exposing the credential. */
const MASKED_KEYS: ReadonlySet<string> = new Set(['deviceid', 'devicealiaskey']);

/** pino redact paths for the shapes we log (compiled once by pino). */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["hmac-authorization"]',
  'headers.authorization',
  'headers["hmac-authorization"]',
  '*.cardNumber', '*.securityCode', '*.cvv', '*.cardExpiration', '*.expiration',
  '*.token', '*.password', '*.apiKey', '*.merchantApiKey', '*.hmacSecret',
  '*.creditCardDetails', '*.creditCard',
  '*.*.cardNumber', '*.*.securityCode', '*.*.cvv', '*.*.cardExpiration', '*.*.token', '*.*.apiKey',
];

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'sensepass-gateway' },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}

/** Deep copy with every secret value replaced, for raw-message capture where paths are unknown. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.toLowerCase();
    if (SECRET_KEYS.has(key)) out[k] = '[redacted]';
    else if (MASKED_KEYS.has(key) && typeof v === 'string') out[k] = maskId(v);
    else out[k] = maskSecrets(v, depth + 1);
  }
  return out;
}

/** Keeps the first and last four characters of an identifier. */
export function maskId(id: string): string {
  return id.length <= 10 ? '****' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
