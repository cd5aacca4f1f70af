// pino logger with redaction declared once: card data, tokens, passwords, keys and SOAP security headers never reach
// a log line. Four layers: pino redact paths (known shapes), a deep mask of every logged object (any depth),
// maskXml / maskJson for raw-message capture at debug level, and card numbers masked on the finished line.
import { pino, type Logger, type DestinationStream } from 'pino';
import { maskPanNumber, maskPansInText } from './card-data.js';

export type { Logger };

/** Keys whose values are secrets wherever they appear (lower case; also used by the journal's secret guard). */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'cardNumber', 'pan', 'securityCode', 'cvv', 'cvc', 'cvv2', 'cardExpiration', 'expiration', 'expiry', 'expirationDate',
    'expiryDate', 'token', 'cardToken', 'password', 'apiKey', 'merchantApiKey', 'branchApiKey', 'hmacSecret', 'secret',
    'authorization', 'HMAC-Authorization', 'Nonce', 'socialID', 'creditCard', 'creditCardDetails', 'track1', 'track2',
  ].map((k) => k.toLowerCase()),
);

/** Log-only extras: SOAP security headers and other credentials (normalised: lower case, no separators). */
const LOG_ONLY_KEYS = ['security', 'binarysecuritytoken', 'cookie', 'setcookie', 'pin', 'accesstoken', 'refreshtoken', 'passwd'];
const SECRET_NORMALISED: ReadonlySet<string> = new Set([...[...SECRET_KEYS].map(normaliseKey), ...LOG_ONLY_KEYS]);

/** Device ids identify a till; shown masked so logs still correlate without exposing the credential. */
const MASKED_KEYS: ReadonlySet<string> = new Set(['deviceid', 'devicealiaskey']);

const CENSOR = '[redacted]';
const PATH_KEYS = [
  'cardNumber', 'pan', 'securityCode', 'cvv', 'cardExpiration', 'expiration', 'token', 'password', 'apiKey',
  'merchantApiKey', 'branchApiKey', 'hmacSecret', 'creditCardDetails', 'creditCard', 'Security', 'deviceId',
];

/** pino redact paths for the shapes we log (compiled once by pino); deviceId is masked, the rest censored. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization', 'req.headers["hmac-authorization"]', 'req.headers.cookie',
  'headers.authorization', 'headers["hmac-authorization"]', 'headers.cookie',
  ...PATH_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
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
      redact: { paths: [...REDACT_PATHS], censor: censor },
      // Belt and braces: paths cover known shapes, the deep mask covers any depth and any spelling.
      formatters: {
        log: (obj) => maskSecrets(obj) as Record<string, unknown>,
        bindings: (b) => maskSecrets(b) as Record<string, unknown>,
      },
      serializers: { err: pino.stdSerializers.err },
      // Last line of defence, on the finished line: messages, error messages and stacks, child bindings. Luhn-valid
      // runs only, so the line's own numbers (time, pid) are never touched.
      hooks: { streamWrite: (line) => maskPansInText(line, { json: true }) },
    },
    options.destination,
  );
}

function censor(value: unknown, path: string[]): unknown {
  const key = normaliseKey(path[path.length - 1] ?? '');
  return MASKED_KEYS.has(key) && typeof value === 'string' ? maskId(value) : CENSOR;
}

/** Deep copy of plain objects/arrays with every secret value replaced; other objects (errors, buffers) pass as is. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPans(value);
  if (typeof value === 'number') return maskPanNumber(value);
  if (depth > 32) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = normaliseKey(k);
    if (SECRET_NORMALISED.has(key)) out[k] = CENSOR;
    else if (MASKED_KEYS.has(key)) out[k] = typeof v === 'string' ? maskId(v) : CENSOR;
    else out[k] = maskSecrets(v, depth + 1);
  }
  return out;
}

/** Keeps the first and last four characters of an identifier. */
export function maskId(id: string): string {
  return id.length <= 10 ? '****' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

const XML_SECRET_NAMES = [
  'CardNumber', 'Pan', 'PrimaryAccountNumber', 'AccountNumber', 'CVV', 'CVV2', 'CVC', 'SecurityCode', 'ExpiryDate',
  'ExpirationDate', 'Expiry', 'ExpDate', 'CardExpiration', 'Expiration', 'CardToken', 'Token', 'Password', 'Nonce',
  'ApiKey', 'MerchantApiKey', 'BranchApiKey', 'HmacSecret', 'Track1', 'Track2', 'PIN', 'BinarySecurityToken', 'SocialID',
].join('|');
const XML_CONTAINERS = 'CreditCardDetails|CreditCard|CardData';
const QNAME_PREFIX = '(?:[A-Za-z_][\\w.-]*:)?';
const CONTENT = '(?:[^<]|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)*';
const XML_ELEMENT = new RegExp(`<(${QNAME_PREFIX}(?:${XML_SECRET_NAMES}))(\\s[^>]*)?>(${CONTENT})</\\1\\s*>`, 'gi');
const XML_DEVICE = new RegExp(`<(${QNAME_PREFIX}(?:DeviceId|DeviceAliasKey))(\\s[^>]*)?>([^<]*)</\\1\\s*>`, 'gi');
const XML_CONTAINER = new RegExp(`<(${QNAME_PREFIX}(?:${XML_CONTAINERS}))(\\s[^>]*)?>[\\s\\S]*?</\\1\\s*>`, 'gi');
const XML_ATTRIBUTE = new RegExp(`(\\s${QNAME_PREFIX}(?:${XML_SECRET_NAMES}))(\\s*=\\s*)(["'])[^"']*\\3`, 'gi');

/** Masks secrets inside a raw XML message (any prefix, any case), for message capture at debug level. */
export function maskXml(text: string): string {
  return maskPans(
    text
      .replace(XML_CONTAINER, (_m, name: string, attrs = '') => `<${name}${attrs}>${CENSOR}</${name}>`)
      .replace(XML_ELEMENT, (_m, name: string, attrs = '') => `<${name}${attrs}>${CENSOR}</${name}>`)
      .replace(XML_DEVICE, (_m, name: string, attrs = '', v: string) => `<${name}${attrs}>${maskId(v.trim())}</${name}>`)
      .replace(XML_ATTRIBUTE, (_m, name: string, eq: string, q: string) => `${name}${eq}${q}${CENSOR}${q}`),
  );
}

const JSON_STRING_FIELD = /"([A-Za-z_][\w-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** Masks secrets inside a raw JSON message; text that does not parse is masked field by field. */
export function maskJson(text: string): string {
  try {
    return JSON.stringify(maskSecrets(JSON.parse(text)));
  } catch {
    return maskPans(
      text.replace(JSON_STRING_FIELD, (m, key: string, colon: string, value: string) => {
        const k = normaliseKey(key);
        if (SECRET_NORMALISED.has(k)) return `"${key}"${colon}"${CENSOR}"`;
        return MASKED_KEYS.has(k) ? `"${key}"${colon}"${maskId(value)}"` : m;
      }),
    );
  }
}

/**
 * Card numbers by shape, whatever field they sit in (src/card-data.ts): Luhn-valid ones keep their first 6 and last 4
 * digits; in logs any other stand-alone run of 13–19 digits becomes `[pan]` as well, because test and private-label
 * cards (e.g. 4580111111111111) fail Luhn. Ids inside hex strings are left alone (letters around the run).
 */
function maskPans(text: string): string {
  return maskPansInText(text, { evenWithoutLuhn: true });
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}
