// Issue 11 "bind and refuse", over real child processes: the default start listens on loopback only (read from the
// kernel's socket table, not from the log); a network bind with sandbox credentials and an anonymous endpoint refuses
// to start naming the fix, and starts (with a warning) only with server.allowAnonymousOnNetwork. SensePass is a
// simulator on 127.0.0.1 in the test process: nothing leaves this machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startChildGateway, type ChildGateway } from '../e2e/helpers/child-gateway.js';
import { ROOT, sleep } from '../e2e/helpers/e2e.js';
import { postSoap, sale } from '../support/gateway.js';

let sim: RunningSimulator;
const dirs: string[] = [];
const children: ChildGateway[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'spgw-exposure-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, approveAfterMs: 300 });
});
afterAll(async () => {
  for (const c of children) c.proc.kill('SIGKILL');
  await sim.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Local addresses of LISTEN sockets on `port`, from the kernel's tables (IPv4 and IPv6). */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addrHex, portHex] = (cols[1] ?? '').split(':');
      if (cols[3] !== '0A' || portHex === undefined || addrHex === undefined || parseInt(portHex, 16) !== port) continue;
      out.push(addrHex.length === 8 ? ipv4(addrHex) : ipv6(addrHex));
    }
  }
  return out;
}
const ipv4 = (hex: string) => [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
function ipv6(hex: string): string {
  // Four little-endian 32-bit words; good enough to tell ::, ::1 and the IPv4-mapped loopback apart.
  const words = [0, 8, 16, 24].map((i) => (hex.slice(i, i + 8).match(/../g) ?? []).reverse().join(''));
  return words.join('').replace(/(.{4})/g, '$1:').slice(0, -1).replace(/\b0{1,3}/g, '');
}

/** A non-loopback IPv4 address of this machine, if it has one (connecting to it never leaves the machine). */
function ownNetworkAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(2_000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('default npm start', () => {
  it('listens on 127.0.0.1 only (kernel socket table), unreachable on this machine’s network address', async () => {
    const dataDir = tempDir();
    // No SPGW_SERVER__HOST: the schema default decides. Port 0 for the gateway and the embedded simulator.
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SPGW_SERVER__PORT: '0', SPGW_ADMIN__PORT: '0', SPGW_SIMULATOR__PORT: '0', SPGW_PATHS__DATA: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', r));
    try {
      const until = Date.now() + 20_000;
      let line: Record<string, unknown> | undefined;
      while (line === undefined && Date.now() < until) {
        const hit = out.split('\n').find((l) => l.includes('"msg":"gateway listening"'));
        if (hit !== undefined) line = JSON.parse(hit) as Record<string, unknown>;
        else await sleep(50);
      }
      expect(line, out).toBeDefined();
      const port = Number(/:(\d+)$/.exec(String(line?.listening))?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(line?.listening).toBe(`127.0.0.1:${port}`);
      const bound = listeningAddresses(port);
      expect(bound).toEqual(['127.0.0.1']);
      expect(await connects('127.0.0.1', port)).toBe(true);
      const lan = ownNetworkAddress();
      if (lan !== undefined) expect(await connects(lan, port)).toBe(false);
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
  }, 40_000);
});

describe('network bind with sandbox credentials', () => {
  const sandboxEnv = (extra: Record<string, string> = {}) => ({
    SPGW_SERVER__HOST: '0.0.0.0',
    SPGW_SENSEPASS__ENVIRONMENT: 'sandbox',
    SPGW_SENSEPASS__CREDENTIALS: JSON.stringify({ deviceId: DEMO_DEVICE_ID }),
    ...extra,
  });

  it('refuses to start: exit non-zero, one stderr line naming server.allowAnonymousOnNetwork and endpoints.<name>.auth', async () => {
    const child = await startChildGateway({ sim, dataDir: tempDir(), env: sandboxEnv(), expectFailure: true });
    children.push(child);
    let stderr = '';
    child.proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const { code } = await child.exited;
    expect(code).not.toBe(0);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('server.allowAnonymousOnNetwork');
    expect(lines[0]).toContain('endpoints.<name>.auth');
    expect(lines[0]).toMatch(/acme-pos.*terminal-agent/);
    expect(child.output()).not.toContain('gateway listening');
  }, 40_000);

  it('starts with server.allowAnonymousOnNetwork: true, warns, really listens on 0.0.0.0 and pays on the local simulator', async () => {
    const child = await startChildGateway({ sim, dataDir: tempDir(), env: sandboxEnv({ SPGW_SERVER__ALLOW_ANONYMOUS_ON_NETWORK: 'true', SPGW_LOG__LEVEL: 'info' }) });
    children.push(child);
    const port = Number(new URL(child.url).port);
    expect(listeningAddresses(port)).toContain('0.0.0.0');
    expect(child.output()).toMatch(/"level":40[^\n]*server\.allowAnonymousOnNetwork is true/);
    expect(child.output()).toMatch(/"listening":"0\.0\.0\.0:\d+"/);
    // Sandbox mode, but the REST override points at the test's simulator: the payment lands there.
    const before = (await sim.control.transactions()).length;
    const reply = await postSoap(`${child.url}/soap/acme-pos`, 'Sale', sale('EXPOSED-1'));
    expect(reply.fields.Result).toBe('APPROVED');
    expect((await sim.control.transactions()).length).toBe(before + 1);
    child.proc.kill('SIGTERM');
    await child.exited;
  }, 60_000);

  it('starts without the opt-in once every endpoint requires authentication (basic over plain HTTP needs its own opt-in)', async () => {
    // Env names cannot carry '-', so the endpoints go in as one JSON object.
    const env = sandboxEnv({
      SPGW_ENDPOINTS: JSON.stringify(Object.fromEntries(['acme-pos', 'back-office', 'sensepass-soap', 'sensepass-xml', 'terminal-agent'].map((e) => [e, { auth: ['basic'] }]))),
    });
    const refused = await startChildGateway({ sim, dataDir: tempDir(), env, expectFailure: true });
    children.push(refused);
    expect((await refused.exited).code).not.toBe(0);
    expect(refused.output()).toContain('auth.allowPasswordsOverPlainHttp');
    expect(refused.output()).not.toContain('server.allowAnonymousOnNetwork');

    const ok = await startChildGateway({ sim, dataDir: tempDir(), env: { ...env, SPGW_AUTH__ALLOW_PASSWORDS_OVER_PLAIN_HTTP: 'true' } });
    children.push(ok);
    expect(ok.output()).toMatch(/"level":40[^\n]*accept passwords \(basic\/wsse\) over plain HTTP/);
    const anonymous = await postSoap(`${ok.url}/soap/acme-pos`, 'Sale', sale('EXPOSED-2'));
    expect(anonymous.faultCode).toBeDefined();
    expect(anonymous.text).toContain('GW_AUTH_FAILED');
    ok.proc.kill('SIGTERM');
    await ok.exited;
  }, 60_000);
});
