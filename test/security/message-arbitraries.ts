// fast-check generators for Acme SOAP requests aimed at the whole gateway: plausible field values (so many messages
// pass the schema and reach the mapping), optional WS-Security headers, then byte-level mutations and transports.
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { usernameToken } from './secure-client.js';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const TYPES = 'http://acme-pos.example.com/payments/2009/types';
const ACTION = 'http://acme-pos.example.com/payments/2009/';

export const OPERATIONS = ['Sale', 'Refund', 'Cancel', 'GetTransactionStatus', 'Authorize', 'Capture', 'ReleaseAuthorization', 'Tokenize', 'SaleWithToken', 'Credit'] as const;
export type Operation = (typeof OPERATIONS)[number];

const xmlText = fc
  .string({ unit: 'binary', maxLength: 20 })
  .map((s) => s.replace(/[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/&/g, '&amp;').replace(/</g, '&lt;'));
const oddly = <T extends string>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: xmlText });

const terminal = oddly(fc.constantFrom('T1', 'T7', 'T9', 'store-12/till-7'));
// A small receipt space, so lookups (Refund, Capture, Cancel, status) sometimes find an earlier payment and repeats replay.
const receipt = oddly(fc.integer({ min: 1, max: 400 }).map((n) => `P-${n}`));
const money = oddly(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 99 })).map(([a, c]) => `${a}.${String(c).padStart(2, '0')}`),
    fc.constantFrom('0', '1', '0.001', '1.5', '999999999999999.99', '-1.00', '1e3', ' 2.00 ', '+3.10', '.5', '12.', '0012.30'),
  ),
);
const currency = oddly(fc.constantFrom('USD', 'USD', 'USD', 'EUR', 'ILS', 'JPY', 'KWD', 'XXX', 'usd', 'US'));
const token = oddly(fc.oneof(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 256 }), fc.constant('')));
const free = oddly(fc.constantFrom('+15550100', 'a@example.com', 'op-1', ''));
const item = fc
  .tuple(free, free, oddly(fc.integer({ min: -2, max: 5 }).map(String)), money)
  .map(([sku, name, q, price]) => `<t:Item><t:Sku>${sku}</t:Sku><t:Name>${name}</t:Name><t:Quantity>${q}</t:Quantity><t:UnitPrice>${price}</t:UnitPrice></t:Item>`);
const items = fc.array(item, { maxLength: 3 }).map((xs) => `<t:Items>${xs.join('')}</t:Items>`);

const opt = (a: fc.Arbitrary<string>) => fc.option(a, { nil: undefined, freq: 3 });
const FIELDS: Readonly<Record<Operation, fc.Arbitrary<readonly (readonly [string, string | undefined])[]>>> = {
  Sale: fc.tuple(terminal, receipt, opt(free), money, currency, opt(items), opt(free), opt(free)).map(([a, b, c, d, e, f, g, h]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['OperatorId', c], ['Amount', d], ['Currency', e], ['Items', f], ['CustomerPhone', g], ['CustomerEmail', h],
  ]),
  Refund: fc.tuple(terminal, receipt, opt(free), receipt, opt(money)).map(([a, b, c, d, e]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['OperatorId', c], ['OriginalReceiptNo', d], ['Amount', e],
  ]),
  Cancel: fc.tuple(terminal, receipt, opt(free)).map(([a, b, c]) => [['TerminalId', a], ['ReceiptNo', b], ['OperatorId', c]]),
  GetTransactionStatus: fc.tuple(terminal, receipt).map(([a, b]) => [['TerminalId', a], ['ReceiptNo', b]]),
  Authorize: fc.tuple(terminal, receipt, opt(free), money, currency, opt(free), opt(free)).map(([a, b, c, d, e, f, g]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['OperatorId', c], ['Amount', d], ['Currency', e], ['CustomerPhone', f], ['CustomerEmail', g],
  ]),
  Capture: fc.tuple(terminal, receipt, receipt, money, currency).map(([a, b, c, d, e]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['AuthorizationReceiptNo', c], ['Amount', d], ['Currency', e],
  ]),
  ReleaseAuthorization: fc.tuple(terminal, receipt).map(([a, b]) => [['TerminalId', a], ['AuthorizationReceiptNo', b]]),
  Tokenize: fc.tuple(terminal, receipt, opt(free), opt(free)).map(([a, b, c, d]) => [['TerminalId', a], ['ReceiptNo', b], ['CustomerPhone', c], ['CustomerEmail', d]]),
  SaleWithToken: fc.tuple(terminal, receipt, token, money, currency).map(([a, b, c, d, e]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['CardToken', c], ['Amount', d], ['Currency', e],
  ]),
  Credit: fc.tuple(terminal, receipt, token, money, currency).map(([a, b, c, d, e]) => [
    ['TerminalId', a], ['ReceiptNo', b], ['CardToken', c], ['Amount', d], ['Currency', e],
  ]),
};

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** None, a valid token (digest or text), or a wrong one; Basic sometimes too. */
const authArb = fc.record({
  wsse: fc.constantFrom<'none' | 'digest' | 'text' | 'wrong'>('none', 'none', 'digest', 'text', 'wrong'),
  basic: fc.constantFrom<'none' | 'right' | 'wrong'>('none', 'none', 'none', 'right', 'wrong'),
  mustUnderstand: fc.boolean(),
});

