// Money going out as data: ceilings, raw-card payments and the refund bound (charged − refunds known − in progress).
import { describe, expect, it } from 'vitest';
import type { UpstreamCall } from '../../src/exchange/call/payment-api.js';
import type { TransactionEntity } from '../../src/exchange/call/transaction.js';
import { compileAllowList } from '../../src/exchange/authorize/allow-list.js';
import { checkMoneyOut, type MoneyDecision } from '../../src/exchange/authorize/money-out.js';
import type { ClientPolicy } from '../../src/exchange/authorize/policy.js';
import { RefundLedger } from '../../src/exchange/authorize/refund-ledger.js';

const policy = (over: Partial<ClientPolicy['ceilings']> = {}, rawCardPay = false): ClientPolicy => ({
  allow: compileAllowList([]),
  rawCardPay,
  ceilings: { refund: undefined, credit: undefined, capture: undefined, void: undefined, ...over },
  maxInFlight: undefined,
  sharedDevice: false,
});

const sale = (status: number, amount: string, confirmations: Record<string, unknown>[] = []): TransactionEntity =>
  ({ TransactionNumber: 'n1', status, amount, currency: 'USD', confirmations }) as TransactionEntity;

function check(path: string, body: Record<string, unknown>, p: ClientPolicy, entity?: TransactionEntity, ledger = new RefundLedger(() => 0), journal?: number): MoneyDecision {
  const call: UpstreamCall = { method: 'POST', path, body };
  return checkMoneyOut(call, path, p, {
    entities: new Map(entity === undefined ? [] : [['n1', entity]]),
    journalCharged: new Map(journal === undefined ? [] : [['n1', journal]]),
    ledger,
  });
}
const refused = (d: MoneyDecision) => 'refused' in d;

describe('money going out', () => {
  it('credits and captures above their ceilings, and raw card data, are refused', () => {
    expect(refused(check('/transactions/credit', { token: 't', refundAmount: 1001 }, policy({ credit: 1000 })))).toBe(true);
    expect(refused(check('/transactions/credit', { token: 't', refundAmount: 1000 }, policy({ credit: 1000 })))).toBe(false);
    expect(refused(check('/transactions/credit', { token: 't', refundAmount: '9' }, policy({ credit: 1000 })))).toBe(true); // unreadable
    expect(refused(check('/transactions/pay', { token: 't', amount: 600 }, policy({ capture: 500 })))).toBe(true);
    expect(refused(check('/transactions/pay', { creditCardDetails: { cardNumber: 'x' }, amount: 1 }, policy()))).toBe(true);
    expect(refused(check('/transactions/pay', { amount: 1 }, policy()))).toBe(true); // no token: card fields under some name
    expect(refused(check('/transactions/pay', { creditCardDetails: {}, amount: 1 }, policy({}, true)))).toBe(false);
  });

  it('a refund is bounded by what is left of the original', () => {
    const p = policy();
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1250 }, p, sale(5, '12.50')))).toBe(false);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1251 }, p, sale(5, '12.50')))).toBe(true);
    // SensePass lists a 10.00 refund already: 2.50 left.
    const refundedOnce = sale(13, '12.50', [{ paymentType: 'Regular', amount: '12.50' }, { paymentType: 'Refund', amount: '10' }]);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 251 }, p, refundedOnce))).toBe(true);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1' }, p, refundedOnce))).toBe(false); // full = what is left
    // The journal knows a smaller charge than the entity shows (PATCHed later): the smaller one bounds.
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1000 }, p, sale(5, '12.50'), undefined, 900))).toBe(true);
    // Not approved, fully refunded, unreadable amount, or unknown original: nothing to refund.
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1' }, p, sale(6, '12.50')))).toBe(true);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1' }, p, sale(11, '12.50')))).toBe(true);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1' }, p, sale(5, 'twelve')))).toBe(true);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n2' }, p, sale(5, '12.50')))).toBe(true);
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 600 }, policy({ refund: 500 }), sale(5, '12.50')))).toBe(true);
  });

  it('refunds in progress and refunds this process sent count until SensePass shows them', () => {
    const ledger = new RefundLedger(() => 0);
    const p = policy();
    const first = check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1000 }, p, sale(5, '12.50'), ledger);
    expect(refused(first)).toBe(false);
    // In progress: the second sees only 2.50 left.
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1000 }, p, sale(5, '12.50'), ledger))).toBe(true);
    if ('reservation' in first && first.reservation !== undefined) ledger.settle(first.reservation, false); // SensePass said no
    expect(refused(check('/transactions/refund', { transactionNumber: 'n1', isPartial: true, refundAmount: 1000 }, p, sale(5, '12.50'), ledger))).toBe(false);
  });
});
