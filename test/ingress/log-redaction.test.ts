// A captured pino stream at debug level, fed payloads full of card data and secrets, must contain none of them.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskJson, maskSecrets, maskXml } from '../../src/log.js';

const PAN = '4580111111111111';
const CVV = '123';
const EXPIRY = '12/34';
const TOKEN = Array.from(randomBytes(256), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const PASSWORD = 'Tr0ub4dor&3-secret';
const API_KEY = 'apikey0locationsecret0000000000000000000042';
const MERCHANT_KEY = 'merchantsecret00000000000000000000000000077';
const HMAC = 'hmac-shared-secret-value-99';
const NONCE = randomBytes(16).toString('base64');
const DEVICE = 'device0abcdefghijklmnopqrstuvwxyz0123456789zz';

const XML = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>
<wsse:Security xmlns:wsse="urn:wsse"><wsse:UsernameToken><wsse:Username>till-7</wsse:Username>
<wsse:Password Type="urn:PasswordText">${PASSWORD}</wsse:Password><wsse:Nonce EncodingType="b64">${NONCE}</wsse:Nonce>
</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><a:Sale xmlns:a="urn:acme">
<a:CardNumber>${PAN}</a:CardNumber><cardNumber><![CDATA[${PAN}]]></cardNumber><Pan>${PAN}</Pan><CVV>${CVV}</CVV>
<securityCode>${CVV}</securityCode><ExpiryDate>${EXPIRY}</ExpiryDate><cardExpiration>${EXPIRY}</cardExpiration>
<expiration>1234</expiration><CardToken>${TOKEN}</CardToken><token>${TOKEN}</token><apiKey>${API_KEY}</apiKey>
<Card number="${PAN}" cvv='${CVV}'/><CreditCard><Number>${PAN}</Number><Cvc>${CVV}</Cvc></CreditCard>
<Note>customer said card ${PAN} ok</Note><DeviceId>${DEVICE}</DeviceId><Amount>12.50</Amount>
</a:Sale></soap:Body></soap:Envelope>`;

const JSON_BODY = JSON.stringify({
  deviceId: DEVICE,
  amount: 1250,
  creditCardDetails: { cardNumber: PAN, securityCode: CVV, cardExpiration: EXPIRY },
  paymentDetails: { token: TOKEN, type: 'Tokenize' },
  merchantApiKey: MERCHANT_KEY,
});

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  const { lines, stream } = capture();
  const log = createLogger({ level: 'debug', destination: stream });
  log.debug({ creditCardDetails: { cardNumber: PAN, securityCode: CVV, cardExpiration: EXPIRY } }, 'pay by card');
  log.debug({ request: { body: { Sale: { Card: { CardNumber: PAN, CVV: CVV, ExpiryDate: EXPIRY, CardToken: TOKEN } } } } }, 'deep');
  log.debug({ req: { headers: { authorization: `Basic ${Buffer.from(`till:${PASSWORD}`).toString('base64')}`, 'hmac-authorization': HMAC } } });
  log.info({ config: { sensepass: { credentials: { apiKey: API_KEY, merchantApiKey: MERCHANT_KEY }, hmacSecret: HMAC } } }, 'config');
  log.info({ clients: { till: { password: PASSWORD, sensepass: { deviceId: DEVICE } } } }, 'clients');
  log.debug({ security: { UsernameToken: { Password: PASSWORD, Nonce: NONCE } } }, 'wsse header as object');
  log.debug({ list: [{ note: `card ${PAN}` }, { api_key: API_KEY }, { 'card-number': PAN }] }, 'arrays and odd spellings');
  log.child({ apiKey: API_KEY, deviceId: DEVICE }).info('child bindings');
  log.debug({ raw: maskXml(XML) }, 'inbound SOAP (captured)');
  log.debug({ raw: maskJson(JSON_BODY) }, 'outbound JSON (captured)');
  log.debug({ raw: maskJson(`${JSON_BODY.slice(0, -1)} broken`) }, 'unparsable JSON (captured)');
  const out = lines.join('');

  it('produced the log lines (the test is not vacuous)', () => {
    expect(lines.length).toBe(11);
    expect(out).toContain('[redacted]');
    expect(out).toContain('12.50');
  });
  it.each([
    ['card number', PAN],
    ['expiry', EXPIRY],
    ['token', TOKEN.slice(0, 32)],
    ['password', PASSWORD],
    ['location API key', API_KEY],
    ['merchant API key', MERCHANT_KEY],
    ['HMAC secret', HMAC],
    ['wsse nonce', NONCE],
    ['full device id', DEVICE],
    ['base64 Basic credentials', Buffer.from(`till:${PASSWORD}`).toString('base64')],
  ])('contains no %s', (_n, secret) => {
    expect(out).not.toContain(secret);
  });
  it('contains no CVV and no 4-digit expiry as a value', () => {
    expect(out).not.toMatch(/["'>:]\s*123\s*["'<,}]/);
    expect(out).not.toMatch(/>1234</);
  });
  it('keeps device ids correlatable (first and last four)', () => {
    expect(out).toContain(`${DEVICE.slice(0, 4)}…${DEVICE.slice(-4)}`);
  });
});

describe('maskXml / maskSecrets', () => {
  it('keeps the message structure and non-secret values', () => {
    const masked = maskXml(XML);
    expect(masked).toContain('<a:CardNumber>[redacted]</a:CardNumber>');
    expect(masked).toContain('<wsse:Username>till-7</wsse:Username>');
    expect(masked).toContain('<Amount>12.50</Amount>');
    expect(masked).toContain('<Note>customer said card [pan] ok</Note>');
  });
  it('masks stand-alone 13–19 digit runs (also grouped) but not shorter numbers or hex ids', () => {
    expect(maskXml('<Ref>card 4580 1111 1111 1111 and 4580-1111-1111-1111</Ref>')).toBe('<Ref>card [pan] and [pan]</Ref>');
    expect(maskXml('<ReceiptNo>123456789012</ReceiptNo>')).toContain('123456789012');
    const hex = '14a4334a32c852aeb0cfae52cbff1314649da7f175a8e140b35c147c';
    expect(maskSecrets({ TransactionNumber: hex, note: 'tx 5f3275249792ee75b41322e636617ee039e2e1a49cc80c11f2177233' })).toEqual({
      TransactionNumber: hex,
      note: 'tx 5f3275249792ee75b41322e636617ee039e2e1a49cc80c11f2177233',
    });
  });
  it('does not touch errors or buffers and stops at depth', () => {
    const err = new Error('x');
    expect(maskSecrets({ err })).toEqual({ err });
    expect((maskSecrets({ e: err }) as { e: unknown }).e).toBe(err);
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 50; i++) deep = { d: deep };
    expect(JSON.stringify(maskSecrets(deep))).toContain('[deep]');
  });
});
