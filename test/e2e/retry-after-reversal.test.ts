// An approval whose reply never reached the POS is not committed; SensePass reverses it when the commit window ends.
// A POS retry after that must be told "not charged" — never the stale APPROVED from the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The one payment still waiting for its consumer (each test has exactly one). */
async function pendingPayment(): Promise<string> {
  const list = await until(() => gw.sim.control.transactions(), (l) => l.some((t) => t.status === 0));
  return list.find((t) => t.status === 0)?.TransactionNumber as string;
}

describe('undelivered approval, then a retry', () => {
  it('within the commit window: the retry gets APPROVED and delivery commits it', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const abort = new AbortController();
    const pending = postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED-1'), { signal: abort.signal }).catch((e: Error) => e);
    const n = await pendingPayment();
    await gw.sim.control.processing(n); // the consumer is paying: the gateway's cancel will be too late
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    await until(() => gw.sim.control.transaction(n), (t) => t.cancelCalls > 0);
    await gw.sim.control.approve(n);
    // The exchange ends APPROVED (client-aborted) and is NOT committed: the POS never saw the reply.
    await new Promise((r) => setTimeout(r, 500));
    expect((await gw.sim.control.transaction(n)).committed).toBe(false);

    const retry = await postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED-1'));
    expect(retry.fields).toMatchObject({ Result: 'APPROVED', TransactionId: n });
    const after = await until(() => gw.sim.control.transaction(n), (t) => t.committed);
    expect(after.reversed).toBe(false);
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });

  it('after the commit window: the payment was reversed, the retry is told not charged', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    const abort = new AbortController();
    const pending = postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED-2'), { signal: abort.signal }).catch((e: Error) => e);
    const n = await pendingPayment();
    await gw.sim.control.processing(n);
    abort.abort();
    await pending;
    await until(() => gw.sim.control.transaction(n), (t) => t.cancelCalls > 0);
    await gw.sim.control.approve(n);
    await new Promise((r) => setTimeout(r, 500));
    await gw.sim.control.advanceClock(7_300_000); // past the 7,200 s commit window
    const reversed = await until(() => gw.sim.control.transaction(n), (t) => t.reversed);
    expect(reversed.committed).toBe(false);

    const retry = await postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED-2'));
    expect(retry.fields.Result).toBe('CANCELLED');
    expect(retry.fields.ResultCode).toBe('9');
    // And it stays that way: the next repeat replays the corrected answer.
    const again = await postSoap(gw.soapUrl, 'Sale', sale('R-UNDELIVERED-2'));
    expect(again.text).toBe(retry.text);
    expect((await gw.sim.control.transaction(n)).committed).toBe(false);
  });
});
