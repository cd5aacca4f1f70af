// Callback HMAC: HMAC-SHA256(secret, randomKey + rawBody), hex or base64, anything else refused.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../src/exchange/await/callback-signature.js';

const secret = 'merchant-secret';
const key = 'a1b2c3d4e5f60718';
const body = Buffer.from('{"TransactionNumber":"ab","status":5}');
const mac = (s: string, data: string) => createHmac('sha256', s).update(data).digest();

describe('verifyCallbackSignature', () => {
  it('accepts lowercase hex, uppercase hex and base64 of the right HMAC', () => {
    const digest = mac(secret, key + body.toString());
    expect(verifyCallbackSignature(secret, key, digest.toString('hex'), body)).toBe(true);
    expect(verifyCallbackSignature(secret, key, digest.toString('hex').toUpperCase(), body)).toBe(true);
    expect(verifyCallbackSignature(secret, key, digest.toString('base64'), body)).toBe(true);
  });
  it('refuses another secret, another body, the other order, a truncated or missing signature', () => {
    const good = mac(secret, key + body.toString()).toString('hex');
    expect(verifyCallbackSignature('other', key, good, body)).toBe(false);
    expect(verifyCallbackSignature(secret, key, good, Buffer.from('{"status":9}'))).toBe(false);
    expect(verifyCallbackSignature(secret, key, mac(secret, body.toString() + key).toString('hex'), body)).toBe(false);
    expect(verifyCallbackSignature(secret, key, good.slice(0, 40), body)).toBe(false);
    expect(verifyCallbackSignature(secret, undefined, good, body)).toBe(false);
    expect(verifyCallbackSignature(secret, key, undefined, body)).toBe(false);
    expect(verifyCallbackSignature('', key, good, body)).toBe(false);
  });
  it('signs a GET (no body) over the random key alone', () => {
    expect(verifyCallbackSignature(secret, key, mac(secret, key).toString('hex'), Buffer.alloc(0))).toBe(true);
  });
});
