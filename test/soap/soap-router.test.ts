// The SOAP endpoint over real loopback HTTP: WSDL/XSD serving with rewritten addresses, round trips in both SOAP
// versions, faults per version, and the delivery hooks (commit only after a full write; abort on disconnect).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GW_FAULT_NS } from '../../src/egress/soap-fault.js';
import { gwError } from '../../src/errors.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement } from '../../src/ingress/xml-tree.js';
import type { InboundMessage, OutboundMessage } from '../../src/route/message.js';
import {
  echoHandler, envelope, LIMITS, post, SALE_FIELDS, saleXml, soap11Headers, soap12Headers, startSoapServer, TYPES_NS, type TestServer,
} from './soap-test-server.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

function get(port: number, path: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}
const child = (el: XmlElement | undefined, local: string) => el?.children.find((c) => c.local === local);
function faultOf(text: string) {
  const root = parseXml(text, LIMITS);
  const fault = child(child(root, 'Body'), 'Fault');
  const detail = child(fault, 'detail') ?? child(fault, 'Detail');
  const gw = detail?.children.find((c) => c.ns === GW_FAULT_NS);
  const code = child(fault, 'faultcode')?.text ?? child(child(fault, 'Code'), 'Value')?.text;
  return { envNs: root.ns, code, gwCode: child(gw, 'code')?.text, requestId: child(gw, 'requestId')?.text };
}

