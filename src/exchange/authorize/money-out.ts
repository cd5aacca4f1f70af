// Money going out, checked before the call: credits, refunds, voids and captures against the client's ceilings,
// raw-card payments against rawCardPay, and every refund against what is left of the original charge.
import { placesOf, toMinorUnits } from '../map/money.js';
import type { UpstreamCall } from '../call/payment-api.js';
import type { TransactionEntity } from '../call/transaction.js';
import type { ClientPolicy } from './policy.js';
import type { RefundLedger, Reservation } from './refund-ledger.js';

export type MoneyDecision = { readonly refused: string } | { readonly reservation: Reservation | undefined };

export interface MoneyFacts {
  /** Owned entities of the TransactionNumbers the call names (ownership already checked). */
  readonly entities: ReadonlyMap<string, TransactionEntity>;
  /** Minor units the journal knows were charged for a transaction (its approved exchange's context.amount). */
  readonly journalCharged: ReadonlyMap<string, number>;
  readonly ledger: RefundLedger;
}

// Statuses after an approval (reference §4): 5 approved, 11 refunded, 12 refund processing, 13 partially refunded.
const CHARGED_STATUSES: ReadonlySet<number> = new Set([5, 11, 12, 13]);
const REFUND_KINDS: ReadonlySet<string> = new Set(['refund', 'void', 'reversal']);

export function checkMoneyOut(call: UpstreamCall, canonical: string, policy: ClientPolicy, facts: MoneyFacts): MoneyDecision {
  if (call.method !== 'POST') return { reservation: undefined };
  const body = call.body ?? {};
  const { ceilings } = policy;
  switch (canonical) {
    case '/transactions/credit':
      return overCeiling(body.refundAmount, ceilings.credit) ? { refused: 'credit above the ceiling' } : { reservation: undefined };
    case '/transactions/pay':
      if (!policy.rawCardPay && isRawCard(body)) return { refused: 'raw card payment (rawCardPay is off)' };
      return overCeiling(body.amount, ceilings.capture) ? { refused: 'capture above the ceiling' } : { reservation: undefined };
    case '/transactions/void': {
      const n = typeof body.transactionNumber === 'string' ? body.transactionNumber : undefined;
      const entity = n === undefined ? undefined : facts.entities.get(n);
      const amount = entity === undefined ? undefined : minorOf(entity.amount, entity.currency);
      return overCeiling(amount, ceilings.void) ? { refused: 'void above the ceiling' } : { reservation: undefined };
    }
    case '/transactions/refund':
      return checkRefund(body, ceilings.refund, facts);
    default:
      return { reservation: undefined };
  }
}

function checkRefund(body: Readonly<Record<string, unknown>>, ceiling: number | undefined, facts: MoneyFacts): MoneyDecision {
  const n = typeof body.transactionNumber === 'string' ? body.transactionNumber : undefined;
  const entity = n === undefined ? undefined : facts.entities.get(n);
  if (n === undefined || entity === undefined) return { refused: 'refund without a known original' };
  const left = refundable(n, entity, facts);
  const partial = body.isPartial === true || body.isPartial === 'true';
  const asked = body.refundAmount;
  if (partial && !isMinor(asked)) return { refused: 'partial refund without a whole refundAmount in minor units' };
  // A full refund takes whatever is left; an amount sent without isPartial is bounded too, whatever SensePass does with it.
  const requested = isMinor(asked) ? (partial ? asked : Math.max(asked, left)) : left;
  if (requested <= 0 || requested > left) return { refused: `refund of ${requested} beyond the ${Math.max(left, 0)} left of the original` };
  if (ceiling !== undefined && requested > ceiling) return { refused: 'refund above the ceiling' };
  return { reservation: facts.ledger.reserve(n, requested) };
}

/** What is left to refund: charged (the smaller of SensePass's and the journal's figure) minus every refund known. */
function refundable(n: string, entity: TransactionEntity, facts: MoneyFacts): number {
  if (!CHARGED_STATUSES.has(entity.status) || entity.status === 11) return 0;
  const fromEntity = minorOf(entity.amount, entity.currency);
  if (fromEntity === undefined) return 0; // fail closed: an amount we cannot read is not refundable through the gateway
  const journal = facts.journalCharged.get(n);
  const charged = journal === undefined ? fromEntity : Math.min(journal, fromEntity);
  const own = facts.ledger.known(n);
  return charged - (Math.max(refundedIn(entity), own.confirmed) + own.pending);
}

/** Refund, void and reversal confirmations SensePass lists on the original (reference §6.5 / §7.4). */
function refundedIn(entity: TransactionEntity): number {
  let sum = 0;
  for (const c of entity.confirmations ?? []) {
    const kind = typeof c.paymentType === 'string' ? c.paymentType.toLowerCase() : '';
    if (!REFUND_KINDS.has(kind)) continue;
    const amount = minorOf(c.amount, c.currency ?? entity.currency);
    // A refund of unreadable size counts as the whole charge: never refund twice because a figure was odd.
    sum += amount ?? Number.MAX_SAFE_INTEGER / 2;
  }
  return sum;
}

/** Major units as SensePass writes them ("12.5", 12.5) → minor units; undefined when unreadable. */
export function minorOf(amount: unknown, currency: unknown): number | undefined {
  if (typeof amount !== 'string' && typeof amount !== 'number') return undefined;
  try {
    placesOf(currency ?? undefined);
    return toMinorUnits(String(amount).trim(), currency ?? undefined);
  } catch {
    return undefined;
  }
}

function isMinor(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Over a set ceiling, or an amount the gateway cannot read while a ceiling is set (fail closed). */
function overCeiling(amount: unknown, ceiling: number | undefined): boolean {
  if (ceiling === undefined) return false;
  return !isMinor(amount) || amount > ceiling;
}

/** A pay body that carries card data, or no token (SensePass would read card fields under some name). */
function isRawCard(body: Readonly<Record<string, unknown>>): boolean {
  const hasToken = typeof body.token === 'string' && body.token !== '';
  const cardKeys = Object.keys(body).some((k) => /card|paymentdetails|pan|cvv|securitycode/i.test(k));
  return cardKeys || !hasToken;
}
