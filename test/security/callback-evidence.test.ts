// Issue 11 "callbacks are evidence, not truth", through the real gateway and simulator: a validly signed but forged
// "approved" callback while every REST status read fails leaves the POS with UNKNOWN (never APPROVED), the reconciler
// settles the truth afterwards, and the same callback sent again is refused as a replay.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HMAC_SECRET } from '../../src/simulator/demo-merchant.js';
import { shortSaleMappings, sleep, txFor, waitFor } from '../e2e/helpers/e2e.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';

const PATH = '/sensepass/callback';
let gw: TestGateway;
let mappings: { dir: string; cleanup(): void };

beforeAll(async () => {
  mappings = shortSaleMappings('3s', 60);
  gw = await startTestGateway({
    sim: { approveAfterMs: 0, hmacSecret: DEMO_HMAC_SECRET },
    config: {
      paths: { mappings: mappings.dir },
      // The gateway passes this callbackURL to SensePass; nothing listens there (the test posts the callbacks itself).
      server: { publicUrl: 'http://127.0.0.1:9' },
      sensepass: { callbacks: true, callbackPath: PATH, hmacSecret: DEMO_HMAC_SECRET, requestTimeoutMs: 1_000 },
    },
  });
});
afterAll(async () => {
  await gw.close();
  mappings.cleanup();
});

const sign = (key: string, body: string) => createHmac('sha256', DEMO_HMAC_SECRET).update(key + body).digest('hex');
const callback = (body: string, key: string) =>
  fetch(`${gw.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'HMAC-Random-Key': key, 'HMAC-Authorization': sign(key, body) },
    body,
  });

describe('signed callbacks are evidence, not truth', () => {
  it('a signed forged approval while status reads fail gives the POS UNKNOWN, never APPROVED', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]); // nobody pays: the truth stays pending
    // No socket events, and every status read answers 503: only the forged callback claims an outcome.
    await gw.sim.control.setFaults({ socket: { drop: 1 }, errorRate: 1, errorStatus: 503, errorRoutes: ['GET /transactions/:n'] });
    const pending = postSoap(gw.soapUrl, 'Sale', sale('FORGED-1'));
    const n = await txFor(gw.sim, 'FORGED-1');
    const entity = (await gw.sim.control.transaction(n)).entity;
    const forged = JSON.stringify({ ...entity, status: 5, statusName: 'Transaction Approved' });
    const first = await callback(forged, 'forged-key-1');
    expect(first.status).toBe(204);

    const reply = await pending;
    expect(reply.fields.Result).not.toBe('APPROVED');
    expect(reply.fields.Result).toBe('UNKNOWN');
    expect((await gw.sim.control.transaction(n)).entity.status).not.toBe(5);

    // Replay: the same signed callback again is refused, whatever it says.
    const replay = await callback(forged, 'forged-key-1');
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { code: string }).code).toBe('GW_CALLBACK_REPLAYED');

    // Once reads work again, the reconciler settles the truth (the gateway's cancel made it 9) and the same Sale gets it.
    await gw.sim.control.resetFaults();
    const settled = await waitFor(() => postSoap(gw.soapUrl, 'Sale', sale('FORGED-1')), (r) => r.fields.Result !== 'UNKNOWN', 20_000, 500);
    expect(settled.fields.Result).toBe('CANCELLED');
  }, 40_000);

  it('a GET callback is only a hint to re-read: it wakes the wait, the REST read gives the answer; its replay is refused', async () => {
    await gw.sim.control.setRules([{ then: 'none' }]);
    await gw.sim.control.setFaults({ socket: { drop: 1 } });
    const pending = postSoap(gw.soapUrl, 'Sale', sale('GET-HINT-1'));
    const n = await txFor(gw.sim, 'GET-HINT-1');
    await sleep(200);
    await gw.sim.control.decline(n);
    const url = `${gw.url}${PATH}?TransactionNumber=${n}&callbackType=transaction_status`;
    const headers = { 'HMAC-Random-Key': 'get-key-1', 'HMAC-Authorization': sign('get-key-1', '') };
    const woken = Date.now();
    expect((await fetch(url, { headers })).status).toBe(204);
    expect((await pending).fields.Result).toBe('DECLINED');
    expect(Date.now() - woken).toBeLessThan(2_000); // the hint, not the 3 s deadline re-read
    const replay = await fetch(url, { headers });
    expect(replay.status).toBe(409);
    await gw.sim.control.resetFaults();
  }, 30_000);
});
