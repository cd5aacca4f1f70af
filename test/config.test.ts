// Configuration: defaults, env overlay, secrets by reference, every problem at once with "did you mean".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isGatewayError } from '../src/errors.js';
import { DEMO_DEVICE_ID } from '../src/simulator/demo-merchant.js';

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err, 'GW_CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected GW_CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('defaults to the embedded simulator with the demo device', () => {
    const c = loadConfig({ env: {} });
    expect(c.sensepass.environment).toBe('simulator');
    expect(c.derived.usesSimulator).toBe(true);
    expect(c.derived.embedSimulator).toBe(true);
    expect(c.derived.restBaseUrl).toBe('http://127.0.0.1:8081/api');
    expect(c.derived.defaultCredentials).toEqual({ deviceId: DEMO_DEVICE_ID });
    expect(c.server.port).toBe(8080);
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  it('reads SPGW_ variables, coercing numbers and booleans', () => {
    const c = loadConfig({ env: { SPGW_SERVER__PORT: '9090', SPGW_LOG__CAPTURE_MESSAGES: 'false', SPGW_JOURNAL__RETENTION_HOURS: '48' } });
    expect(c.server.port).toBe(9090);
    expect(c.log.captureMessages).toBe(false);
    expect(c.journal.retentionHours).toBe(48);
  });

  it('targets the sandbox when credentials are given, resolving secrets from env and files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    writeFileSync(path.join(dir, 'key'), 'file-api-key\n');
    const c = loadConfig({
      env: { DEV: 'dev-from-env' },
      values: {
        sensepass: { credentials: { deviceId: { env: 'DEV' } } },
        clients: { till7: { sensepass: { apiKey: { file: path.join(dir, 'key') } } } },
      },
    });
    expect(c.sensepass.environment).toBe('sandbox');
    expect(c.derived.restBaseUrl).toBe('https://api.sandbox.sensepass.com/api');
    expect(c.derived.defaultCredentials).toEqual({ deviceId: 'dev-from-env' });
    expect(c.clients.till7?.sensepass?.apiKey).toBe('file-api-key');
  });

  it('lists every problem at once, with did-you-mean for unknown keys', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, 'server:\n  prot: 8080\nsensepass:\n  enviroment: sandbox\n  socketMode: bogus\nlog:\n  level: loud\n');
    const msg = problemsOf(() => loadConfig({ file, env: { SPGW_SERVR__PORT: '1' } }));
    expect(msg).toContain('server.prot: unknown key (did you mean "port"?)');
    expect(msg).toContain('sensepass.enviroment: unknown key (did you mean "environment"?)');
    expect(msg).toContain('sensepass.socketMode');
    expect(msg).toContain('log.level');
  });

  it('reports an unknown SPGW_ variable with a suggestion', () => {
    const msg = problemsOf(() => loadConfig({ env: { SPGW_SERVR__PORT: '1' } }));
    expect(msg).toContain('SPGW_SERVR__PORT is not a configuration key (did you mean "SPGW_SERVER__PORT"?)');
  });

  it('refuses a secret reference to an unset variable, and production without credentials', () => {
    const msg = problemsOf(() =>
      loadConfig({ env: {}, values: { sensepass: { environment: 'production', hmacSecret: { env: 'NOPE' } } } }),
    );
    expect(msg).toContain('environment variable NOPE is not set');
    expect(msg).toContain('no SensePass credentials are configured');
  });

  it('requires exactly one SensePass credential kind per client', () => {
    const msg = problemsOf(() => loadConfig({ env: {}, values: { clients: { a: { sensepass: { deviceId: 'x', apiKey: 'y' } } } } }));
    expect(msg).toContain('exactly one of deviceId, apiKey or merchantApiKey');
  });
});
