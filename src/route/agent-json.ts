// JSON bodies for the Terminal Agent endpoints: UTF-8 only, an object at the top, and no key that could reach an
// object's prototype (`__proto__`, `constructor`, `prototype`), the same names the XML parser refuses.
import { gwError, isGatewayError } from '../errors.js';
import { FORBIDDEN_NAMES } from '../ingress/xml-chars.js';

export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (FORBIDDEN_NAMES.has(key)) throw gwError('GW_INGRESS_FORBIDDEN_NAME', { name: key });
      return v;
    });
  } catch (err) {
    if (isGatewayError(err)) throw err;
    throw gwError('GW_INGRESS_MALFORMED_JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw gwError('GW_INGRESS_MALFORMED_JSON');
  return value as Record<string, unknown>;
}
