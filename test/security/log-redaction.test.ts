// Full payment flows through the real gateway at debug level with raw message capture on: no card number, CVV,
// expiry, token, password, nonce, API key or HMAC secret may reach any log line, and the deviceId only masked.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskId } from '../../src/log.js';
import { DEMO_API_KEY, DEMO_BRANCH_NUMBER, DEMO_DEVICE_ID, DEMO_MERCHANT_API_KEY } from '../../src/simulator/demo-merchant.js';
import { acmeEnvelope, startTestGateway, type TestGateway } from '../support/gateway.js';
import { basicHeader, postAcme, usernameToken, withHeader, type Answer } from './secure-client.js';

const USER = 'till7';
const PASSWORD = 's3cret-pass';
const HMAC_SECRET = `hmac-${randomBytes(12).toString('hex')}`;
const PAN_TEST = '4580111111111111'; // fails Luhn on purpose: masked anyway
const PAN_LUHN = '4111111111111111';
const CVV = '737';
const EXPIRY = '12/34';
const PHONE = '+15550100777';

/** Every secret value the flows used; the log must contain none of them. */
const secrets = new Map<string, string>([
  ['password', PASSWORD],
  ['basic credentials', Buffer.from(`${USER}:${PASSWORD}`).toString('base64')],
  ['test PAN', PAN_TEST],
  ['Luhn PAN', PAN_LUHN],
  ['expiry', EXPIRY],
  ['API key', DEMO_API_KEY],
  ['merchant API key', DEMO_MERCHANT_API_KEY],
  ['HMAC secret', HMAC_SECRET],
  ['device id', DEMO_DEVICE_ID],
  ['device id (head)', DEMO_DEVICE_ID.slice(0, 20)],
]);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    logLevel: 'debug',
    sim: { hmacSecret: HMAC_SECRET, callbackMaxAttempts: 1 },
    config: {
      log: { captureMessages: true },
      // Callbacks on, so the gateway holds and uses the HMAC secret (the simulator's own deliveries go nowhere).
      server: { publicUrl: 'http://127.0.0.1:1' },
      sensepass: { hmacSecret: HMAC_SECRET, callbacks: true },
      endpoints: { 'acme-pos': { auth: ['basic', 'wsse'] } },
      clients: { [USER]: { password: PASSWORD, sensepass: { deviceId: DEMO_DEVICE_ID } } },
    },
  });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
});
afterAll(async () => {
  await gw?.close();
});

type Auth = 'digest' | 'text' | 'basic' | 'digest+basic';
/** One Acme request as till7; every nonce and password value sent is added to the secrets. */
async function call(operation: string, fields: Record<string, string | undefined>, auth: Auth): Promise<Answer> {
  let xml = acmeEnvelope(operation, fields);
  if (auth !== 'basic') {
    const token = usernameToken({ user: USER, password: PASSWORD, type: auth === 'text' ? 'text' : 'digest' });
    secrets.set(`nonce ${token.nonce}`, token.nonce);
    secrets.set(`password element ${token.passwordValue}`, token.passwordValue);
    xml = withHeader(xml, token.xml);
  }
  return postAcme(gw.soapUrl, operation, xml, auth === 'basic' || auth === 'digest+basic' ? basicHeader(USER, PASSWORD) : undefined);
}

function addToken(label: string, token: string): void {
  expect(token).toMatch(/^[A-Za-z0-9]{256}$/);
  secrets.set(label, token);
  secrets.set(`${label} (first 40)`, token.slice(0, 40));
  secrets.set(`${label} (last 40)`, token.slice(-40));
}

let saleTn = '';
let cardToken = '';
let tokenizeTn = '';

