// `check` reports every unsafe exposure setting: an error for the combination start-up refuses, warnings for the rest,
// nothing for the safe default. Runs the real command against the repository's WSDLs and mappings.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck, type CliIo } from '../../src/cli/check.js';
import { isLoopback } from '../../src/ingress/auth/exposure.js';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SANDBOX = { SPGW_SENSEPASS__ENVIRONMENT: 'sandbox', SPGW_SENSEPASS__CREDENTIALS: JSON.stringify({ deviceId: DEMO_DEVICE_ID }) };
const ALL = ['acme-pos', 'back-office', 'sensepass-soap', 'sensepass-xml', 'terminal-agent'];
const endpoints = (auth: string[]) => JSON.stringify(Object.fromEntries(ALL.map((e) => [e, { auth }])));

async function check(env: Record<string, string>, configFile?: string): Promise<{ code: number; errors: string[]; warnings: string[] }> {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd: ROOT, env };
  const code = await runCheck({ positional: [], options: new Map(configFile === undefined ? [] : [['config', configFile]]), flags: new Set<string>() }, io);
  return {
    code,
    errors: lines.filter((l) => l.startsWith('error: security:')),
    warnings: lines.filter((l) => l.startsWith('warning: security:')),
  };
}

describe('check: exposure', () => {
  it('counts only loopback addresses as private to this machine', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'gateway.local', '::ffff:10.0.0.1', '127.0.0.1.example.com']) expect(isLoopback(h), h).toBe(false);
  });

  it('the default (loopback, simulator) has no security finding', async () => {
    const r = await check({});
    expect(r).toMatchObject({ code: 0, errors: [], warnings: [] });
  });

  it('a network bind with sandbox credentials and anonymous endpoints is an error naming the fix', async () => {
    const r = await check({ ...SANDBOX, SPGW_SERVER__HOST: '0.0.0.0' });
    expect(r.code).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain('server.allowAnonymousOnNetwork');
    expect(r.errors[0]).toContain('endpoints.<name>.auth');
    expect(r.warnings.some((w) => w.includes('server.publicUrl is not set'))).toBe(true);
  });

  it('the opt-in turns the error into a warning', async () => {
    const r = await check({ ...SANDBOX, SPGW_SERVER__HOST: '0.0.0.0', SPGW_SERVER__ALLOW_ANONYMOUS_ON_NETWORK: 'true' });
    expect(r.code).toBe(0);
    expect(r.warnings.some((w) => w.includes('server.allowAnonymousOnNetwork is true'))).toBe(true);
  });

  it('simulator mode on a network address warns about anonymous endpoints but does not fail', async () => {
    const r = await check({ SPGW_SERVER__HOST: '0.0.0.0' });
    expect(r.code).toBe(0);
    expect(r.warnings.some((w) => w.includes('simulator mode on 0.0.0.0'))).toBe(true);
  });

  it('passwords over plain HTTP on a network address: error with real credentials, warning with the opt-in', async () => {
    const base = { ...SANDBOX, SPGW_SERVER__HOST: '192.0.2.10', SPGW_ENDPOINTS: endpoints(['basic']), SPGW_SERVER__PUBLIC_URL: 'https://gw.example.com' };
    const refused = await check(base);
    expect(refused.code).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toContain('auth.allowPasswordsOverPlainHttp');
    const allowed = await check({ ...base, SPGW_AUTH__ALLOW_PASSWORDS_OVER_PLAIN_HTTP: 'true' });
    expect(allowed.code).toBe(0);
    expect(allowed.warnings.some((w) => w.includes('over plain HTTP'))).toBe(true);
    expect(allowed.warnings.some((w) => w.includes('publicUrl'))).toBe(false);
  });

  it('callbacks without hmacSecret, mtls without a client CA and a misspelt endpoint name are warned', async () => {
    const r = await check({
      SPGW_SENSEPASS__CALLBACKS: 'true',
      SPGW_SERVER__PUBLIC_URL: 'http://gw.example.com',
      SPGW_ENDPOINTS: JSON.stringify({ 'acme-pos': { auth: ['mtls'] }, 'acme-pso': { auth: ['basic'] } }),
    });
    expect(r.code).toBe(0);
    const text = r.warnings.join('\n');
    expect(text).toContain('without sensepass.hmacSecret');
    expect(text).toContain('is not https');
    expect(text).toContain('server.tls.clientCa is not set');
    expect(text).toContain('endpoints.acme-pso matches no endpoint');
  });

  it('the admin listener (/metrics) on a network address without admin.basicAuth is warned; with it, not', async () => {
    const open = await check({ SPGW_ADMIN__HOST: '0.0.0.0' });
    expect(open.code).toBe(0);
    expect(open.warnings).toHaveLength(1);
    expect(open.warnings[0]).toContain('admin listener (/metrics) listens on 0.0.0.0:9464 without admin.basicAuth');
    const guarded = await check({ SPGW_ADMIN__HOST: '0.0.0.0', SPGW_ADMIN__BASIC_AUTH__USER: 'ops', SPGW_ADMIN__BASIC_AUTH__PASSWORD: 'scrape-secret' });
    expect(guarded).toMatchObject({ code: 0, warnings: [] });
    expect((await check({ SPGW_ADMIN__HOST: '0.0.0.0', SPGW_ADMIN__ENABLED: 'false' })).warnings).toEqual([]);
  });

  it('the three "Deploying on a LAN" set-ups in docs/security.md pass with no security finding', async () => {
    const doc = readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Deploying on a LAN'), doc.indexOf('## How this is tested'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks).toHaveLength(3);
    const dir = mkdtempSync(path.join(tmpdir(), 'spgw-lan-'));
    try {
      for (const name of ['sensepass-device', 'gateway.crt', 'gateway.key', 'till-ca.crt', 'till-7.device', 'till-8.device']) {
        writeFileSync(path.join(dir, name), 'x'.repeat(40));
      }
      for (const [i, yaml] of blocks.entries()) {
        const file = path.join(dir, `lan-${i + 1}.yaml`);
        writeFileSync(file, yaml.replaceAll('/run/secrets', dir));
        const r = await check({ TILL_7_PASSWORD: 'p7', TILL_8_PASSWORD: 'p8' }, file);
        expect({ setup: i + 1, ...r }).toEqual({ setup: i + 1, code: 0, errors: [], warnings: [] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
