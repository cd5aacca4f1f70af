// Turns a stored reply into the outbound message, and commits an approval only once the POS has it.
import { gwError, isGatewayError } from '../errors.js';
import type { OutboundMessage } from '../route/message.js';
import type { Exchange, StoredReply } from './exchange.js';
import type { ExchangeDeps } from './exchange-deps.js';
import type { ReplyBuild } from './map/index.js';
import type { Outcome } from './call/transaction.js';

export function toStored(build: ReplyBuild): StoredReply {
  return build.kind === 'reply'
    ? { kind: 'reply', outcome: asOutcome(build.outcome), value: build.value }
    : { kind: 'fault', code: build.code, params: build.params };
}

const OUTCOMES: ReadonlySet<string> = new Set(['APPROVED', 'DECLINED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN']);
function asOutcome(value: string | undefined): Outcome | undefined {
  return value !== undefined && OUTCOMES.has(value) ? (value as Outcome) : undefined;
}

/** The outbound message without delivery hooks (joined repeats; the owner's delivery commits). */
export function plainOutbound(reply: StoredReply): OutboundMessage {
  return reply.kind === 'reply'
    ? { kind: 'reply', value: reply.value as Record<string, unknown> }
    : { kind: 'fault', error: gwError(reply.code, reply.params) };
}

/**
 * The outbound message for an exchange the journal holds. Once egress reports the reply fully written the entry
 * moves to REPLIED, and an approval with a commit link is committed (COMMITTED). A reply that never reached the POS
 * is never committed: SensePass reverses it after its commit window instead of leaving an unknown charge.
 */
export function deliveredOutbound(exchangeId: string, reply: StoredReply, deps: ExchangeDeps): OutboundMessage {
  const base = plainOutbound(reply);
  if (base.kind === 'fault') return base;
  return {
    ...base,
    // Returns the commit's promise (callers typed `() => void` may ignore it): the exchange handler holds the
    // exchange as active until it settles, so a shutdown never closes the journal between delivery and commit.
    onDelivered: () => markDelivered(exchangeId, deps),
    onUndelivered: () => {
      deps.logger.warn({ exchangeId }, 'reply not delivered to the POS; an approval is not committed');
    },
  };
}

async function markDelivered(exchangeId: string, deps: ExchangeDeps): Promise<void> {
  try {
    let exchange = await deps.journal.get(exchangeId);
    if (exchange === undefined) return;
    if (exchange.state === 'FINAL') exchange = await deps.journal.advance(exchangeId, { state: 'REPLIED' });
    if (needsCommit(exchange)) {
      await deps.api.commit(exchange.commitLink as string);
      await deps.journal.advance(exchangeId, { state: 'COMMITTED' });
      deps.logger.info({ exchangeId, transactionNumber: exchange.transactionNumber }, 'payment committed');
    }
  } catch (err) {
    // The POS has its approval; a failed commit means SensePass may reverse it: loud, for an operator.
    const code = isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL';
    deps.logger.error({ exchangeId, code }, 'payment commit after delivery failed');
  }
}

function needsCommit(exchange: Exchange): boolean {
  return exchange.state === 'REPLIED' && exchange.outcome === 'APPROVED' && typeof exchange.commitLink === 'string';
}
