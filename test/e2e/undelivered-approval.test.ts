// Issue 4, the money rule at the end of a wait: an approval the POS never received is never committed, so SensePass
// reverses it when its (here 1 s) commit window closes — rather than leaving a charge the POS does not know about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { leftovers, NOTHING_LEFT, sleep, txFor, waitFor } from './helpers/e2e.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ sim: { commitWindowSeconds: 1 } });
  await gw.sim.control.setRules([{ then: 'none' }]);
});
afterAll(async () => {
  await gw?.close();
});

describe('an approval the POS never got', () => {
  it('approved at the moment the POS is gone → never committed, reversed by SensePass', async () => {
    const pos = new AbortController();
    const pending = postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED'), { signal: pos.signal });
    const n = await txFor(gw.sim, 'R-UNDELIVERED');
    await gw.sim.control.processing(n); // the consumer is paying: the gateway's cancel will come too late
    await sleep(100);
    pos.abort();
    await expect(pending).rejects.toThrow();
    // The abort ladder asked to cancel (refused: processing); the processor approves right then.
    await waitFor(() => gw.sim.control.transaction(n), (t) => t.cancelCalls > 0, 3_000);
    await gw.sim.control.approve(n);

    const entry = await waitFor(
      () => gw.gateway.context.journal.findByKey('anonymous', 'T7/R-UNDELIVERED'),
      (e) => e?.state === 'SETTLED',
      8_000,
    );
    expect(entry?.state).toBe('SETTLED'); // outcome known, reply never delivered (not REPLIED, not COMMITTED)
    expect(entry?.outcome).toBe('APPROVED');

    const tx = await waitFor(() => gw.sim.control.transaction(n), (t) => t.reversed, 5_000);
    expect(tx.reversed).toBe(true);
    expect(tx.committed).toBe(false);
    expect(tx.entity.status).toBe(11);
    const stats = await gw.sim.control.stats();
    expect(stats.commitCalls).toBe(0);
    expect(stats.reversals).toBe(1);
  });

  it('a delivered approval on the same gateway is committed within the window (control case)', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
    const r = await postSoap(gw.soapUrl, 'Sale', sale('R-DELIVERED'));
    expect(r.fields.Result).toBe('APPROVED');
    const tx = await waitFor(() => gw.sim.control.transaction(r.fields.TransactionId as string), (t) => t.committed);
    expect(tx.committed).toBe(true);
    await sleep(1_300); // past the window: a committed payment stays approved
    const after = await gw.sim.control.transaction(r.fields.TransactionId as string);
    expect(after.reversed).toBe(false);
    expect(after.entity.status).toBe(5);
    expect(await waitFor(() => leftovers(gw), (l) => l.sockets === 0 && l.active === 0)).toEqual(NOTHING_LEFT);
  });
});
