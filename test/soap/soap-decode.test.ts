// decodeSoapRequest against the real acme-pos WSDL: typing by the schema, envelope/version/action rules, violations.
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError, type ErrorCode, type GatewayError } from '../../src/errors.js';
import { decodeSoapRequest, type DecodeHints } from '../../src/ingress/soap-decode.js';
import { loadSoapService, type SoapService } from '../../src/ingress/wsdl-service.js';
import { ACME_DIR, acmeService, envelope, SALE_FIELDS, saleXml, TYPES_NS } from './soap-test-server.js';

const CT11: DecodeHints = { contentType: 'text/xml; charset=utf-8' };
const CT12: DecodeHints = { contentType: 'application/soap+xml; charset=utf-8' };
let service: SoapService;
beforeAll(async () => {
  service = await acmeService();
});

function failure(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err)) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}
function expectCode(fn: () => unknown, code: ErrorCode): GatewayError {
  const err = failure(fn);
  expect(err.code).toBe(code);
  return err;
}
const sale = (fields: string, version: '1.1' | '1.2' = '1.1') => envelope(version, saleXml(fields));

describe('decodeSoapRequest: values typed by the schema', () => {
  it('keeps strings as strings, types integers, keeps decimals as exact strings', () => {
    const r = decodeSoapRequest(service, sale(SALE_FIELDS), CT11);
    expect(r).toMatchObject({ operation: 'Sale', version: '1.1' });
    expect(r.body.TerminalId).toBe('0042');
    expect(r.body.Amount).toBe('12.50');
    const items = r.body.Items as { Item: Record<string, unknown>[] };
    expect(Array.isArray(items.Item)).toBe(true);
    expect(items.Item).toEqual([{ Sku: '0001', Name: 'Coffee & cake', Quantity: 2, UnitPrice: '6.25' }]);
  });
  it('leaves optional absent elements absent and makes an empty repeated element an empty array', () => {
    const r = decodeSoapRequest(service, sale('<TerminalId>7</TerminalId><ReceiptNo>1</ReceiptNo><Amount>1</Amount><Currency>EUR</Currency><Items/>'), CT11);
    expect(Object.keys(r.body)).toEqual(['TerminalId', 'ReceiptNo', 'Amount', 'Currency', 'Items']);
    expect(r.body.Items).toEqual({ Item: [] });
    expect('OperatorId' in r.body).toBe(false);
  });
  it('keeps several items in document order', () => {
    const item = (n: number) => `<Item><Sku>${n}</Sku><Name>n${n}</Name><Quantity> ${n} </Quantity><UnitPrice>0.5</UnitPrice></Item>`;
    const fields = SALE_FIELDS.replace(/<Items>.*<\/Items>/, `<Items>${item(1)}${item(2)}${item(3)}</Items>`);
    const r = decodeSoapRequest(service, sale(fields), CT11);
    expect((r.body.Items as { Item: { Quantity: number }[] }).Item.map((i) => i.Quantity)).toEqual([1, 2, 3]);
  });
  it('accepts prefixed elements, SOAP 1.2 with its content type, and a CDATA value', () => {
    const xml = envelope('1.2', `<t:GetTransactionStatus xmlns:t="${TYPES_NS}"><t:TerminalId><![CDATA[00&7]]></t:TerminalId><t:ReceiptNo>R</t:ReceiptNo></t:GetTransactionStatus>`);
    const r = decodeSoapRequest(service, xml, { contentType: 'application/soap+xml; action="http://acme-pos.example.com/payments/2009/GetTransactionStatus"' });
    expect(r).toEqual({ operation: 'GetTransactionStatus', version: '1.2', headers: [], body: { TerminalId: '00&7', ReceiptNo: 'R' } });
  });
  it('decodes without transport hints (CLI use) from the envelope alone', () => {
    expect(decodeSoapRequest(service, sale(SALE_FIELDS, '1.2')).version).toBe('1.2');
  });
});

