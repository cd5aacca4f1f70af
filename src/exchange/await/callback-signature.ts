// HMAC verification of SensePass callbacks (reference §8.2): HMAC-SHA256(secret, randomKey + rawBody), encoding
// undocumented [GAP] so lowercase/uppercase hex and base64 are accepted; compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_BYTES = 32;

/** The signature header decoded to bytes, or undefined when it is neither 64 hex digits nor base64 of 32 bytes. */
function decodeSignature(header: string): Buffer | undefined {
  const text = header.trim().replace(/^sha256=/i, '');
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
    const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    return bytes.length === SHA256_BYTES ? bytes : undefined;
  }
  return undefined;
}

/**
 * true only for a signature over exactly these bytes. GET callbacks carry no body: they are signed over the random
 * key alone (randomKey + ''), as the simulator does — our choice for an undocumented case.
 */
export function verifyCallbackSignature(secret: string, randomKey: string | undefined, signature: string | undefined, rawBody: Buffer): boolean {
  if (secret === '' || randomKey === undefined || randomKey === '' || signature === undefined) return false;
  const given = decodeSignature(signature);
  if (given === undefined) return false;
  const expected = createHmac('sha256', secret).update(randomKey, 'utf8').update(rawBody).digest();
  // Both are 32 bytes here; timingSafeEqual requires equal lengths and compares in constant time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
