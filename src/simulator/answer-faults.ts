// Fault switches that act after processing: the call did its work (a payment exists), then its answer is lost
// (connection destroyed, nothing sent) or sent late — "SensePass created it after our timeout".
import type { Response } from 'express';
import { z } from 'zod';

const rate = z.number().min(0).max(1);
/** One route's switch: `drop` destroys the connection instead of answering; `delay` answers `delayMs` later. */
export const AnswerFaultSchema = z.discriminatedUnion('then', [
  z.strictObject({ then: z.literal('drop'), rate: rate.optional() }),
  z.strictObject({ then: z.literal('delay'), delayMs: z.number().int().positive().max(600_000), rate: rate.optional() }),
]);
export type AnswerFault = z.infer<typeof AnswerFaultSchema>;

/** What the answer switches did (GET /_sim/faults shows them). */
export interface AnswerFaultCounts {
  answersDropped: number;
  answersDelayed: number;
}

/**
 * Wraps res.json so that a processed call (2xx) is answered according to `fault`; errors pass through untouched,
 * because an unprocessed call has nothing to lose.
 */
export function applyAnswerFault(res: Response, fault: AnswerFault, counts: AnswerFaultCounts): void {
  const json = res.json.bind(res);
  res.json = ((body: unknown) => {
    if (res.statusCode >= 400) return json(body);
    if (fault.then === 'drop') {
      counts.answersDropped++;
      res.socket?.destroy();
      return res;
    }
    counts.answersDelayed++;
    // unref: a held answer never keeps a stopping simulator alive; its connection is closed with the server.
    setTimeout(() => {
      if (!res.writableEnded && res.socket?.destroyed !== true) json(body);
    }, fault.delayMs).unref();
    return res;
  }) as Response['json'];
}
