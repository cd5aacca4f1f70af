// Replies with secret fields are rendered, not stored, like every reply — but the journal's copy of the entity has no
// card token, so a repeat of a Tokenize re-reads the entity from SensePass and renders the same token again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeEnvelope, postSoap, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
});
afterAll(async () => {
  await gw?.close();
});

describe('Tokenize repeat', () => {
  it('renders the card token again from SensePass; the journal never holds it', async () => {
    const request = acmeEnvelope('Tokenize', { TerminalId: 'T7', ReceiptNo: 'R-TOKEN-1' });
    const first = await postSoap(gw.soapUrl, 'Tokenize', request);
    expect(first.fields.Result).toBe('APPROVED');
    const token = first.fields.CardToken;
    expect(token).toMatch(/\S{8,}/);
    const entry = await gw.gateway.context.journal.findByKey('anonymous', 'T7/R-TOKEN-1');
    expect(entry?.result?.redacted).toBe(true);
    expect(JSON.stringify(entry)).not.toContain(token);

    const again = await postSoap(gw.soapUrl, 'Tokenize', request);
    expect(again.fields.Result).toBe('APPROVED');
    expect(again.fields.CardToken).toBe(token);
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });
});
