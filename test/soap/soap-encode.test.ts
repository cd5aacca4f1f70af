// encodeSoapReply / encodeSoapFault: schema order and namespaces, type checks on replies, fault shapes per version.
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSoapFault, encodeSoapReply } from '../../src/egress/soap-encode.js';
import { GW_FAULT_NS } from '../../src/egress/soap-fault.js';
import { gwError, isGatewayError, toGatewayError } from '../../src/errors.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement } from '../../src/ingress/xml-tree.js';
import type { SoapService } from '../../src/ingress/wsdl-service.js';
import { acmeService, LIMITS, TYPES_NS } from './soap-test-server.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
let service: SoapService;
beforeAll(async () => {
  service = await acmeService();
});

const child = (el: XmlElement | undefined, local: string) => el?.children.find((c) => c.local === local);
function bodyOf(xml: string, ns: string): XmlElement | undefined {
  const root = parseXml(xml, LIMITS);
  expect(root).toMatchObject({ local: 'Envelope', ns });
  return child(root, 'Body')?.children[0];
}
function replyError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err, 'GW_SCHEMA_REPLY_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected GW_SCHEMA_REPLY_INVALID');
}

describe('encodeSoapReply', () => {
  it('orders by the XSD sequence, qualifies every element, skips undefined and escapes text', () => {
    const value = { Amount: '12.50', Message: 'A & B <ok>', ResultCode: 0, Result: 'APPROVED', AuthCode: undefined, TransactionId: 'T1' };
    for (const [version, ns] of [['1.1', SOAP11], ['1.2', SOAP12]] as const) {
      const el = bodyOf(encodeSoapReply(service, 'Sale', value, version), ns);
      expect(el).toMatchObject({ local: 'SaleResponse', ns: TYPES_NS });
      expect(el?.children.map((c) => [c.local, c.ns, c.text])).toEqual([
        ['Result', TYPES_NS, 'APPROVED'],
        ['ResultCode', TYPES_NS, '0'],
        ['Message', TYPES_NS, 'A & B <ok>'],
        ['TransactionId', TYPES_NS, 'T1'],
        ['Amount', TYPES_NS, '12.50'],
      ]);
    }
  });
  it('writes decimals from strings or integers, never from fractional numbers', () => {
    const base = { Result: 'APPROVED', ResultCode: 0, Message: 'm' };
    expect(encodeSoapReply(service, 'Refund', { ...base, Amount: 5 }, '1.1')).toContain('<Amount>5</Amount>');
    expect(replyError(() => encodeSoapReply(service, 'Refund', { ...base, Amount: 12.5 }, '1.1'))).toContain('RefundResponse/Amount cannot be written as Money');
  });
  it('refuses replies the schema does not allow', () => {
    const base = { Result: 'APPROVED', ResultCode: 0, Message: 'm' };
    expect(replyError(() => encodeSoapReply(service, 'Cancel', { Result: 'APPROVED', ResultCode: 0 }, '1.1'))).toContain('CancelResponse/Message is required');
    expect(replyError(() => encodeSoapReply(service, 'Cancel', { ...base, Extra: 1 }, '1.1'))).toContain('CancelResponse has no element Extra');
    expect(replyError(() => encodeSoapReply(service, 'Cancel', { ...base, Result: 'MAYBE' }, '1.1'))).toContain('Result is not one of the allowed values');
    expect(replyError(() => encodeSoapReply(service, 'Cancel', { ...base, ResultCode: '1.5' }, '1.1'))).toContain('ResultCode is not a valid int');
    expect(replyError(() => encodeSoapReply(service, 'Cancel', { ...base, Message: ['a', 'b'] }, '1.1'))).toContain('not a repeated element');
    expect(replyError(() => encodeSoapReply(service, 'Nope', base, '1.1'))).toContain('no operation Nope');
  });
});

describe('encodeSoapFault', () => {
  const detailOf = (fault: XmlElement | undefined, name: string) => {
    const d = child(fault, name)?.children[0];
    expect(d).toMatchObject({ local: 'GatewayFault', ns: GW_FAULT_NS });
    return Object.fromEntries((d?.children ?? []).map((c) => [c.local, c.text]));
  };
  it('SOAP 1.1: faultcode soap:Client / soap:Server, faultstring, detail with gw:code and requestId', () => {
    const fault = bodyOf(encodeSoapFault(gwError('GW_ROUTE_UNKNOWN_OPERATION', { operation: 'Pay' }), '1.1', 'req-1'), SOAP11);
    expect(fault).toMatchObject({ local: 'Fault', ns: SOAP11 });
    expect(child(fault, 'faultcode')?.text).toBe('soap:Client');
    expect(child(fault, 'faultstring')?.text).toBe('Operation is not offered by this service: Pay');
    expect(detailOf(fault, 'detail')).toMatchObject({ code: 'GW_ROUTE_UNKNOWN_OPERATION', requestId: 'req-1' });
    const server = bodyOf(encodeSoapFault(gwError('GW_UPSTREAM_UNAVAILABLE'), '1.1'), SOAP11);
    expect(child(server, 'faultcode')?.text).toBe('soap:Server');
  });
  it('SOAP 1.2: Code/Value Sender or Receiver with a gateway Subcode, Reason/Text xml:lang, Detail', () => {
    const fault = bodyOf(encodeSoapFault(gwError('GW_SCHEMA_VIOLATION', { detail: 'x' }), '1.2', 'req-2'), SOAP12);
    const code = child(fault, 'Code');
    expect(child(code, 'Value')?.text).toBe('soap12:Sender');
    expect(child(child(code, 'Subcode'), 'Value')?.text).toBe('gwc:GW_SCHEMA_VIOLATION');
    const text = child(child(fault, 'Reason'), 'Text');
    expect(text?.attrs['xml:lang']).toBe('en');
    expect(detailOf(fault, 'Detail')).toMatchObject({ code: 'GW_SCHEMA_VIOLATION', requestId: 'req-2' });
    const receiver = bodyOf(encodeSoapFault(gwError('GW_OUTCOME_UNKNOWN'), '1.2'), SOAP12);
    expect(child(child(receiver, 'Code'), 'Value')?.text).toBe('soap12:Receiver');
  });
  it('uses VersionMismatch and MustUnderstand codes where the SOAP specs define them', () => {
    expect(encodeSoapFault(gwError('GW_SOAP_VERSION_MISMATCH', { detail: 'd' }), '1.1')).toContain('<faultcode>soap:VersionMismatch</faultcode>');
    expect(encodeSoapFault(gwError('GW_SOAP_MUST_UNDERSTAND', { header: 'h' }), '1.2')).toContain('<soap12:Value>soap12:MustUnderstand</soap12:Value>');
  });
  it('shows nothing of an unknown error: no message, no stack', () => {
    const inner = new Error('db password=hunter2 at /srv/app.js:12');
    const xml = encodeSoapFault(toGatewayError(inner), '1.1', 'r');
    expect(xml).toContain('GW_SERVER_INTERNAL');
    expect(xml).toContain('Internal gateway error');
    expect(xml).not.toMatch(/hunter2|app\.js|at /);
  });
});
