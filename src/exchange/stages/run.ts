// The exchange as one state machine, read top to bottom (docs/lifecycle.md draws the same stages):
//   prepare → begin/join → call (or reconcile) → await → settle → render → deliver → commit
// Each stage is a file beside this one; only this driver knows their order.
import type { InboundMessage, OutboundMessage } from '../../route/message.js';
import type { Exchange, Settled } from '../exchange.js';
import type { ExchangeDeps } from '../exchange-deps.js';
import type { ExchangeOwner } from '../idempotency/index.js';
import type { CompiledMapping } from '../map/index.js';
import { awaitOutcome } from './await.js';
import { begin } from './begin.js';
import { callUnjournaled, callUpstream } from './call.js';
import { deliver, plainOutbound } from './deliver.js';
import { callResult, prepare, type Prepared } from './prepare.js';
import { reconcile } from './reconcile.js';
import { render } from './render.js';
import { refreshUndelivered, rememberSecretReply, settle, type Learned } from './settle.js';

/** `onSettled` hears the settled result of an exchange that has one (metrics label the exchange by its outcome). */
export async function runExchange(
  mapping: CompiledMapping,
  message: InboundMessage,
  deps: ExchangeDeps,
  onSettled?: (settled: Settled) => void,
): Promise<OutboundMessage> {
  // prepare: key, original, plan — nothing written or sent yet.
  const prepared = await prepare(mapping, message, deps);
  if (prepared.kind === 'answered') return plainOutbound(prepared.build);
  const p = prepared.prepared;

  // Reads (no key, no payment) need no journal entry; everything that can move money gets one before the call.
  if (p.plan.call === undefined || (p.key === undefined && !p.plan.createsPayment)) {
    const answer = await callUnjournaled(p, deps);
    // A read of the original (GetTransactionStatus): its entity is the transaction the reply describes.
    return plainOutbound(await p.mapping.reply(p.input, callResult(p, { transaction: p.originalTransaction, ...answer })));
  }

  // begin/join: the journal entry (JOURNALED) is written before the call; a repeat joins, replays or reconciles.
  const start = await begin(p, message, deps);
  let settled: Settled;
  let owner = false;
  switch (start.kind) {
    case 'conflict':
      return { kind: 'fault', error: start.error };
    case 'join':
      settled = await start.settled;
      break;
    case 'replay':
      settled = await refreshUndelivered(p, start.exchange, deps);
      break;
    case 'run':
    case 'retry':
    case 'reconcile':
      settled = await own(start, () => (start.kind === 'reconcile' ? reconcile(p, start.exchange, deps) : callAndAwait(p, start.exchange, deps)), p, deps);
      owner = true;
      break;
  }

  onSettled?.(settled);
  // render → deliver (→ commit, once egress reports the reply written).
  const build = await render(p, settled, deps);
  if (owner) await rememberSecretReply(settled, build, deps);
  return deliver(settled, build, mapping.id, deps);
}

/** The owner's path: learn, settle (journal first), then hand the settled result to every joiner. */
async function own(
  owner: ExchangeOwner,
  learn: () => Promise<{ exchange: Exchange; learned: Learned }>,
  p: Prepared,
  deps: ExchangeDeps,
): Promise<Settled> {
  try {
    const { exchange, learned } = await learn();
    const settled = await settle(p, exchange, learned, deps);
    owner.settle(settled);
    return settled;
  } catch (err) {
    owner.fail(err);
    throw err;
  }
}

/** call → await: the new exchange (or a fresh attempt after NOT_CREATED) goes to SensePass once. */
async function callAndAwait(p: Prepared, journaled: Exchange, deps: ExchangeDeps): Promise<{ exchange: Exchange; learned: Learned }> {
  const { exchange, end: called } = await callUpstream(p, journaled, deps);
  switch (called.kind) {
    case 'rejected':
    case 'not-created':
      return { exchange, learned: called };
    case 'ambiguous': {
      // SensePass may have created the payment: never answer "not charged" without proof; reconcile now.
      deps.logger.warn({ exchangeId: exchange.id, code: called.error.code }, 'payment call failed ambiguously; reconciling');
      const unknown = await deps.journal.advance(exchange.id, { state: 'UNKNOWN', outcome: 'UNKNOWN' });
      return reconcile(p, unknown, deps);
    }
    case 'answered': {
      const { entity, response, httpStatus } = called;
      if (p.plan.await === undefined || entity === undefined) {
        return { exchange, learned: { kind: 'answered', outcome: undefined, transaction: entity, response, httpStatus } };
      }
      const waited = await awaitOutcome(p, exchange, entity, deps);
      const transaction = waited.transaction ?? entity;
      return { exchange, learned: { kind: 'answered', outcome: waited.outcome, transaction, response, httpStatus } };
    }
  }
}
