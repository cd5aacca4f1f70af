// Stage 4, settle: what the call (and the wait) proved is journaled — SETTLED with the outcome and SensePass's entity
// (secret fields removed), UNKNOWN, REJECTED or NOT_CREATED — before anyone is answered. No reply is stored: render
// builds it from this result on every delivery.
import { gwError, isGatewayError, type GatewayError } from '../../errors.js';
import type { ExchangePatch } from '../../journal/index.js';
import { findSecretKey } from '../../journal/index.js';
import { stripSecrets } from '../../journal/strip-secrets.js';
import type { AwaitResult } from '../await/index.js';
import { outcomeOf, type Outcome, type TransactionEntity } from '../call/transaction.js';
import type { Exchange, ExchangeState, Settled, SettledResult } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { ReplyBuild } from '../map/index.js';
import { callResult, type Prepared } from './prepare.js';

export type Learned =
  /** SensePass answered (and, when awaited, the wait ended): outcome undefined = the mapping's `outcome` decides. */
  | {
      readonly kind: 'answered';
      readonly outcome: Outcome | undefined;
      readonly transaction: TransactionEntity | undefined;
      readonly response: unknown;
      readonly httpStatus: number | undefined;
    }
  /** No confirmed outcome; `mark` = move the entry to UNKNOWN (the next repeat reconciles). */
  | { readonly kind: 'unknown'; readonly transaction: TransactionEntity | undefined; readonly mark: boolean }
  | { readonly kind: 'not-created'; readonly error: GatewayError }
  | { readonly kind: 'rejected'; readonly error: GatewayError };

/** States in which SensePass's final outcome is already recorded. */
export const OUTCOME_KNOWN: ReadonlySet<ExchangeState> = new Set(['SETTLED', 'DELIVERED', 'COMMITTED']);

