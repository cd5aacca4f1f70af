// Issue 12, failure 3: SensePass unavailable before processing. The gateway proves no payment was created (its
// posData.gatewayKey lookup finds nothing), so the fault is transient — GW_UPSTREAM_UNAVAILABLE_RETRY, not a final
// stored fault — and the same request again, once SensePass is back, makes a real payment: exactly one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { freePort } from './helpers/child-gateway.js';
import { receiptsOf, waitFor } from './helpers/e2e.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
});
afterAll(async () => {
  await gw?.close();
});

async function paymentsFor(receipt: string): Promise<number> {
  let count = 0;
  for (const t of await gw.sim.control.transactions()) {
    const info = await gw.sim.control.transaction(t.TransactionNumber);
    if ((info.entity.posData as Record<string, unknown> | undefined)?.receipt === receipt) count++;
  }
  return count;
}

describe('a failure proven to have created nothing is not final', () => {
  it('5xx before processing → GW_UPSTREAM_UNAVAILABLE_RETRY; the same Sale after SensePass is back → one real payment', async () => {
    await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['POST /transactions/init'], errorMode: 'before' });
    const refused = await postSoap(gw.soapUrl, 'Sale', sale('R-TRANSIENT'));
    expect(refused.faultCode).toBe('GW_UPSTREAM_UNAVAILABLE_RETRY');
    const notCreated = await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-TRANSIENT');
    expect(notCreated).toMatchObject({ state: 'NOT_CREATED', result: { error: { code: 'GW_UPSTREAM_UNAVAILABLE_RETRY' } } });
    expect(await paymentsFor('R-TRANSIENT')).toBe(0);

    // Still down: the resend tries again (a fresh attempt), and is told the same transient fault.
    const stillDown = await postSoap(gw.soapUrl, 'Sale', sale('R-TRANSIENT'));
    expect(stillDown.faultCode).toBe('GW_UPSTREAM_UNAVAILABLE_RETRY');

    await gw.sim.control.resetFaults();
    const initsBefore = (await gw.sim.control.stats()).initCalls;
    const approved = await postSoap(gw.soapUrl, 'Sale', sale('R-TRANSIENT'));
    expect(approved.fields.Result).toBe('APPROVED');
    expect((await gw.sim.control.stats()).initCalls).toBe(initsBefore + 1);
    expect(await paymentsFor('R-TRANSIENT')).toBe(1);
    const n = (await receiptsOf(gw.sim)).get('R-TRANSIENT') as string;
    expect(approved.fields.TransactionId).toBe(n);
    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.committed);
    expect(tx.committed).toBe(true);
    // The fresh attempt waited within its own deadline, not the first attempt's.
    expect((await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-TRANSIENT'))?.deadlineAt).toBeGreaterThan(notCreated?.deadlineAt ?? Infinity);

    // Now final: a further resend replays the approval, no third attempt.
    const replay = await postSoap(gw.soapUrl, 'Sale', sale('R-TRANSIENT'));
    expect(replay.fields.Result).toBe('APPROVED');
    expect(await paymentsFor('R-TRANSIENT')).toBe(1);
  });

  it('a final refusal by SensePass (4xx) stays final: the resend gets the same fault and nothing is sent again', async () => {
    await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 422, errorRoutes: ['POST /transactions/init'], errorMode: 'before' });
    const refused = await postSoap(gw.soapUrl, 'Sale', sale('R-REFUSED'));
    expect(refused.faultCode).toBe('GW_UPSTREAM_REJECTED');
    await gw.sim.control.resetFaults();
    const again = await postSoap(gw.soapUrl, 'Sale', sale('R-REFUSED'));
    expect(again.faultCode).toBe('GW_UPSTREAM_REJECTED');
    expect(await paymentsFor('R-REFUSED')).toBe(0);
  });

  it('connection refused → GW_UPSTREAM_UNAVAILABLE_RETRY at once; the same Sale once SensePass is reachable → one payment', async () => {
    // A gateway whose SensePass address refuses connections, on its own journal; then the same journal, reachable.
    const dead = `http://127.0.0.1:${await freePort()}/api`;
    const down = await startTestGateway({ simulator: gw.sim, config: { sensepass: { restBaseUrl: dead } } });
    let up: TestGateway | undefined;
    try {
      const refused = await postSoap(down.soapUrl, 'Sale', sale('R-REFUSED-CONN'));
      expect(refused.faultCode).toBe('GW_UPSTREAM_UNAVAILABLE_RETRY');
      expect(await down.gateway.context.journal.findByKey('anonymous', 'T7/R-REFUSED-CONN')).toMatchObject({ state: 'NOT_CREATED' });
      await down.gateway.shutdown(500);
      down.server.close();
      up = await startTestGateway({ simulator: gw.sim, dataDir: down.dataDir });
      const approved = await postSoap(up.soapUrl, 'Sale', sale('R-REFUSED-CONN'));
      expect(approved.fields.Result).toBe('APPROVED');
      expect(await paymentsFor('R-REFUSED-CONN')).toBe(1);
    } finally {
      await up?.close();
      await down.close();
    }
  });
});
