// Renders a SimTransaction as the SensePass Transaction Entity (reference §7.1), fresh on every read.
import type { TransactionEntity } from '../exchange/call/transaction.js';
import { centsToFixed2, centsToMajor } from './money.js';
import { METHOD_TYPES, PAYMENT_DETAILS_TYPE, type SimTransaction } from './model.js';
import { STATUS_NAMES } from './status.js';

export interface EntityContext {
  /** Origin of the simulator, e.g. http://127.0.0.1:8081. */
  readonly origin: string;
  readonly restBaseUrl: string;
  readonly now: number;
}

export function commitLinkOf(ctx: Pick<EntityContext, 'restBaseUrl'>, n: string): string {
  return `${ctx.restBaseUrl}/transactions/commitPayment/${n}`;
}

export function toEntity(tx: SimTransaction, ctx: EntityContext): TransactionEntity {
  const m = tx.branch.merchant;
  const page = `${ctx.origin}/orderSummary/${tx.number}`;
  const entity: TransactionEntity = {
    TransactionNumber: tx.number,
    date: new Date(tx.createdAt).toISOString(),
    ...(tx.amountCents === undefined ? {} : { amount: centsToMajor(tx.amountCents), baseAmount: centsToMajor(tx.amountCents) }),
    ...(tx.currency === undefined ? {} : { currency: tx.currency }),
    status: tx.status,
    statusName: STATUS_NAMES[tx.status] ?? 'Unknown',
    timeoutDate: new Date(tx.timeoutAt).toISOString(),
    maxInstallments: typeof tx.echo.maxInstallments === 'number' ? tx.echo.maxInstallments : 1,
    reason: typeof tx.echo.reason === 'string' ? tx.echo.reason : null,
    methodType: METHOD_TYPES[tx.method],
    paymentCommit: paymentCommit(tx, ctx),
    businessId: m.businessId,
    businessName: m.businessName,
    pos: tx.posName,
    businessOwnerPhone: m.businessOwnerPhone,
    businessCountry: m.businessCountry,
    businessCity: m.businessCity,
    businessState: m.businessState,
    businessStreet: m.businessStreet,
    businessAddress: m.businessAddress,
    businessLocaleName: m.businessLocaleName,
    branchNumber: tx.branch.branchNumber,
    branchId: tx.branch.branchNumber,
    branch: { number: tx.branch.branchNumber, rules: {} },
    locale: { ...m.locale },
    transactionPage: {
      iOSLink: page,
      androidLink: page,
      qrURL: page,
      consumerPage: { regular: page, medium: `${page}?viewMode=medium`, small: `${page}?viewMode=small` },
    },
  };
  for (const key of ['posData', 'metadata', 'invoice', 'clientName', 'billingAddress', 'shippingAddress'] as const) {
    if (tx.echo[key] !== undefined) entity[key] = structuredClone(tx.echo[key]);
  }
  if (tx.echo.clientPhoneNumber !== undefined) entity.SMS = 'Sent';
  if (Array.isArray(tx.echo.products)) {
    entity.products = structuredClone(tx.echo.products);
    const sums = productSums(tx.echo.products);
    entity.productsSum = sums.strings;
    if (tx.amountCents !== undefined && sums.totalCents !== undefined && sums.totalCents !== tx.amountCents) {
      entity.productSumMismatch = true;
    }
  }
  if (tx.echo.receiptMode === 2) {
    entity.receiptPending = true;
    entity.posReceiptsEndpoint = `${ctx.restBaseUrl}/invoicesReceipts/receipt/save/${tx.number}`;
  }
  if (tx.confirmations.length > 0) entity.confirmations = structuredClone(tx.confirmations) as TransactionEntity['confirmations'];
  const detailsType = PAYMENT_DETAILS_TYPE[tx.method];
  if (detailsType !== undefined) {
    entity.paymentDetails =
      tx.token === undefined
        ? { type: detailsType }
        : { type: detailsType, paymentMethod: 'Credit Card', created: new Date(tx.tokenCreatedAt ?? tx.createdAt).toISOString(), token: tx.token };
  }
  if (tx.subscription !== undefined) entity.subscription = subscriptionView(tx);
  return entity;
}

/** `messsage` with three s, as every SensePass example spells it (reference §13 #4). */
function paymentCommit(tx: SimTransaction, ctx: EntityContext): Record<string, unknown> {
  if (tx.commitDeadline === undefined || tx.approvedAt === undefined) {
    return { messsage: 'Payment commit is enabled for this transaction' };
  }
  const commitLink = commitLinkOf(ctx, tx.number);
  if (tx.committed) return { messsage: 'Payment was committed', isPaymentCommitted: true, secondsToCommit: 0, commitLink };
  if (tx.reversed) {
    return { messsage: 'Payment was not committed in time and was reversed', isPaymentCommitted: false, secondsToCommit: 0, commitLink };
  }
  const secondsToCommit = Math.max(0, Math.ceil((tx.commitDeadline - ctx.now) / 1000));
  return { messsage: `Please Commit this payment in ${secondsToCommit} seconds`, isPaymentCommitted: false, secondsToCommit, commitLink };
}

export function subscriptionView(tx: SimTransaction): Record<string, unknown> {
  const s = tx.subscription;
  if (s === undefined) return {};
  return {
    id: s.id,
    active: s.active,
    created: new Date(s.created).toISOString(),
    updated: new Date(s.updated).toISOString(),
    expires: s.expires,
    start_date: s.startDate,
    interval: s.interval,
    status: s.status,
    customer: {},
  };
}

interface ProductSums {
  totalCents: number | undefined;
  strings: Record<string, string>;
}

/** Per product (amount + vat − discount) × quantity, in cents (reference §2.1). */
export function productSums(products: readonly unknown[]): ProductSums {
  let amount = 0, vat = 0, discount = 0, total = 0, valid = true;
  for (const p of products) {
    const rec = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    const n = (k: string): number => (typeof rec[k] === 'number' && Number.isSafeInteger(rec[k]) ? (rec[k] as number) : 0);
    const q = typeof rec.quantity === 'number' && Number.isSafeInteger(rec.quantity) ? rec.quantity : 1;
    if (typeof rec.amount !== 'number' || !Number.isSafeInteger(rec.amount)) valid = false;
    amount += n('amount') * q;
    vat += n('vat') * q;
    discount += n('discount') * q;
    total += (n('amount') + n('vat') - n('discount')) * q;
  }
  return {
    totalCents: valid ? total : undefined,
    strings: {
      allAmountSum: centsToFixed2(amount),
      allTipSum: '0.00',
      allVatSum: centsToFixed2(vat),
      allTotalSum: centsToFixed2(total),
      allDiscountSum: centsToFixed2(discount),
      allDiscountedAmountSum: centsToFixed2(amount - discount),
    },
  };
}
