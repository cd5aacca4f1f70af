// Issue 12: replies are rendered, not stored. An approved Sale whose reply fails the WSDL schema (a mapping bug) gets
// the catalogue fault, the outcome stays journaled (logged as an error with the mapping), nothing is committed; after
// the mapping is fixed (the app rebuilt on the same journal file), the same request again renders APPROVED and commits.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { ROOT, waitFor } from './helpers/e2e.js';

const dirs: string[] = [];
let sim: RunningSimulator | undefined;
let gw: TestGateway | undefined;
afterAll(async () => {
  await gw?.close();
  await sim?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** mappings/ with one line of acme-pos/sale.yaml's reply replaced. */
function mappingsWith(line: RegExp, replacement: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'spgw-map-'));
  dirs.push(dir);
  cpSync(path.join(ROOT, 'mappings'), dir, { recursive: true });
  const file = path.join(dir, 'acme-pos', 'sale.yaml');
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(line, replacement);
  if (changed === text) throw new Error('sale.yaml no longer has the line this test breaks');
  writeFileSync(file, changed);
  return dir;
}

describe('a reply that fails after the money moved', () => {
  it('is a fault now, the outcome stays journaled, and the resend after the fix renders APPROVED and commits', async () => {
    sim = await startSimulator({ port: 0, approveAfterMs: 0 });
    await sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-'));
    dirs.push(dataDir);
    // ResultCode is xsd:int in the WSDL: computed text there passes check (it cannot know the value) and fails the
    // schema only once the outcome is known.
    const broken = mappingsWith(/^ {2}ResultCode: .*$/m, `  ResultCode: "$outcome = 'APPROVED' ? $lowercase($outcome) : 0"`);
    gw = await startTestGateway({ simulator: sim, dataDir, config: { paths: { mappings: broken } } });

    const first = await postSoap(gw.soapUrl, 'Sale', sale('R-RENDER'));
    expect(first.faultCode).toBe('GW_SCHEMA_REPLY_INVALID');
    const entry = await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-RENDER');
    expect(entry).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED', result: { outcome: 'APPROVED' } });
    expect(entry?.reply).toBeUndefined(); // nothing rendered is stored
    const n = entry?.transactionNumber as string;
    expect((await sim.control.transaction(n)).committed).toBe(false);
    const errorLine = gw.logText().split('\n').find((l) => l.includes('GW_SCHEMA_REPLY_INVALID') && l.includes('"level":50'));
    expect(errorLine).toContain('acme-pos.sale');
    expect(errorLine).toContain('ResultCode');

    // The operator fixes the mapping and restarts the gateway on the same journal.
    await gw.close();
    gw = await startTestGateway({ simulator: sim, dataDir });
    const resend = await postSoap(gw.soapUrl, 'Sale', sale('R-RENDER'));
    expect(resend.fields.Result).toBe('APPROVED');
    expect(resend.fields.ResultCode).toBe('0');
    expect(resend.fields.TransactionId).toBe(n);
    const tx = await waitFor(() => sim!.control.transaction(n), (t) => t.committed);
    expect(tx.committed).toBe(true);
    expect((await sim.control.stats()).initCalls).toBe(1);
  });

  it('a mapping expression that fails after approval: fault now, journaled outcome, the fixed mapping renders it', async () => {
    await sim!.control.setRules([{ then: 'approve', afterMs: 50 }]);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'spgw-'));
    dirs.push(dataDir);
    const broken = mappingsWith(/^ {2}AuthCode: .*$/m, `  AuthCode: "$outcome = 'APPROVED' ? $number('not a number')"`);
    await gw?.close();
    gw = await startTestGateway({ simulator: sim, dataDir, config: { paths: { mappings: broken } } });
    const first = await postSoap(gw.soapUrl, 'Sale', sale('R-EXPR'));
    expect(first.faultCode).toBe('GW_MAP_EXPRESSION_FAILED');
    const entry = await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-EXPR');
    expect(entry).toMatchObject({ state: 'SETTLED', outcome: 'APPROVED' });
    expect(gw.logText()).toMatch(/"level":50[^\n]*GW_MAP_EXPRESSION_FAILED[^\n]*acme-pos\.sale|"level":50[^\n]*acme-pos\.sale[^\n]*GW_MAP_EXPRESSION_FAILED/);

    await gw.close();
    gw = await startTestGateway({ simulator: sim, dataDir });
    const resend = await postSoap(gw.soapUrl, 'Sale', sale('R-EXPR'));
    expect(resend.fields.Result).toBe('APPROVED');
    const tx = await waitFor(() => sim!.control.transaction(entry?.transactionNumber as string), (t) => t.committed);
    expect(tx.committed).toBe(true);
  });
});