describe('decodeSoapRequest: schema violations name the element', () => {
  const cases: [string, string, RegExp][] = [
    ['missing required element', SALE_FIELDS.replace('<Amount>12.50</Amount>', ''), /missing required element Sale\/Amount/],
    ['unexpected element', SALE_FIELDS.replace('<Currency>', '<Tip>1</Tip><Currency>'), /unexpected element Tip in Sale/],
    ['non-integer Quantity', SALE_FIELDS.replace('<Quantity>2', '<Quantity>2.5'), /Sale\/Items\/Item\[1\]\/Quantity is not a valid int/],
    ['bad decimal', SALE_FIELDS.replace('12.50', '12,50'), /Sale\/Amount is not a valid Money/],
    ['too many fraction digits', SALE_FIELDS.replace('12.50', '12.5001'), /Sale\/Amount has more than 3 fraction digits/],
    ['negative amount', SALE_FIELDS.replace('12.50', '-1'), /Sale\/Amount is below the minimum 0/],
    ['currency pattern', SALE_FIELDS.replace('USD', 'usd'), /Sale\/Currency does not match the required pattern/],
    ['out of order', SALE_FIELDS.replace('<TerminalId>0042</TerminalId><ReceiptNo>R-1001</ReceiptNo>', '<ReceiptNo>R-1001</ReceiptNo><TerminalId>0042</TerminalId>'), /missing required element Sale\/TerminalId/],
    ['repeated single element', SALE_FIELDS.replace('<Currency>USD</Currency>', '<Currency>USD</Currency><Currency>EUR</Currency>'), /Sale\/Currency is out of order or occurs too often/],
    ['text in a complex element', SALE_FIELDS.replace('<Items>', '<Items>oops'), /Sale\/Items must not contain text/],
    ['element inside a simple one', SALE_FIELDS.replace('<ReceiptNo>R-1001', '<ReceiptNo><b>R</b>'), /Sale\/ReceiptNo must not contain elements/],
    ['too long', SALE_FIELDS.replace('0042', 'x'.repeat(33)), /Sale\/TerminalId is longer than 32 characters/],
  ];
  it.each(cases)('%s → GW_SCHEMA_VIOLATION', (_name, fields, detail) => {
    const err = expectCode(() => decodeSoapRequest(service, sale(fields), CT11), 'GW_SCHEMA_VIOLATION');
    expect(err.message).toMatch(detail);
  });
  it('reports an unqualified child as being in the wrong namespace', () => {
    const xml = envelope('1.1', `<t:Cancel xmlns:t="${TYPES_NS}"><TerminalId>1</TerminalId><t:ReceiptNo>2</t:ReceiptNo></t:Cancel>`);
    const err = expectCode(() => decodeSoapRequest(service, xml, CT11), 'GW_SCHEMA_VIOLATION');
    expect(err.message).toContain(`Cancel/TerminalId must be in namespace ${TYPES_NS}`);
  });
  it('never echoes the offending value', () => {
    const err = expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS.replace('<Quantity>2', '<Quantity>4111111111111111x')), CT11), 'GW_SCHEMA_VIOLATION');
    expect(err.message).not.toContain('4111');
  });
});

