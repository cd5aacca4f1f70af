// credentialsFor(): per-client SensePass credentials from config only; defaults only for anonymous clients.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { GatewayError } from '../../src/errors.js';
import { ANONYMOUS, credentialsFor } from '../../src/ingress/auth/index.js';
import { DEMO_CREDENTIALS } from '../../src/simulator/demo-merchant.js';
import { testConfig } from './auth-fixtures.js';

describe('credentialsFor', () => {
  const config = testConfig();
  it("returns the client's own credentials", () => {
    expect(credentialsFor({ name: 'till-7', method: 'wsse' }, config)).toEqual({ deviceId: 'device0till7abcdefghijklmnopqrstuvwxyz0123456789' });
  });
  it('refuses an authenticated client without its own credentials', () => {
    expect(() => credentialsFor({ name: 'till-8', method: 'basic' }, config)).toThrow(GatewayError);
    expect(() => credentialsFor({ name: 'till-8', method: 'basic' }, config)).toThrow('No SensePass credentials');
  });
  it('refuses a name that is not a configured client (no prototype lookups)', () => {
    expect(() => credentialsFor({ name: '__proto__', method: 'basic' }, config)).toThrow('No SensePass credentials');
    expect(() => credentialsFor({ name: 'constructor', method: 'basic' }, config)).toThrow('No SensePass credentials');
  });
  it('gives anonymous clients the default credentials (simulator demo device)', () => {
    const simulator = loadConfig({ env: {}, values: { clients: { till: { password: 'p' } } } });
    expect(simulator.sensepass.environment).toBe('simulator');
    expect(credentialsFor(ANONYMOUS, simulator)).toEqual(DEMO_CREDENTIALS);
  });
  it('gives anonymous clients the configured sensepass.credentials, or refuses when there are none', () => {
    const withDefault = testConfig({ sensepass: { environment: 'sandbox', credentials: { apiKey: 'loc-key-1' } } });
    expect(credentialsFor(ANONYMOUS, withDefault)).toEqual({ apiKey: 'loc-key-1' });
    const none = testConfig({ sensepass: { environment: 'sandbox' } });
    expect(() => credentialsFor(ANONYMOUS, none)).toThrow('No SensePass credentials');
  });
});
