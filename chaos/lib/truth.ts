// SensePass's truth at the end of a run, read from the simulator's control API: every payment, its status, and
// whether it was committed, keyed by the POS's terminal and receipt (posData the Sale mapping sends).
import type { SimulatorControl } from '../../src/simulator/control-client.js';

export interface Payment {
  readonly transactionNumber: string;
  readonly status: number;
  readonly committed: boolean;
  readonly reversed: boolean;
}

/** "<terminal>/<receipt>" → its payments at SensePass. */
export type Truth = ReadonlyMap<string, readonly Payment[]>;

export const saleKey = (terminal: string, receipt: string): string => `${terminal}/${receipt}`;

export async function readTruth(control: SimulatorControl): Promise<Truth> {
  const all = await control.transactions();
  const out = new Map<string, Payment[]>();
  for (let i = 0; i < all.length; i += 50) {
    const batch = await Promise.all(all.slice(i, i + 50).map((t) => control.transaction(t.TransactionNumber)));
    for (const info of batch) {
      const pos = (info.entity.posData ?? {}) as { terminal?: unknown; receipt?: unknown };
      const key = saleKey(String(pos.terminal), String(pos.receipt));
      const list = out.get(key) ?? [];
      list.push({ transactionNumber: info.entity.TransactionNumber, status: info.entity.status, committed: info.committed, reversed: info.reversed });
      out.set(key, list);
    }
  }
  return out;
}

/** Approved and kept (or on its way to being reversed): money moved. */
export const charged = (p: Payment): boolean => !p.reversed && [5, 11, 12, 13].includes(p.status);