describe('decodeSoapRequest: envelope, version and action rules', () => {
  it('rejects an unknown operation element', () => {
    const err = expectCode(() => decodeSoapRequest(service, envelope('1.1', `<Pay xmlns="${TYPES_NS}"/>`), CT11), 'GW_ROUTE_UNKNOWN_OPERATION');
    expect(err.message).toContain('Pay');
    // Right local name, wrong namespace: still not an operation of this service.
    expectCode(() => decodeSoapRequest(service, envelope('1.1', `<Sale xmlns="urn:other">${SALE_FIELDS}</Sale>`), CT11), 'GW_ROUTE_UNKNOWN_OPERATION');
  });
  it('checks the SOAPAction against the body element, ignoring an empty one', () => {
    const action = (a: string) => ({ ...CT11, soapAction: a });
    expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS), action('"http://acme-pos.example.com/payments/2009/Refund"')), 'GW_SOAP_ACTION_MISMATCH');
    expect(decodeSoapRequest(service, sale(SALE_FIELDS), action('""')).operation).toBe('Sale');
    expect(decodeSoapRequest(service, sale(SALE_FIELDS), action('http://acme-pos.example.com/payments/2009/Sale')).operation).toBe('Sale');
  });
  it('checks the SOAP 1.2 action parameter', () => {
    const hints = { contentType: 'application/soap+xml;charset=utf-8;action="http://acme-pos.example.com/payments/2009/Cancel"' };
    expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS, '1.2'), hints), 'GW_SOAP_ACTION_MISMATCH');
  });
  it('answers content-type / envelope mix-ups with VersionMismatch in a SOAP 1.1 fault', () => {
    const a = expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS, '1.2'), CT11), 'GW_SOAP_VERSION_MISMATCH');
    const b = expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS, '1.1'), CT12), 'GW_SOAP_VERSION_MISMATCH');
    expect([a.params.faultVersion, b.params.faultVersion]).toEqual(['1.1', '1.1']);
  });
  it('answers an unknown envelope namespace in the version the content type announced', () => {
    const xml = `<e:Envelope xmlns:e="urn:not-soap"><e:Body>${saleXml(SALE_FIELDS)}</e:Body></e:Envelope>`;
    expect(expectCode(() => decodeSoapRequest(service, xml, CT12), 'GW_SOAP_VERSION_MISMATCH').params.faultVersion).toBe('1.2');
  });
  it('refuses documents that are not envelopes, empty or double bodies, and foreign content types', () => {
    expectCode(() => decodeSoapRequest(service, saleXml(SALE_FIELDS), CT11), 'GW_SOAP_NOT_ENVELOPE');
    expectCode(() => decodeSoapRequest(service, envelope('1.1', ''), CT11), 'GW_INGRESS_DUPLICATE_BODY');
    expectCode(() => decodeSoapRequest(service, envelope('1.1', saleXml(SALE_FIELDS) + saleXml(SALE_FIELDS)), CT11), 'GW_INGRESS_DUPLICATE_BODY');
    expectCode(() => decodeSoapRequest(service, sale(SALE_FIELDS), { contentType: 'application/json' }), 'GW_INGRESS_CONTENT_TYPE');
    expectCode(() => decodeSoapRequest(service, '<s:Envelope', CT11), 'GW_INGRESS_MALFORMED_XML');
  });
  it('faults on a mustUnderstand header it does not process, unless the caller understands it', () => {
    const s = 'http://schemas.xmlsoap.org/soap/envelope/';
    const xml = `<s:Envelope xmlns:s="${s}"><s:Header><x:Trace xmlns:x="urn:x" s:mustUnderstand="1"/><x:Note xmlns:x="urn:x">ok</x:Note></s:Header><s:Body>${saleXml(SALE_FIELDS)}</s:Body></s:Envelope>`;
    expect(expectCode(() => decodeSoapRequest(service, xml, CT11), 'GW_SOAP_MUST_UNDERSTAND').message).toContain('Trace');
    const r = decodeSoapRequest(service, xml, { ...CT11, understoodHeaders: new Set(['{urn:x}Trace']) });
    expect(r.headers.map((h) => h.local)).toEqual(['Trace', 'Note']);
  });
});

describe('a SOAP 1.1-only service', () => {
  let dir: string;
  let only11: SoapService;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'soap11-only-'));
    const wsdl = await readFile(path.join(ACME_DIR, 'AcmePaymentService.wsdl'), 'utf8');
    const stripped = wsdl
      .replace(/<wsdl:binding name="AcmePaymentSoap12"[\s\S]*?<\/wsdl:binding>/, '')
      .replace(/<wsdl:port name="AcmePaymentSoap12"[\s\S]*?<\/wsdl:port>/, '');
    await writeFile(path.join(dir, 'AcmePaymentService.wsdl'), stripped);
    await copyFile(path.join(ACME_DIR, 'AcmePaymentTypes.xsd'), path.join(dir, 'AcmePaymentTypes.xsd'));
    only11 = await loadSoapService(dir);
    return () => rm(dir, { recursive: true, force: true });
  });
  it('binds only 1.1 and refuses a SOAP 1.2 envelope with a SOAP 1.1 VersionMismatch', () => {
    expect([...only11.versions]).toEqual(['1.1']);
    const err = expectCode(() => decodeSoapRequest(only11, sale(SALE_FIELDS, '1.2'), CT12), 'GW_SOAP_VERSION_MISMATCH');
    expect(err.params.faultVersion).toBe('1.1');
    expect(err.message).toContain('no SOAP 1.2 binding');
    expect(decodeSoapRequest(only11, sale(SALE_FIELDS), CT11).operation).toBe('Sale');
  });
});
