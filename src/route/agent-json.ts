// JSON bodies for the Terminal Agent endpoints: UTF-8 only, an object at the top, nesting within limits.maxDepth (the
// same limit and code as XML), and no key that could reach an object's prototype (`__proto__`, `constructor`,
// `prototype`), the same names the XML parser refuses.
import { gwError, isGatewayError } from '../errors.js';
import { FORBIDDEN_NAMES } from '../ingress/xml-chars.js';

/** Throws GW_INGRESS_DEPTH_EXCEEDED when objects and arrays nest deeper than maxDepth (one pass, before parsing). */
export function assertJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw gwError('GW_INGRESS_DEPTH_EXCEEDED', { limit: maxDepth });
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

export function parseJsonObject(text: string, maxDepth: number): Record<string, unknown> {
  assertJsonDepth(text, maxDepth);
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
