// `npm run dev` (src/main.ts --watch) as a real child process on the embedded simulator: an edited mapping changes
// the next reply without a restart, and the simulator, never restarted, still has the payment made before the reload.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postSoap, sale } from '../support/gateway.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'spgw-dev-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: readonly string[]): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      SPGW_SERVER__HOST: '127.0.0.1',
      SPGW_SERVER__PORT: '0',
      SPGW_ADMIN__PORT: '0',
      SPGW_SIMULATOR__PORT: '0',
      SPGW_SIMULATOR__APPROVE_AFTER_MS: '100',
      SPGW_PATHS__DATA: path.join(dir, 'data'),
      SPGW_PATHS__MAPPINGS: path.join(dir, 'mappings'),
      SPGW_PATHS__WSDL: path.join(dir, 'wsdl'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
  return { output: () => out, exited };
}

async function waitFor(output: () => string, pattern: RegExp, ms: number, after = 0): Promise<Record<string, unknown>> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const line = output().slice(after).split('\n').find((l) => pattern.test(l));
    if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no line matching ${pattern} within ${ms} ms:\n${output()}`);
}

describe('src/main.ts --watch', () => {
  it('reloads an edited mapping without a restart; the embedded simulator keeps its payments', async () => {
    cpSync(path.join(ROOT, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
    cpSync(path.join(ROOT, 'wsdl'), path.join(dir, 'wsdl'), { recursive: true });
    const gw = start(['--watch']);
    const simulator = (await waitFor(gw.output, /SIMULATOR MODE/, 20_000)).simulator as string;
    const url = (await waitFor(gw.output, /"msg":"gateway listening"/, 20_000)).url as string;
    await waitFor(gw.output, /"msg":"watch mode: WSDLs and mappings reload on change"/, 20_000);

    const first = await postSoap(`${url}/soap/acme-pos`, 'Sale', sale('D-1'));
    expect(first.fields.Result).toBe('APPROVED');
    expect(first.fields.Message).toBe('Approved');

    const mark = gw.output().length;
    const file = path.join(dir, 'mappings', 'acme-pos', 'sale.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace("'APPROVED': 'Approved'", "'APPROVED': 'Approved in dev'"));
    await waitFor(gw.output, /"msg":"contracts reloaded"/, 10_000, mark);

    const second = await postSoap(`${url}/soap/acme-pos`, 'Sale', sale('D-2'));
    expect(second.fields.Result).toBe('APPROVED');
    expect(second.fields.Message).toBe('Approved in dev');
    const res = await fetch(`${simulator}/_sim/transactions`);
    const { transactions } = (await res.json()) as { transactions: { TransactionNumber: string; status: number }[] };
    expect(transactions.find((t) => t.TransactionNumber === first.fields.TransactionId)?.status).toBe(5);
    expect(transactions.find((t) => t.TransactionNumber === second.fields.TransactionId)?.status).toBe(5);

    child?.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  }, 60_000);

  it('refuses an unknown argument instead of ignoring it', async () => {
    const gw = start(['--wacth']);
    expect(await gw.exited).toBe(2);
    expect(gw.output()).toContain('unknown argument "--wacth"');
  }, 30_000);
});