describe('payment flows at debug level with message capture', () => {
  it('Sale approved, with CustomerPhone and CustomerEmail (WS-Security digest + Basic)', async () => {
    const r = await call(
      'Sale',
      { TerminalId: 'T7', ReceiptNo: 'S-1', Amount: '12.50', Currency: 'USD', CustomerPhone: PHONE, CustomerEmail: 'buyer@example.com' },
      'digest+basic',
    );
    expect(r.fields.Result).toBe('APPROVED');
    saleTn = r.fields.TransactionId ?? '';
    expect(saleTn).toMatch(/^[0-9a-f]{56}$/);
  });

  it('Tokenize → SaleWithToken: the 256-character token passes through the replies (PasswordText)', async () => {
    const t = await call('Tokenize', { TerminalId: 'T7', ReceiptNo: 'TK-1', CustomerPhone: PHONE }, 'text');
    expect(t.fields.Result).toBe('APPROVED');
    cardToken = t.fields.CardToken ?? '';
    addToken('card token', cardToken);
    const tx = (await gw.sim.control.transactions()).find((x) => x.status === 5 && x.TransactionNumber !== saleTn);
    tokenizeTn = tx?.TransactionNumber ?? '';
    expect((await gw.sim.control.transaction(tokenizeTn)).entity.paymentDetails?.token).toBe(cardToken);
    const s = await call('SaleWithToken', { TerminalId: 'T7', ReceiptNo: 'ST-1', CardToken: cardToken, Amount: '7.25', Currency: 'USD' }, 'digest');
    expect(s.fields.Result).toBe('APPROVED');
  });

  it('Authorize → Capture (the authorization token is read from SensePass and sent back)', async () => {
    const a = await call('Authorize', { TerminalId: 'T7', ReceiptNo: 'A-1', Amount: '20.00', Currency: 'USD' }, 'basic');
    expect(a.fields.Result).toBe('APPROVED');
    const authToken = (await gw.sim.control.transaction(a.fields.TransactionId ?? '')).entity.paymentDetails?.token ?? '';
    addToken('authorization token', authToken);
    const c = await call('Capture', { TerminalId: 'T7', ReceiptNo: 'CP-1', AuthorizationReceiptNo: 'A-1', Amount: '15.00', Currency: 'USD' }, 'digest');
    expect(c.fields.Result).toBe('APPROVED');
  });

  it('Refund of the sale and Credit with the token', async () => {
    const r = await call('Refund', { TerminalId: 'T7', ReceiptNo: 'RF-1', OriginalReceiptNo: 'S-1', Amount: '2.00' }, 'digest');
    expect(r.fields.Result).toBe('APPROVED');
    const c = await call('Credit', { TerminalId: 'T7', ReceiptNo: 'CR-1', CardToken: cardToken, Amount: '3.00', Currency: 'USD' }, 'basic');
    expect(c.fields.Result).toBe('APPROVED');
  });

  it('card data sent by a misbehaving POS over SOAP: refused by schema or carried in a free-text field', async () => {
    const schema = await call(
      'Sale',
      { TerminalId: 'T7', ReceiptNo: 'S-2', Amount: '1.00', Currency: 'USD', CardNumber: PAN_LUHN, CVV, ExpiryDate: EXPIRY },
      'digest',
    );
    expect(schema.faultCode).toBe('GW_SCHEMA_VIOLATION');
    // A PAN in OperatorId is valid per the schema, so it reaches SensePass in posData: masked as a digit run.
    const free = await call('Sale', { TerminalId: 'T7', ReceiptNo: 'S-3', OperatorId: `<![CDATA[${PAN_TEST}]]>`, Amount: '1.00', Currency: 'USD' }, 'basic');
    expect(free.fields.Result).toBe('APPROVED');
  });

  it('card payments through the gateway SensePass client (/transactions/pay with creditCardDetails)', async () => {
    const { api } = gw.gateway.context;
    const card = { cardNumber: PAN_LUHN, securityCode: CVV, cardExpiration: EXPIRY };
    const body = { amount: 990, isCent: true, currency: 'USD', creditCardDetails: card };
    for (const credentials of [{ deviceId: DEMO_DEVICE_ID }, { apiKey: DEMO_API_KEY }, { merchantApiKey: DEMO_MERCHANT_API_KEY, branchNumber: DEMO_BRANCH_NUMBER }]) {
      const res = await api.request({ method: 'POST', path: '/transactions/pay', body }, credentials);
      expect((res.body as { transactionStatus?: string }).transactionStatus).toBe('TransactionApproved');
    }
    // The simulator refuses a PAN that fails Luhn: the refusal text must not carry it either.
    const refused = api.request({ method: 'POST', path: '/transactions/pay', body: { ...body, creditCardDetails: { ...card, cardNumber: PAN_TEST } } }, { deviceId: DEMO_DEVICE_ID });
    await expect(refused).rejects.toMatchObject({ code: expect.stringMatching(/^GW_UPSTREAM_/) as unknown });
  });

  it('a signed callback carrying the tokenize entity (token inside) is accepted; a forged one refused', async () => {
    const entity = (await gw.sim.control.transaction(tokenizeTn)).entity;
    expect(entity.paymentDetails?.token).toBe(cardToken);
    const raw = JSON.stringify(entity);
    const key = randomBytes(8).toString('hex');
    const sign = (secret: string) => createHmac('sha256', secret).update(key + raw).digest('hex');
    const post = (signature: string) =>
      fetch(`${gw.url}/sensepass/callback`, { method: 'POST', headers: { 'content-type': 'application/json', 'hmac-random-key': key, 'hmac-authorization': signature }, body: raw });
    expect((await post(sign(HMAC_SECRET))).status).toBe(204);
    const forged = await post(sign('not-the-secret'));
    expect(forged.status).toBe(401);
  });
});

