// Issue 2 acceptance: `npm start`'s entry (src/main.ts) in a real child process, with no credentials configured:
// it prints its listening URLs within 10 s, runs on the built-in simulator, and a first payment completes by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postSoap, sale } from './support/gateway.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startGateway(): { lines: () => string[]; exited: Promise<number | null> } {
  const out: string[] = [];
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, SPGW_SERVER__HOST: '127.0.0.1', SPGW_SERVER__PORT: '0', SPGW_ADMIN__PORT: '0', SPGW_SIMULATOR__PORT: '0', SPGW_PATHS__DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    out.push(...parts);
  });
  child.stderr?.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
  return { lines: () => out, exited };
}

async function waitForLine(lines: () => string[], pattern: RegExp, ms: number): Promise<Record<string, unknown>> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const hit = lines().find((l) => pattern.test(l));
    if (hit !== undefined) return JSON.parse(hit) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line matching ${pattern} within ${ms} ms:\n${lines().join('\n')}`);
}

describe('npm start (src/main.ts) with no credentials', () => {
  it('listens within 10 s on the embedded simulator, says so loudly, approves a first payment by itself, stops on SIGTERM', async () => {
    const started = Date.now();
    const gw = startGateway();
    const listening = await waitForLine(gw.lines, /"msg":"gateway listening"/, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const url = listening.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.soap).toEqual([`${url}/soap/acme-pos?wsdl`]);
    expect(gw.lines().join('\n')).toMatch(/SIMULATOR MODE.*NO REAL MONEY MOVES/);

    await waitForLine(gw.lines, /"msg":"gateway ready"/, 10_000);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // The simulator's default rule approves after about 2 s: a newcomer's first payment completes by itself.
    const reply = await postSoap(`${url}/soap/acme-pos`, 'Sale', sale('FIRST-1'));
    expect(reply.fields.Result).toBe('APPROVED');
    // The admin listener (port 0 here) serves the gateway's metrics, the Sale included; the POS port does not.
    const admin = await waitForLine(gw.lines, /"msg":"admin listener \(metrics\)"/, 1_000);
    const metrics = await (await fetch(admin.url as string)).text();
    expect(metrics).toContain('spgw_exchanges_total{endpoint="acme-pos",operation="Sale",result="approved"} 1');
    expect((await fetch(`${url}/metrics`)).status).toBe(404);

    child?.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(gw.lines().join('\n')).toContain('"msg":"stopped"');
  }, 40_000);
});