type Mutation = (b: Buffer) => Buffer;
const HOSTILE = ['<__proto__>', '<constructor/>', '<t:Amount>1</t:Amount>', '</soap:Body>', '<soap:Body>', '<!DOCTYPE x>', '<![CDATA[', ']]>',
  '<?pi?>', '<!--', '-->', '&', '&#0;', '&#x41;', '<toString/>', '<x xmlns:p="">', '<p:q/>', '<?xml version="1.0"?>', '\u0000', '\uFFFE',
  '<t:ReceiptNo>P-1</t:ReceiptNo>', '<soap:Header/>', ' soap:mustUnderstand="1"', '<hasOwnProperty>x</hasOwnProperty>'];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([p, v]): Mutation => (b) => {
    const c = Buffer.from(b);
    if (c.length > 0) c[p % c.length] = v;
    return c;
  }),
  fc.nat().map((p): Mutation => (b) => b.subarray(0, b.length === 0 ? 0 : p % b.length)),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, l, at]): Mutation => (b) => {
    const s = a % (b.length + 1);
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), b.subarray(s, s + (l % 60)), b.subarray(i)]);
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, l]): Mutation => (b) => {
    const s = a % (b.length + 1);
    return Buffer.concat([b.subarray(0, s), b.subarray(s + (l % 60))]);
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 12 }).map((n) => `<${n}>`))).map(
    ([at, text]): Mutation => (b) => {
      const i = at % (b.length + 1);
      return Buffer.concat([b.subarray(0, i), Buffer.from(text), b.subarray(i)]);
    },
  ),
);

export interface GatewayCase {
  readonly operation: Operation;
  readonly version: '1.1' | '1.2';
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly mutated: boolean;
}

type Encoding = 'utf-8' | 'utf-16le' | 'latin1';
const CHARSET: Readonly<Record<Encoding, string>> = { 'utf-8': 'utf-8', 'utf-16le': 'utf-16', latin1: 'iso-8859-1' };

/** One request: a plausible envelope, mostly untouched (to reach the mapping), otherwise mutated and re-encoded. */
export function gatewayCase(client: Credentials): fc.Arbitrary<GatewayCase> {
  return fc
    .constantFrom(...OPERATIONS)
    .chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        fields: FIELDS[operation],
        version: fc.constantFrom<'1.1' | '1.2'>('1.1', '1.1', '1.2'),
        auth: authArb,
        mutations: fc.oneof({ weight: 2, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) }),
        encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8', 'utf-8', 'utf-16le', 'latin1'),
        coding: fc.constantFrom('identity', 'identity', 'identity', 'gzip', 'deflate', 'deflate-raw'),
        actionMatches: fc.oneof({ weight: 19, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      }),
    )
    .map(({ operation, fields, version, auth, mutations, encoding, coding, actionMatches }) => {
      const body = fields.filter(([, v]) => v !== undefined).map(([k, v]) => (k === 'Items' ? (v as string) : `<t:${k}>${v as string}</t:${k}>`)).join('');
      let header = '';
      if (auth.wsse !== 'none') {
        const password = auth.wsse === 'wrong' ? `${client.password}x` : client.password;
        header = usernameToken({ user: client.user, password, type: auth.wsse === 'text' ? 'text' : 'digest', mustUnderstand: auth.mustUnderstand }).xml;
      }
      const ns = version === '1.1' ? S11 : S12;
      const decl = encoding === 'utf-8' ? 'utf-8' : encoding === 'latin1' ? 'ISO-8859-1' : 'UTF-16';
      const xml =
        `<?xml version="1.0" encoding="${decl}"?><soap:Envelope xmlns:soap="${ns}" xmlns:t="${TYPES}">${header}` +
        `<soap:Body><t:${operation}>${body}</t:${operation}></soap:Body></soap:Envelope>`;
      let bytes = encode(xml, encoding);
      for (const m of mutations) bytes = m(bytes);
      const action = `${ACTION}${actionMatches ? operation : 'Sale'}`;
      const media = version === '1.1' ? 'text/xml' : `application/soap+xml; action="${action}"`;
      const headers: Record<string, string> = { 'content-type': `${media}; charset=${CHARSET[encoding]}` };
      if (version === '1.1') headers.soapaction = `"${action}"`;
      if (auth.basic !== 'none') {
        const pw = auth.basic === 'wrong' ? 'nope' : client.password;
        headers.authorization = `Basic ${Buffer.from(`${client.user}:${pw}`).toString('base64')}`;
      }
      if (coding !== 'identity') headers['content-encoding'] = coding === 'deflate-raw' ? 'deflate' : coding;
      return { operation, version, headers, body: compress(bytes, coding), mutated: mutations.length > 0 };
    });
}

function encode(xml: string, enc: Encoding): Buffer {
  if (enc === 'utf-8') return Buffer.from(xml, 'utf8');
  if (enc === 'latin1') return Buffer.from(xml, 'latin1');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
}

function compress(bytes: Buffer, coding: string): Buffer {
  if (coding === 'gzip') return gzipSync(bytes);
  if (coding === 'deflate') return deflateSync(bytes);
  if (coding === 'deflate-raw') return deflateRawSync(bytes);
  return bytes;
}
