// The sample plain-XML integration over raw HTTP: back-office PaymentRequest / StatusQuery documents through the
// real gateway and the real simulator — approved, declined, malformed, unknown root, and replays from the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { field, postXml, send, waitFor } from './raw-http.js';

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway();
  url = `${gw.url}/xml/back-office`;
});
afterAll(async () => {
  await gw.close();
});

const payment = (order: string, amount = '25.00', extra = '') =>
  `<?xml version="1.0" encoding="utf-8"?><PaymentRequest><StoreId>S-01</StoreId><OrderRef>${order}</OrderRef>` +
  `<Amount>${amount}</Amount><Currency>USD</Currency>${extra}</PaymentRequest>`;
const statusQuery = (order: string) => `<StatusQuery><StoreId>S-01</StoreId><OrderRef>${order}</OrderRef></StatusQuery>`;

describe('plain XML over HTTP: the back-office integration', () => {
  it('approved: the final reply document, committed after delivery; the same document again gets the stored answer', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 100 }]);
    const line = '<Lines><Line><Sku>007</Sku><Description>Hour</Description><Quantity>1</Quantity><UnitPrice>25.00</UnitPrice></Line></Lines>';
    const first = await postXml(url, payment('PO-A1', '25.00', line));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(first.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><PaymentRequestResponse><Status>APPROVED<\/Status>/);
    expect(field(first.text, 'Amount')).toBe('25.00');
    const tn = field(first.text, 'TransactionNumber') as string;
    const sim = await gw.sim.control.transaction(tn);
    expect(field(first.text, 'AuthCode')).toBe(sim.entity.confirmations?.[0]?.confirmationNumber);
    // One <Line> still reached SensePass as a one-item products array, with the SKU kept a string.
    expect(sim.initBody).toMatchObject({ amount: 2500, isCent: true, products: [{ name: 'Hour', quantity: 1, amount: 2500, posIdentifier: '007' }] });
    expect((await waitFor(() => gw.sim.control.transaction(tn), (t) => t.committed)).committed).toBe(true);

    const initCalls = (await gw.sim.control.stats()).initCalls;
    const again = await postXml(url, payment('PO-A1', '25.00', line));
    expect(again.text).toBe(first.text);
    expect((await gw.sim.control.stats()).initCalls).toBe(initCalls);

    const status = await postXml(url, statusQuery('PO-A1'), { 'content-type': 'text/xml' });
    expect(status.status).toBe(200);
    expect(status.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(field(status.text, 'Status')).toBe('APPROVED');
    expect(field(status.text, 'TransactionNumber')).toBe(tn);
  });

  it('declined: a DECLINED reply document, nothing committed', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 50 }]);
    const r = await postXml(url, payment('PO-D1', '12.50'));
    expect(r.status).toBe(200);
    expect(field(r.text, 'Status')).toBe('DECLINED');
    expect(field(r.text, 'AuthCode')).toBeUndefined();
    const sim = await gw.sim.control.transaction(field(r.text, 'TransactionNumber') as string);
    expect(sim.entity.status).toBe(6);
    expect(sim.committed).toBe(false);
  });

  it('the same order reference with another amount is refused as an idempotency conflict', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 20 }]);
    expect(field((await postXml(url, payment('PO-C1', '5.00'))).text, 'Status')).toBe('DECLINED');
    const r = await postXml(url, payment('PO-C1', '6.00'));
    expect(r.status).toBe(409);
    expect(field(r.text, 'code')).toBe('GW_IDEMPOTENCY_CONFLICT');
  });

  it('a malformed document: 400 with the documented <error> body and no parser text', async () => {
    const r = await postXml(url, '<PaymentRequest><StoreId>S-01</StoreId><OrderRef>PO-X</PaymentRequest>');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><error><code>GW_INGRESS_MALFORMED_XML<\/code><message>[^<]+<\/message><requestId>[0-9a-f-]{36}<\/requestId><\/error>$/);
    expect(r.headers['x-request-id']).toBe(field(r.text, 'requestId'));
  });

  it('an unknown root element: 400 GW_ROUTE_UNKNOWN_ROOT naming it, no payment created', async () => {
    const before = (await gw.sim.control.stats()).initCalls;
    const r = await postXml(url, '<RefundRequest><StoreId>S-01</StoreId></RefundRequest>');
    expect(r.status).toBe(400);
    expect(field(r.text, 'code')).toBe('GW_ROUTE_UNKNOWN_ROOT');
    expect(field(r.text, 'message')).toContain('RefundRequest');
    expect((await gw.sim.control.stats()).initCalls).toBe(before);
  });

  it('a bad amount is a client error with the catalogue status; a wrong method or media type too', async () => {
    const amount = await postXml(url, payment('PO-B1', '12.505'));
    expect(amount.status).toBe(400);
    expect(field(amount.text, 'code')).toBe('GW_MAP_INVALID_AMOUNT');
    const get = await send(url, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(field(get.text, 'code')).toBe('GW_ROUTE_METHOD_NOT_ALLOWED');
    const json = await send(url, { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(field(json.text, 'code')).toBe('GW_INGRESS_CONTENT_TYPE');
  });

  it('a status query for an unknown order answers NOT_FOUND', async () => {
    const r = await postXml(url, statusQuery('PO-NONE'));
    expect(r.status).toBe(200);
    expect(field(r.text, 'Status')).toBe('NOT_FOUND');
  });
});
