// SensePass's own SOAP and XML adapters, as the gateway answers them: the reference §9 request examples verbatim
// through /api-soap and /api-xml against the real simulator, typed JSON upstream, reference-shaped replies,
// the synchronous init variant, the journal (Idempotency-Key replays), and the error bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { field, postXml, send, waitFor } from '../xml/raw-http.js';

// Reference §9.1, verbatim.
const SOAP_EXAMPLE = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
    <soap:Body>
        <SensePass>
            <amount>7000</amount>
            <timeOut>500</timeOut>
            <currency>USD</currency>
            <isCent>true</isCent>
            <deviceId>Your-Device-ID</deviceId>
            <products>
                <name>Product1</name>
                <quantity>1</quantity>
                <amount>3500</amount>
                <discount>0</discount>
            </products>
            <products>
                <name>Product2</name>
                <quantity>1</quantity>
                <amount>3500</amount>
                <discount>0</discount>
            </products>
        </SensePass>
    </soap:Body>
</soap:Envelope>`;

// Reference §9.2, verbatim (declared ISO-8859-1, sent as such).
const XML_EXAMPLE = `<?xml version="1.0" encoding="ISO-8859-1"?>
<data>
    <amount>7000</amount>
    <timeOut>500</timeOut>
    <currency>USD</currency>
    <isCent>true</isCent>
    <deviceId>Your-Device-ID</deviceId>
    <products>
        <name>Product1</name>
        <quantity>1</quantity>
        <amount>3500</amount>
        <discount>0</discount>
    </products>
    <products>
        <name>Product2</name>
        <quantity>1</quantity>
        <amount>3500</amount>
        <discount>0</discount>
    </products>
