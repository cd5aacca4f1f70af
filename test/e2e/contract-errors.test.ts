// Contract-shaped errors through the real gateway: a contract that reports errors in its reply body (ResultCode 99)
// gets that body — HTTP 200, no SOAP fault — for an idempotency conflict, SensePass being unavailable and a request
// that breaks the schema, as its mapping's `errors:` / `when:` say. Without them the same requests get faults.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type SoapAnswer, type TestGateway } from '../support/gateway.js';
import { ROOT } from './helpers/e2e.js';

const FIXTURES = path.join(ROOT, 'test/map/fixtures');
const NS = 'urn:example:till';

function envelope(operation: string, fields: Readonly<Record<string, string>>): string {
  const body = Object.entries(fields).map(([k, v]) => `<t:${k}>${v}</t:${k}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="${NS}"><soap:Body><t:${operation}>${body}</t:${operation}></soap:Body></soap:Envelope>`;
}

async function post(url: string, operation: string, xml: string): Promise<SoapAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}/${operation}"` }, body: xml });
  const text = await res.text();
  const fields: Record<string, string> = {};
  for (const m of text.matchAll(/<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)<\/(?:\w+:)?\1>/g)) fields[m[1] as string] ??= m[2] as string;
  return { status: res.status, text, fields, faultCode: /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1] };
}

const pay = (reference: string, amountMinor: string) => envelope('Pay', { TillId: 'till-1', Reference: reference, AmountMinor: amountMinor });
const refund = (reference: string, original: string) => envelope('Refund', { TillId: 'till-1', Reference: reference, OriginalReference: original });

describe.each([
  { name: 'with errors: (contract-shaped)', shaped: true },
  { name: 'without errors: (SOAP faults)', shaped: false },
])('contract-shaped errors, $name', ({ shaped }) => {
  let gw: TestGateway;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spgw-till-'));
    cpSync(path.join(FIXTURES, 'till-mappings'), dir, { recursive: true });
    if (!shaped) {
      // The same mappings with every error reply removed: the gateway answers faults, as before this feature.
      for (const f of ['pay.yaml', 'refund.yaml']) {
        const file = path.join(dir, 'till', f);
        writeFileSync(file, readFileSync(file, 'utf8').replace(/\nwhen:[\s\S]*$/, '\n'));
      }
    }
    gw = await startTestGateway({ config: { paths: { mappings: dir, wsdl: path.join(FIXTURES, 'till-wsdl') } } });
    url = `${gw.url}/soap/till`;
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Pay approves normally (amount in minor units, default currency)', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
    const r = await post(url, 'Pay', pay('R-1', '1250'));
    expect(r.status).toBe(200);
    expect(r.fields.ResultCode).toBe('0');
    expect(r.fields.Status).toBe('OK');
    expect(r.fields.Amount).toBe('12.50');
  });

  it('the same Reference with another amount (idempotency conflict)', async () => {
    const r = await post(url, 'Pay', pay('R-1', '9999'));
    if (shaped) {
      expect(r.status).toBe(200);
      expect(r.faultCode).toBeUndefined();
      expect(r.text).not.toContain('Fault');
      expect(r.fields).toMatchObject({ ResultCode: '98', Status: 'ERROR', ErrorText: 'Reference already used for another payment' });
    } else {
      expect(r.status).toBe(500);
      expect(r.faultCode).toBe('GW_IDEMPOTENCY_CONFLICT');
    }
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });

  it('SensePass unavailable during a Refund (GW_UPSTREAM_UNAVAILABLE)', async () => {
    await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['POST /transactions/refund'] });
    try {
      const r = await post(url, 'Refund', refund('RF-1', 'R-1'));
      if (shaped) {
        expect(r.status).toBe(200);
        expect(r.faultCode).toBeUndefined();
        expect(r.fields).toMatchObject({ ResultCode: '99', Status: 'ERROR', ErrorText: 'GW_UPSTREAM_UNAVAILABLE' });
      } else {
        expect(r.faultCode).toBe('GW_UPSTREAM_UNAVAILABLE');
      }
    } finally {
      await gw.sim.control.resetFaults();
    }
  });

  it('a request that breaks the schema (GW_SCHEMA_VIOLATION) is answered before any mapping field is read', async () => {
    const r = await post(url, 'Pay', envelope('Pay', { TillId: 'till-1', AmountMinor: '100' }));
    if (shaped) {
      expect(r.status).toBe(200);
      expect(r.fields.ResultCode).toBe('99');
      expect(r.fields.Status).toBe('ERROR');
      expect(r.fields.ErrorText).toMatch(/^GW_SCHEMA_VIOLATION: /);
    } else {
      expect(r.faultCode).toBe('GW_SCHEMA_VIOLATION');
    }
  });

  it('an amount that is not whole minor units (GW_MAP_INVALID_AMOUNT) moves no money', async () => {
    const before = (await gw.sim.control.stats()).initCalls;
    const r = await post(url, 'Pay', pay('R-2', '12.50'));
    if (shaped) expect(r.fields).toMatchObject({ ResultCode: '99', Status: 'ERROR' });
    else expect(r.faultCode).toBe('GW_MAP_INVALID_AMOUNT');
    expect((await gw.sim.control.stats()).initCalls).toBe(before);
  });
});

describe('contract-shaped errors over plain XML', () => {
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spgw-xml-'));
    cpSync(path.join(ROOT, 'mappings'), dir, { recursive: true });
    const file = path.join(dir, 'back-office', 'payment-request.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}errors:\n  Status: "'ERROR'"\n  Message: "$error.code"\n  OrderRef: OrderRef\n`);
    gw = await startTestGateway({ config: { paths: { mappings: dir } } });
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const doc = (order: string, amount: string) =>
    `<?xml version="1.0" encoding="utf-8"?><PaymentRequest><StoreId>S-01</StoreId><OrderRef>${order}</OrderRef><Amount>${amount}</Amount><Currency>USD</Currency></PaymentRequest>`;
  const postXml = async (xml: string) => {
    const res = await fetch(`${gw.url}/xml/back-office`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    return { status: res.status, text: await res.text() };
  };

  it('an idempotency conflict and a bad amount come back as the document reply, not <error>', async () => {
    await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
    const first = await postXml(doc('PO-1', '25.00'));
    expect(first.text).toContain('<Status>APPROVED</Status>');
    const conflict = await postXml(doc('PO-1', '26.00'));
    expect(conflict.status).toBe(200);
    expect(conflict.text).toContain('<Status>ERROR</Status>');
    expect(conflict.text).toContain('<Message>GW_IDEMPOTENCY_CONFLICT</Message>');
    expect(conflict.text).toContain('<OrderRef>PO-1</OrderRef>'); // request fields are there once the request was read
    expect(conflict.text).not.toContain('Approved'); // errors: stands alone: nothing of the base reply leaks in
    const bad = await postXml(doc('PO-2', '1e3'));
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('<Message>GW_MAP_INVALID_AMOUNT</Message>');
    expect((await gw.sim.control.stats()).initCalls).toBe(1);
  });
});