describe('the captured log', () => {
  it('holds the captured messages (capture is really on, at debug level)', () => {
    const lines = gw.logText().trim().split('\n').map((l) => JSON.parse(l) as { msg?: string; raw?: string; request?: string; response?: string });
    const soapIn = lines.filter((l) => l.msg === 'soap request (captured)');
    const soapOut = lines.filter((l) => l.msg === 'soap reply (captured)');
    const upstream = lines.filter((l) => l.msg === 'sensepass exchange (captured)');
    expect(soapIn.length).toBe(9); // nine SOAP requests above
    expect(soapOut.length).toBe(8); // all but the schema fault
    expect(upstream.length).toBeGreaterThanOrEqual(12);
    // The masks left visible proof: the wsse Password and the CardToken element, and card details upstream.
    expect(soapIn.some((l) => /<wsse:Password [^>]*>\[redacted\]<\/wsse:Password>/.test(l.raw ?? ''))).toBe(true);
    expect(soapIn.some((l) => /<t:CardToken>\[redacted\]<\/t:CardToken>/.test(l.raw ?? ''))).toBe(true);
    expect(soapOut.some((l) => /<(?:\w+:)?CardToken>\[redacted\]</.test(l.raw ?? ''))).toBe(true);
    expect(upstream.some((l) => (l.request ?? '').includes('"creditCardDetails":"[redacted]"'))).toBe(true);
    expect(upstream.some((l) => (l.response ?? '').includes('"token":"[redacted]"'))).toBe(true);
    // A PAN in a free-text field is caught as a digit run, inside CDATA and in the posData sent upstream.
    expect(soapIn.some((l) => (l.raw ?? '').includes('<t:OperatorId><![CDATA[[pan]]]></t:OperatorId>'))).toBe(true);
    expect(upstream.some((l) => (l.request ?? '').includes('"operator":"[pan]"'))).toBe(true);
    // Non-secret content still shows, so the capture is useful.
    expect(soapIn.some((l) => (l.raw ?? '').includes('<t:ReceiptNo>S-1</t:ReceiptNo>'))).toBe(true);
  });

  it('contains no card number, CVV, expiry, token, password, nonce, API key or HMAC secret', () => {
    const text = gw.logText();
    expect(secrets.size).toBeGreaterThan(20);
    const leaked = [...secrets].filter(([, value]) => text.includes(value)).map(([label]) => label);
    expect(leaked).toEqual([]);
    // The CVV is short: look for it as a value (JSON string, escaped JSON inside a captured string, or XML text).
    expect(text).not.toMatch(new RegExp(`\\\\?"${CVV}\\\\?"|>${CVV}<`));
    // Grouped or separated PAN spellings.
    expect(text).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111|4580[ -]?1111[ -]?1111[ -]?1111/);
  });

  it('shows the deviceId only masked', () => {
    const text = gw.logText();
    expect(text).not.toContain(DEMO_DEVICE_ID);
    expect(text).toContain(maskId(DEMO_DEVICE_ID));
  });
});
