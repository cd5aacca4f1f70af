// After a restart: a payment recovery found still pending keeps being awaited in the background until final.
// Its reply was never delivered, so nothing is committed here; a POS retry renders the settled outcome.
import type { AppContext } from '../app.js';
import { isGatewayError } from '../errors.js';
import { awaitFinal } from './await/index.js';
import type { Exchange } from './exchange.js';
import { recordBackgroundOutcome } from './stages/settle.js';

export async function resumeRecovered(exchange: Exchange, ctx: AppContext): Promise<void> {
  const { logger } = ctx;
  const transactionNumber = exchange.transactionNumber;
  if (transactionNumber === undefined) return;
  try {
    const credentials = ctx.credentialsFor(
      exchange.scope === 'anonymous' ? { name: 'anonymous', method: 'none' } : { name: exchange.scope, method: 'basic' },
    );
    const deviceId = ctx.config.sensepass.socketMode === 'device' ? credentials.deviceId : undefined;
    if (deviceId !== undefined) await ctx.watcher.ensureDevice(deviceId);
    const result = await awaitFinal(
      { transactionNumber, credentials, deviceId, deadlineAt: exchange.deadlineAt, onDeadline: 'cancel' },
      { api: ctx.api, watcher: ctx.watcher, logger, reconciler: ctx.reconciler, now: ctx.now },
    );
    if (result.outcome === 'UNKNOWN') return; // the reconciler keeps trying; the next recovery or retry settles it
    await recordBackgroundOutcome(exchange.id, result, ctx);
  } catch (err) {
    logger.error({ exchangeId: exchange.id, code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL' }, 'resuming a recovered payment failed');
  }
}
