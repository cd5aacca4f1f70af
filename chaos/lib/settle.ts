// After the last Sale: wait (bounded) until every approval a POS was told about is committed, so the commit sweeper
// has had its chance before "approved but uncommitted" is counted.
import type { SimulatorControl } from '../../src/simulator/control-client.js';
import type { SaleRecord } from './pos.js';

/** Returns how long it waited. */
export async function settle(control: SimulatorControl, records: readonly SaleRecord[], boundMs: number): Promise<number> {
  const started = Date.now();
  const approved = records.map((r) => r.told.at(-1)).filter((t) => t?.result === 'APPROVED' && t.transactionId !== undefined);
  let waiting = approved.map((t) => t?.transactionId as string);
  while (waiting.length > 0 && Date.now() - started < boundMs) {
    const still: string[] = [];
    for (let i = 0; i < waiting.length; i += 50) {
      const infos = await Promise.all(waiting.slice(i, i + 50).map((n) => control.transaction(n).catch(() => undefined)));
      infos.forEach((info, j) => {
        if (info === undefined || !info.committed) still.push(waiting[i + j] as string);
      });
    }
    waiting = still;
    if (waiting.length > 0) await new Promise((r) => setTimeout(r, 1_000));
  }
  // A little more for sweeper commits of approvals nobody was told about (they would show as unknown charges).
  await new Promise((r) => setTimeout(r, 3_000));
  return Date.now() - started;
}