describe('SOAP endpoint', () => {
  let server: TestServer;
  let behind: TestServer;
  let next: ((m: InboundMessage) => Promise<OutboundMessage>) | undefined;
  beforeAll(async () => {
    server = await startSoapServer((m) => (next ?? echoHandler)(m));
    behind = await startSoapServer(echoHandler, { publicUrl: 'https://pay.example.com/gw/' });
  });
  afterAll(async () => {
    await server.close();
    await behind.close();
  });

  describe('documents', () => {
    it('serves the WSDL with both addresses and the schemaLocation rewritten to the Host the client used', async () => {
      const res = await get(server.port, '/soap/acme-pos?wsdl', 'pos-gw.local:8443');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<soap:address location="http://pos-gw.local:8443/soap/acme-pos"/>');
      expect(res.text).toContain('<soap12:address location="http://pos-gw.local:8443/soap/acme-pos"/>');
      expect(res.text).toContain('schemaLocation="http://pos-gw.local:8443/soap/acme-pos?xsd=AcmePaymentTypes.xsd"');
      expect(res.text).not.toContain('localhost:8080');
    });
    it('uses server.publicUrl behind a proxy', async () => {
      const res = await get(behind.port, '/soap/acme-pos?WSDL', 'internal:1');
      expect(res.text).toContain('location="https://pay.example.com/gw/soap/acme-pos"');
      expect(res.text).not.toContain('internal:1');
    });
    it('refuses a Host header that would inject markup', async () => {
      const res = await get(server.port, '/soap/acme-pos?wsdl', 'x"><evil/>');
      expect(res.status).toBe(400);
      expect(faultOf(res.text).gwCode).toBe('GW_INGRESS_BAD_HOST');
      expect(res.text).not.toContain('<evil/>');
    });
    it('serves the imported schema at ?xsd=<name> and 404s unknown names', async () => {
      const res = await get(server.port, '/soap/acme-pos?xsd=AcmePaymentTypes.xsd', '127.0.0.1');
      expect(res.status).toBe(200);
      expect(parseXml(res.text, LIMITS)).toMatchObject({ local: 'schema', attrs: { targetNamespace: TYPES_NS } });
      const missing = await get(server.port, '/soap/acme-pos?xsd=..%2Fsecret.xsd', '127.0.0.1');
      expect(missing.status).toBe(404);
      expect(faultOf(missing.text).gwCode).toBe('GW_ROUTE_NOT_FOUND');
    });
    it('answers other GETs and methods with GW_ROUTE_METHOD_NOT_ALLOWED', async () => {
      expect((await get(server.port, '/soap/acme-pos', '127.0.0.1')).status).toBe(405);
      const put = await fetch(server.url, { method: 'PUT', body: 'x' });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, POST');
      expect(faultOf(await put.text()).gwCode).toBe('GW_ROUTE_METHOD_NOT_ALLOWED');
    });
  });

  describe('round trips', () => {
    it('SOAP 1.1: typed message in, schema-ordered reply out', async () => {
      next = undefined;
      const before = server.received.length;
      const res = await post(server.url, envelope('1.1', saleXml(SALE_FIELDS)), soap11Headers('Sale'));
      expect(res.status).toBe(200);
      expect(res.contentType).toBe('text/xml; charset=utf-8');
      const m = server.received[before];
      expect(m).toMatchObject({ endpoint: 'acme-pos', operation: 'Sale', protocol: 'soap11', identity: { name: 'anonymous', method: 'none' } });
      expect(m?.body.TerminalId).toBe('0042');
      expect((m?.body.Items as { Item: unknown[] }).Item).toHaveLength(1);
      const reply = child(parseXml(res.text, LIMITS), 'Body')?.children[0];
      expect(reply).toMatchObject({ local: 'SaleResponse', ns: TYPES_NS });
      expect(reply?.children.map((c) => c.local)).toEqual(['Result', 'ResultCode', 'Message', 'TransactionId', 'AuthCode', 'Amount', 'Currency', 'CardLast4']);
      expect(child(reply, 'TransactionId')?.text).toBe('tx-R-1001');
    });
    it('SOAP 1.2: application/soap+xml in and out', async () => {
      next = undefined;
      const xml = envelope('1.2', `<GetTransactionStatus xmlns="${TYPES_NS}"><TerminalId>0042</TerminalId><ReceiptNo>R-7</ReceiptNo></GetTransactionStatus>`);
      const res = await post(server.url, xml, soap12Headers('GetTransactionStatus'));
      expect(res.status).toBe(200);
      expect(res.contentType).toBe('application/soap+xml; charset=utf-8');
      const root = parseXml(res.text, LIMITS);
      expect(root.ns).toBe(SOAP12);
      const reply = child(root, 'Body')?.children[0];
      expect(reply).toMatchObject({ local: 'GetTransactionStatusResponse', ns: TYPES_NS });
      expect(child(reply, 'Message')?.text).toBe('GetTransactionStatus via soap12');
    });
  });

  describe('faults', () => {
    const cases: [string, string, Record<string, string>, string, string, string][] = [
      ['unknown operation', envelope('1.1', `<Pay xmlns="${TYPES_NS}"/>`), soap11Headers('Sale'), SOAP11, 'soap:Client', 'GW_ROUTE_UNKNOWN_OPERATION'],
      ['unknown operation (1.2)', envelope('1.2', `<Pay xmlns="${TYPES_NS}"/>`), soap12Headers(), SOAP12, 'soap12:Sender', 'GW_ROUTE_UNKNOWN_OPERATION'],
      ['1.2 envelope with the 1.1 content type', envelope('1.2', saleXml(SALE_FIELDS)), soap11Headers('Sale'), SOAP11, 'soap:VersionMismatch', 'GW_SOAP_VERSION_MISMATCH'],
      ['1.1 envelope with the 1.2 content type', envelope('1.1', saleXml(SALE_FIELDS)), soap12Headers('Sale'), SOAP11, 'soap:VersionMismatch', 'GW_SOAP_VERSION_MISMATCH'],
      ['schema violation', envelope('1.1', saleXml(SALE_FIELDS.replace('<Quantity>2', '<Quantity>two'))), soap11Headers('Sale'), SOAP11, 'soap:Client', 'GW_SCHEMA_VIOLATION'],
      ['schema violation (1.2)', envelope('1.2', saleXml(SALE_FIELDS.replace('<Amount>12.50</Amount>', ''))), soap12Headers('Sale'), SOAP12, 'soap12:Sender', 'GW_SCHEMA_VIOLATION'],
      ['SOAPAction mismatch', envelope('1.1', saleXml(SALE_FIELDS)), soap11Headers('Refund'), SOAP11, 'soap:Client', 'GW_SOAP_ACTION_MISMATCH'],
      ['SOAP 1.2 action mismatch', envelope('1.2', saleXml(SALE_FIELDS)), soap12Headers('Credit'), SOAP12, 'soap12:Sender', 'GW_SOAP_ACTION_MISMATCH'],
      ['malformed XML', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Sale></s:Body>', soap11Headers('Sale'), SOAP11, 'soap:Client', 'GW_INGRESS_MALFORMED_XML'],
      ['malformed XML (1.2)', '<x', soap12Headers('Sale'), SOAP12, 'soap12:Sender', 'GW_INGRESS_MALFORMED_XML'],
      ['DOCTYPE', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${envelope('1.1', '&e;').replace(/^<\?xml[^>]*>/, '')}`, soap11Headers('Sale'), SOAP11, 'soap:Client', 'GW_INGRESS_DOCTYPE_FORBIDDEN'],
    ];
    it.each(cases)('%s → HTTP 500 fault with the code in detail, no internals', async (_name, body, headers, envNs, code, gwCode) => {
      next = undefined;
      const res = await post(server.url, body, headers);
      expect(res.status).toBe(500);
      expect(res.contentType).toBe(envNs === SOAP11 ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8');
      const fault = faultOf(res.text);
      expect(fault).toMatchObject({ envNs, code, gwCode });
      expect(fault.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.text).not.toMatch(/\bat .*\.(ts|js)|Expected closing|InvalidTag|passwd|Error:/);
    });
    it('a handler fault is sent as a fault; an unknown handler error as GW_SERVER_INTERNAL without its text', async () => {
      next = async () => ({ kind: 'fault', error: gwError('GW_OUTCOME_UNKNOWN') });
      const outcome = faultOf((await post(server.url, envelope('1.2', saleXml(SALE_FIELDS)), soap12Headers('Sale'))).text);
      expect(outcome).toMatchObject({ code: 'soap12:Receiver', gwCode: 'GW_OUTCOME_UNKNOWN' });
      next = async () => {
        throw new Error('apiKey=sk_live_123 at handler.ts:3');
      };
      const res = await post(server.url, envelope('1.1', saleXml(SALE_FIELDS)), soap11Headers('Sale'));
      expect(faultOf(res.text)).toMatchObject({ code: 'soap:Server', gwCode: 'GW_SERVER_INTERNAL' });
      expect(res.text).not.toContain('sk_live');
    });
  });

  describe('delivery hooks', () => {
    it('calls onDelivered once the reply was written completely, never onUndelivered', async () => {
      const onDelivered = vi.fn();
      const onUndelivered = vi.fn();
      next = async (m) => ({ kind: 'reply', value: { Result: 'APPROVED', ResultCode: 0, Message: m.operation }, onDelivered, onUndelivered });
      const res = await post(server.url, envelope('1.1', saleXml(SALE_FIELDS)), soap11Headers('Sale'));
      expect(res.status).toBe(200);
      await until(() => onDelivered.mock.calls.length > 0, 'onDelivered');
      expect(onDelivered).toHaveBeenCalledTimes(1);
      expect(onUndelivered).not.toHaveBeenCalled();
    });
    it('does not count a reply as delivered while the POS has not taken it all, and never after it hangs up', async () => {
      const onDelivered = vi.fn();
      const onUndelivered = vi.fn();
      // Far larger than the loopback socket buffers, so 'finish' cannot happen while the client does not read.
      next = async () => ({ kind: 'reply', value: { Result: 'APPROVED', ResultCode: 0, Message: 'x'.repeat(24 * 1024 * 1024) }, onDelivered, onUndelivered });
      let responded = false;
      const req = request({ host: '127.0.0.1', port: server.port, path: '/soap/acme-pos', method: 'POST', headers: soap11Headers('Sale') }, (res) => {
        responded = true;
        res.pause();
      });
      req.on('error', () => undefined);
      req.end(envelope('1.1', saleXml(SALE_FIELDS)));
      await until(() => responded, 'the response to start');
      await new Promise((r) => setTimeout(r, 200));
      expect(onDelivered).not.toHaveBeenCalled();
      req.destroy();
      await until(() => onUndelivered.mock.calls.length > 0, 'onUndelivered');
      expect(onDelivered).not.toHaveBeenCalled();
    });
    it('calls onUndelivered (not onDelivered) when the reply does not fit the schema', async () => {
      const onDelivered = vi.fn();
      const onUndelivered = vi.fn();
      next = async () => ({ kind: 'reply', value: { Result: 'APPROVED', ResultCode: 0, Message: 'm', Amount: 1.1 }, onDelivered, onUndelivered });
      const res = await post(server.url, envelope('1.1', saleXml(SALE_FIELDS)), soap11Headers('Sale'));
      expect(faultOf(res.text)).toMatchObject({ code: 'soap:Server', gwCode: 'GW_SCHEMA_REPLY_INVALID' });
      expect(onUndelivered).toHaveBeenCalledTimes(1);
      expect(onDelivered).not.toHaveBeenCalled();
    });
    it('aborts the signal and calls onUndelivered when the POS disconnects while waiting', async () => {
      let release: (value: OutboundMessage) => void = () => undefined;
      let inbound: InboundMessage | undefined;
      next = (m) => {
        inbound = m;
        return new Promise<OutboundMessage>((resolve) => (release = resolve));
      };
      const body = envelope('1.1', saleXml(SALE_FIELDS));
      const req = request({ host: '127.0.0.1', port: server.port, path: '/soap/acme-pos', method: 'POST', headers: soap11Headers('Sale') });
      req.on('error', () => undefined);
      req.end(body);
      await until(() => inbound !== undefined, 'the handler to receive the message');
      expect(inbound?.signal.aborted).toBe(false);
      req.destroy();
      await until(() => inbound?.signal.aborted === true, 'the abort signal');
      const onDelivered = vi.fn();
      const onUndelivered = vi.fn();
      release({ kind: 'reply', value: { Result: 'CANCELLED', ResultCode: 9, Message: 'gone' }, onDelivered, onUndelivered });
      await until(() => onUndelivered.mock.calls.length > 0, 'onUndelivered');
      expect(onDelivered).not.toHaveBeenCalled();
    });
  });
});