export async function settle(p: Prepared, exchange: Exchange, learned: Learned, deps: ExchangeDeps): Promise<Settled> {
  switch (learned.kind) {
    case 'rejected':
    case 'not-created': {
      // Not created: not final — the same request again makes a fresh attempt, and the POS is told so.
      const error = learned.kind === 'rejected' ? learned.error : gwError('GW_UPSTREAM_UNAVAILABLE_RETRY');
      const result: SettledResult = { error: { code: error.code, params: error.params } };
      const state = learned.kind === 'rejected' ? 'REJECTED' : 'NOT_CREATED';
      const written = await deps.journal.advance(exchange.id, { state, result });
      if (learned.kind === 'not-created') deps.logger.warn({ exchangeId: exchange.id, code: learned.error.code }, 'payment was proven not created; a resend tries again');
      return { exchange: written, result };
    }
    case 'unknown': {
      const written = learned.mark ? await tryJournal(deps, exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' }) : false;
      return unknown(exchange, learned.transaction, written ? 'UNKNOWN' : undefined);
    }
    case 'answered':
      return settleAnswered(p, exchange, learned, deps);
  }
}

async function settleAnswered(p: Prepared, exchange: Exchange, learned: Extract<Learned, { kind: 'answered' }>, deps: ExchangeDeps): Promise<Settled> {
  const outcome = learned.outcome ?? (await mappingOutcome(p, learned));
  const tx = learned.transaction ?? embeddedEntity(learned.response);
  const live: SettledResult = { outcome, transaction: learned.transaction, response: learned.response, httpStatus: learned.httpStatus };
  if (outcome === 'UNKNOWN') {
    // Not replayable: a repeat reconciles and gets the final answer once SensePass has one.
    await tryJournal(deps, exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN', ...numberOf(tx, learned.response) });
    return unknown(exchange, learned.transaction, 'UNKNOWN');
  }
  const result = journalCopy(live);
  if (OUTCOME_KNOWN.has(exchange.state)) {
    // Reconciled an entry whose outcome was recorded without a result (recovery): add it, keep the state.
    if (exchange.result !== undefined || exchange.state === 'COMMITTED') return { exchange, result: live };
    const written = await tryJournalValue(deps, exchange.id, { state: exchange.state, result });
    return { exchange: written ?? exchange, result: live };
  }
  const commitLink = commitLinkOf(outcome, tx);
  const written = await tryJournalValue(deps, exchange.id, {
    state: 'SETTLED',
    result,
    ...(outcome === undefined ? {} : { outcome }),
    ...numberOf(tx, learned.response),
    ...commitLink,
  });
  // An approval the journal could not record can never be committed after delivery (SensePass would reverse it),
  // so the POS is told to ask again — the retry reconciles, answers APPROVED and commits. Any other outcome needs
  // no commit and is answered as it is.
  if (written === undefined && commitLink.commitLink !== undefined) return unknown(exchange, learned.transaction, undefined);
  return { exchange: written ?? exchange, result: live };
}

function unknown(exchange: Exchange, transaction: TransactionEntity | undefined, state: 'UNKNOWN' | undefined): Settled {
  return { exchange: state === undefined ? exchange : { ...exchange, state }, result: { outcome: 'UNKNOWN', transaction, response: transaction } };
}

/** A call not awaited (Capture, Refund…): its outcome is what the mapping's `outcome` says about the answer. */
async function mappingOutcome(p: Prepared, learned: Extract<Learned, { kind: 'answered' }>): Promise<Outcome | undefined> {
  try {
    const build = await p.mapping.reply(p.input, callResult(p, { transaction: learned.transaction, response: learned.response, httpStatus: learned.httpStatus }));
    return build.kind === 'reply' ? asOutcome(build.outcome) : undefined;
  } catch {
    return undefined; // render reports it on delivery; the result is journaled all the same
  }
}

/** The journal's copy of a result: secret fields (card tokens, card data) removed. */
export function journalCopy(result: SettledResult): SettledResult {
  return { ...result, transaction: stripSecrets(result.transaction).value, response: stripSecrets(result.response).value };
}

/**
 * A reply that carries secret fields (a Tokenize reply with its card token) cannot be rendered again from the
 * journal's copy: mark it `redacted`, so a later delivery re-reads the entity from SensePass first. Other replies
 * render from the journal's copy alone — the same inputs, the same reply.
 */
export async function rememberSecretReply(settled: Settled, build: ReplyBuild, deps: ExchangeDeps): Promise<void> {
  const { exchange, result } = settled;
  if (build.kind !== 'reply' || result === undefined || result.redacted === true || findSecretKey(build.value) === undefined) return;
  if (exchange.state !== 'SETTLED') return;
  try {
    // No state in the patch: a joined retry's delivery may have moved the entry on meanwhile.
    await deps.journal.advance(exchange.id, { result: { ...journalCopy(result), redacted: true } });
  } catch (err) {
    // This reply is still delivered; a later replay without the mark renders without the secret field, never wrong money.
    deps.logger.warn({ exchangeId: exchange.id, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'could not mark a reply with secret fields');
  }
}

/**
 * A journal write after the payment exists upstream. GW_JOURNAL_UNAVAILABLE is not thrown from here: the POS would
 * read it as "no payment was started", which is false now. false = not written (the entry keeps its last state,
 * which a retry or recovery reconciles with SensePass).
 */
export async function tryJournal(deps: ExchangeDeps, exchangeId: string, patch: ExchangePatch): Promise<boolean> {
  return (await tryJournalValue(deps, exchangeId, patch)) !== undefined;
}

async function tryJournalValue(deps: ExchangeDeps, exchangeId: string, patch: ExchangePatch): Promise<Exchange | undefined> {
  try {
    return await deps.journal.advance(exchangeId, patch);
  } catch (err) {
    if (!isGatewayError(err, 'GW_JOURNAL_UNAVAILABLE')) throw err;
    deps.logger.error({ exchangeId, state: patch.state }, 'journal write failed after the payment was created');
    return undefined;
  }
}

/** The background reconciler learned the final status of a wait that ended UNKNOWN: journal it for the next repeat. */
export async function recordBackgroundOutcome(exchangeId: string, result: AwaitResult, deps: Pick<ExchangeDeps, 'journal' | 'logger'>): Promise<void> {
  try {
    const current = await deps.journal.get(exchangeId);
    // CALLING: the write of AWAITING failed (journal briefly unavailable) while the wait went on.
    if (current === undefined || !['UNKNOWN', 'AWAITING', 'RESOLVING', 'CALLING'].includes(current.state)) return;
    if (result.outcome === 'UNKNOWN') return;
    const transactionNumber = current.transactionNumber === undefined ? result.transaction?.TransactionNumber : undefined;
    await deps.journal.advance(exchangeId, {
      state: 'SETTLED',
      outcome: result.outcome,
      result: journalCopy({ outcome: result.outcome, transaction: result.transaction, response: result.transaction }),
      ...(transactionNumber === undefined ? {} : { transactionNumber }),
      ...commitLinkOf(result.outcome, result.transaction),
    });
    deps.logger.info({ exchangeId, outcome: result.outcome }, 'background reconciliation recorded the final outcome');
  } catch (err) {
    deps.logger.error({ exchangeId, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'could not record a reconciled outcome');
  }
}

/**
 * A journaled approval whose every delivery failed was never committed, so SensePass reverses it when the commit
 * window ends ([GAP] in the reference; the simulator moves it off status 5). Before delivering it again, read the
 * truth: if the payment is no longer approved the POS is told it was not charged, never a stale APPROVED.
 */
export async function refreshUndelivered(p: Prepared, exchange: Exchange, deps: ExchangeDeps): Promise<Settled> {
  const kept: Settled = { exchange, result: exchange.result };
  if (exchange.state !== 'SETTLED' || exchange.outcome !== 'APPROVED' || exchange.transactionNumber === undefined) return kept;
  let entity: TransactionEntity;
  try {
    entity = await deps.api.getTransaction(exchange.transactionNumber, deps.credentialsFor(p.message.identity));
  } catch {
    return kept; // cannot read now: the journaled outcome stands, and delivery will try the commit
  }
  if (entity.status === 5) return kept;
  deps.logger.warn({ exchangeId: exchange.id, status: entity.status }, 'undelivered approval was reversed by SensePass; answering not charged');
  const live: SettledResult = { outcome: 'CANCELLED', transaction: entity, response: entity };
  const written = await deps.journal.advance(exchange.id, { state: 'SETTLED', outcome: 'CANCELLED', result: journalCopy(live) });
  return { exchange: written, result: live };
}

export function commitLinkOf(outcome: string | undefined, tx: TransactionEntity | undefined): { commitLink?: string } {
  const commit = tx?.paymentCommit;
  if (outcome !== 'APPROVED' || tx === undefined || outcomeOf(tx.status) !== 'APPROVED') return {};
  return typeof commit?.commitLink === 'string' && commit.isPaymentCommitted !== true ? { commitLink: commit.commitLink } : {};
}

/** /transactions/pay answers with an envelope that carries the entity as `transaction` (simulator) or not at all. */
function embeddedEntity(response: unknown): TransactionEntity | undefined {
  const tx = (response as { transaction?: unknown } | undefined)?.transaction;
  return typeof tx === 'object' && tx !== null && typeof (tx as TransactionEntity).TransactionNumber === 'string' ? (tx as TransactionEntity) : undefined;
}

function numberOf(tx: TransactionEntity | undefined, response: unknown): { transactionNumber?: string } {
  const n = tx?.TransactionNumber ?? (response as { transactionNumber?: unknown } | undefined)?.transactionNumber;
  return typeof n === 'string' && n !== '' ? { transactionNumber: n } : {};
}

const OUTCOMES: ReadonlySet<string> = new Set(['APPROVED', 'DECLINED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN']);
export function asOutcome(value: string | undefined): Outcome | undefined {
  return value !== undefined && OUTCOMES.has(value) ? (value as Outcome) : undefined;
}