</data>`;

// The reference reply's leading elements, in order (§9.1 / §9.2); the gateway keeps SensePass's JSON key order.
const REPLY_ORDER = ['TransactionNumber', 'date', 'amount', 'baseAmount', 'currency', 'status', 'statusName', 'timeoutDate'];
const REPLY_ALSO = ['paymentCommit', 'methodType', 'businessName', 'branchNumber', 'locale'];

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const soap = (path: string, xml: string, headers: Record<string, string> = {}) =>
  send(`${gw.url}/api-soap/${path}`, { headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body: xml });
const data = (fields: string) => `<data>${fields}</data>`;

/** The typed JSON SensePass received for the reference example (credentials are the gateway's, not the client's). */
async function expectExampleUpstream(tn: string): Promise<void> {
  const sim = await gw.sim.control.transaction(tn);
  const product = (name: string) => ({ name, quantity: 1, amount: 3500, discount: 0 });
  expect(sim.initBody).toMatchObject({ amount: 7000, timeOut: 300, currency: 'USD', isCent: true, products: [product('Product1'), product('Product2')] });
  expect(sim.initBody.deviceId).toBe(DEMO_DEVICE_ID); // the gateway's configured device, not the client's
}

function expectReferenceShape(payload: string, tn: string): void {
  const positions = REPLY_ORDER.map((name) => payload.indexOf(`<${name}>`));
  expect(positions.every((p) => p >= 0), `missing one of ${REPLY_ORDER.join(', ')}`).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  for (const name of REPLY_ALSO) expect(payload, name).toContain(`<${name}>`);
  expect(field(payload, 'amount')).toBe('70');
  expect(field(payload, 'baseAmount')).toBe('70');
  expect(field(payload, 'status')).toBe('0');
  expect(field(payload, 'statusName')).toBe('Initialize');
  expect(field(payload, 'messsage')).toBe('Payment commit is enabled for this transaction');
  expect(tn).toMatch(/^[0-9a-f]{56}$/);
  const seconds = (Date.parse(field(payload, 'timeoutDate') as string) - Date.parse(field(payload, 'date') as string)) / 1000;
  // The example asks for timeOut 500; limits.maxPaymentTimeoutSeconds (300 by default) caps it.
  expect(seconds).toBeGreaterThanOrEqual(299);
  expect(seconds).toBeLessThanOrEqual(301);
}

describe('SensePass SOAP dialect (/api-soap)', () => {
  it('round-trips the reference request example into a reference-shaped <SensePass> reply', async () => {
    const r = await soap('transactions/init', SOAP_EXAMPLE);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(r.text).toMatch(/^<\?xml[^>]*\?><soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"><soap:Body><SensePass><TransactionNumber>/);
    expect(r.text).toMatch(/<\/SensePass><\/soap:Body><\/soap:Envelope>$/);
    const tn = field(r.text, 'TransactionNumber') as string;
    expectReferenceShape(r.text, tn);
    await expectExampleUpstream(tn);
  });

  it('sync variant: waits for the approval, commits after delivery; the same Idempotency-Key replays it', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 100 }]);
    const first = await soap('transactions/init/sync', SOAP_EXAMPLE, { 'idempotency-key': 'soap-sync-1' });
    expect(first.status).toBe(200);
    expect(field(first.text, 'status')).toBe('5');
    expect(field(first.text, 'statusName')).toBe('Transaction Approved');
    const tn = field(first.text, 'TransactionNumber') as string;
    expect(field(first.text, 'confirmationNumber')).toBe((await gw.sim.control.transaction(tn)).entity.confirmations?.[0]?.confirmationNumber);
    expect((await waitFor(() => gw.sim.control.transaction(tn), (t) => t.committed)).committed).toBe(true);
    const calls = (await gw.sim.control.stats()).initCalls;
    const again = await soap('transactions/init/sync', SOAP_EXAMPLE, { 'idempotency-key': 'soap-sync-1' });
    expect(again.text).toBe(first.text);
    expect((await gw.sim.control.stats()).initCalls).toBe(calls);
  });

  it('errors are SOAP 1.1 faults with the gateway code: wrong root, an untyped number, a foreign envelope', async () => {
    const root = await soap('transactions/init', SOAP_EXAMPLE.replaceAll('SensePass>', 'Payment>'));
    expect(root.status).toBe(500);
    expect(root.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(field(root.text, 'code')).toBe('GW_ROUTE_UNKNOWN_ROOT');
    const num = await soap('transactions/init', SOAP_EXAMPLE.replace('<amount>7000</amount>', '<amount>70,00</amount>'));
    expect(field(num.text, 'code')).toBe('GW_DIALECT_BAD_VALUE');
    expect(field(num.text, 'faultstring')).toBe('Element amount must be a number (digits, optional "." decimals)');
    const soap12 = await soap('transactions/init', SOAP_EXAMPLE.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'));
    expect(field(soap12.text, 'code')).toBe('GW_SOAP_VERSION_MISMATCH');
  });
});

describe('SensePass XML dialect (/api-xml)', () => {
  it('round-trips the reference request example (ISO-8859-1) into a reference-shaped <root> reply', async () => {
    const r = await postXml(`${gw.url}/api-xml/transactions/init`, Buffer.from(XML_EXAMPLE, 'latin1'));
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><root><TransactionNumber>/);
    const tn = field(r.text, 'TransactionNumber') as string;
    expectReferenceShape(r.text, tn);
    expect(r.text).toContain('<branch><number>');
    await expectExampleUpstream(tn);
  });

  it('one <products> element is still an array; numeric-looking ids stay strings', async () => {
    const r = await postXml(
      `${gw.url}/api-xml/transactions/init`,
      data('<amount>500</amount><isCent>1</isCent><currency>USD</currency><reason>0042</reason><products><name>Only</name><quantity>2</quantity><amount>250</amount><posIdentifier>0099</posIdentifier></products><posData><order>007</order></posData>'),
    );
    expect(r.status).toBe(200);
    const sim = await gw.sim.control.transaction(field(r.text, 'TransactionNumber') as string);
    expect(sim.initBody.products).toEqual([{ name: 'Only', quantity: 2, amount: 250, posIdentifier: '0099' }]);
    expect(sim.initBody).toMatchObject({ amount: 500, isCent: true, reason: '0042', posData: { order: '007' } });
  });

  it('sync declined answers the declined entity; a POST on transactions/{n} reads it', async () => {
    await gw.sim.control.setRules([{ then: 'decline', afterMs: 50 }]);
    const r = await postXml(`${gw.url}/api-xml/transactions/init/sync`, data('<amount>300</amount><isCent>true</isCent><currency>USD</currency><timeOut>60</timeOut>'));
    expect(r.status).toBe(200);
    expect(field(r.text, 'status')).toBe('6');
    const tn = field(r.text, 'TransactionNumber') as string;
    expect((await gw.sim.control.transaction(tn)).committed).toBe(false);
    const read = await postXml(`${gw.url}/api-xml/transactions/${tn}`, data(''));
    expect(read.status).toBe(200);
    expect(field(read.text, 'TransactionNumber')).toBe(tn);
    expect(field(read.text, 'statusName')).toBe('Transaction Declined');
  });

  it('a journaled reply never carries a token: sync Tokenize strips it, an unkeyed read returns it', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
    const r = await postXml(`${gw.url}/api-xml/transactions/init/sync`, data('<methodType>Tokenize</methodType><currency>USD</currency><timeOut>60</timeOut>'));
    expect(r.status).toBe(200);
    expect(field(r.text, 'status')).toBe('5');
    expect(r.text).toContain('<paymentDetails>');
    expect(r.text).not.toContain('<token>');
    const tn = field(r.text, 'TransactionNumber') as string;
    const token = (await gw.sim.control.transaction(tn)).entity.paymentDetails?.token;
    expect(token).toMatch(/^.{16,}$/);
    const read = await postXml(`${gw.url}/api-xml/transactions/${tn}`, data(''));
    expect(field(read.text, 'token')).toBe(token);
  });

  it('without an Idempotency-Key each request is its own payment (the documented risk of blind retries)', async () => {
    const body = data('<amount>111</amount><isCent>true</isCent><currency>USD</currency>');
    const before = (await gw.sim.control.stats()).initCalls;
    const a = await postXml(`${gw.url}/api-xml/transactions/init`, body);
    const b = await postXml(`${gw.url}/api-xml/transactions/init`, body);
    expect(field(a.text, 'TransactionNumber')).not.toBe(field(b.text, 'TransactionNumber'));
    expect((await gw.sim.control.stats()).initCalls).toBe(before + 2);
  });

  it('errors are <error> bodies with the catalogue status; SensePass refusals too', async () => {
    const bad = await postXml(`${gw.url}/api-xml/transactions/init`, data('<amount>1</amount><isCent>yes</isCent>'));
    expect(bad.status).toBe(400);
    expect(field(bad.text, 'code')).toBe('GW_DIALECT_BAD_VALUE');
    const root = await postXml(`${gw.url}/api-xml/transactions/init`, '<SensePass><amount>1</amount></SensePass>');
    expect(root.status).toBe(400);
    expect(field(root.text, 'code')).toBe('GW_ROUTE_UNKNOWN_ROOT');
    const upstream = await postXml(`${gw.url}/api-xml/transactions/init`, data('<amount>100</amount><isCent>true</isCent><currency>XXX</currency>'));
    expect(upstream.status).toBe(502);
    expect(field(upstream.text, 'code')).toBe('GW_UPSTREAM_REJECTED');
    const path = await postXml(`${gw.url}/api-xml/transactions/..%2F..%2Fetc`, data(''));
    expect(path.status).toBe(404);
    expect(field(path.text, 'code')).toBe('GW_ROUTE_NOT_FOUND');
    const key = await postXml(`${gw.url}/api-xml/transactions/init`, data(''), { 'idempotency-key': 'has space' });
    expect(field(key.text, 'code')).toBe('GW_INGRESS_IDEMPOTENCY_KEY');
  });
});
