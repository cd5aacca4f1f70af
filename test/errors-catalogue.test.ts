// Keeps src/errors.ts and docs/errors.md in step: every code documented, nothing documented that does not exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, GatewayError, gwError, toGatewayError } from '../src/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `(GW_[A-Z0-9_]+)` \|/gm)].map((m) => m[1] ?? ""));

describe('error catalogue', () => {
  it('documents every code in docs/errors.md', () => {
    const missing = Object.keys(catalogue).filter((c) => !documented.has(c));
    expect(missing).toEqual([]);
  });
  it('documents no code that does not exist', () => {
    const extra = [...documented].filter((c) => !(c in catalogue));
    expect(extra).toEqual([]);
  });
  it('codes follow GW_<AREA>_<WHAT> and statuses are HTTP error statuses', () => {
    // GW_FORBIDDEN is named by issue 11: one refusal code for every authorization reason, with no area.
    for (const [code, entry] of Object.entries(catalogue)) {
      if (code !== 'GW_FORBIDDEN') expect(code).toMatch(/^GW_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
    }
  });
  it('renders message templates from params', () => {
    const e = gwError('GW_INGRESS_BODY_TOO_LARGE', { limit: 1024 });
    expect(e).toBeInstanceOf(GatewayError);
    expect(e.message).toBe('Message body exceeds 1024 bytes');
    expect(e.status).toBe(413);
    expect(e.fault).toBe('client');
  });
  it('turns unknown errors into GW_SERVER_INTERNAL without their text', () => {
    const e = toGatewayError(new Error('secret internal detail at /etc/passwd'));
    expect(e.code).toBe('GW_SERVER_INTERNAL');
    expect(e.message).not.toContain('secret');
  });
});
