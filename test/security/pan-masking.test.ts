// Issue 11 "card data": a card number in posData, a free-text note, a receipt number or the idempotency key never
// reaches the journal file (main file and WAL, read as bytes) or a log line, whatever the field is called.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskCardData, maskPansInText } from '../../src/card-data.js';
import { createLogger } from '../../src/log.js';
import { postSoap, sale, startTestGateway, type TestGateway } from '../support/gateway.js';
import { send } from '../xml/raw-http.js';

const PAN = '4111111111111111';
const AMEX = '378282246310005';
/** Every way the digits could have been written to disk. */
const FORMS = [PAN, '4111 1111 1111 1111', '4111-1111-1111-1111', AMEX, '3782 822463 10005'];

let gw: TestGateway;
beforeAll(async () => {
  // Debug level with message capture: the most the gateway ever logs.
  gw = await startTestGateway({ sim: { approveAfterMs: 100 }, logLevel: 'debug', config: { log: { captureMessages: true } } });
});
afterAll(async () => {
  await gw.close();
});

function journalBytes(): string {
  const file = gw.config.derived.journalFile;
  return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describe('card numbers by shape', () => {
  it('masks Luhn-valid 13–19 digit runs to first 6 / last 4 and leaves ids, amounts and times alone', () => {
    expect(maskPansInText(`card ${PAN}`)).toBe('card 411111******1111');
    expect(maskPansInText('pay 4111 1111 1111 1111 now')).toBe('pay 411111******1111 now');
    expect(maskPansInText(AMEX)).toBe('378282*****0005');
    const tx = `${'0123456789abcdef'.repeat(3)}41111111`; // a 56-hex TransactionNumber with a digit run inside
    expect(maskPansInText(tx)).toBe(tx);
    expect(maskCardData({ amount: 1250, at: 1764420000000, n: 4111111111111111, tx })).toEqual({ amount: 1250, at: 1764420000000, n: '411111******1111', tx });
  });

  it('every part of a log line is masked: message, error message and stack, child bindings, numbers', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    logger.error({ err: new Error(`upstream said: card ${PAN} refused`) }, `refused\n${PAN}`);
    logger.info('operator typed 4111 1111 1111 1111');
    logger.child({ receipt: PAN }).info({ amountMinor: 4111111111111111 }, 'bound');
    const text = lines.join('');
    expect(text).toContain('411111******1111');
    for (const form of FORMS) expect(text).not.toContain(form);
    // The line's own numbers survive.
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 50, time: expect.any(Number) });
  });

  it('a PAN in a receipt number (key and posData) and in Terminal Agent posData / a note never reaches the journal or the log', async () => {
    // Acme Sale: ReceiptNo goes into the idempotency key, the journal context and posData.
    const soap = await postSoap(gw.soapUrl, 'Sale', sale(PAN));
    expect(soap.fields.Result).toBe('APPROVED');
    // The same receipt again is the same payment (the masked key still finds it).
    const again = await postSoap(gw.soapUrl, 'Sale', sale(PAN));
    expect(again.fields.TransactionId).toBe(soap.fields.TransactionId);

    // Terminal Agent: free text in posData and a note; the entity (with posData) is the stored reply.
    const body = { amount: 100, currency: 'USD', isCent: true, timeOut: 60, posData: { note: 'card 4111 1111 1111 1111 swiped', ref: AMEX, memo: '3782 822463 10005' } };
    const r = await send(`${gw.url}/api/transactions/init/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `k-${PAN}` },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(200);
    const entity = JSON.parse(r.text) as { status: number; posData: Record<string, unknown> };
    expect(entity.status).toBe(5);
    // The POS gets its own data back unmasked; only what is kept and logged is masked.
    expect(entity.posData.note).toBe('card 4111 1111 1111 1111 swiped');

    const disk = journalBytes();
    expect(disk).toContain('411111******1111'); // the journal did receive the (masked) data
    const logs = gw.logText();
    expect(logs).toContain('411111******1111');
    for (const form of FORMS) {
      expect(disk, `journal holds ${form}`).not.toContain(form);
      expect(logs, `log holds ${form}`).not.toContain(form);
    }
  });
});
