// Typed client of the simulator's HTTP control API (/_sim): tests and benchmarks drive the consumer through it.
import type { TransactionEntity } from '../exchange/call/transaction.js';
import type { AnswerFault, AnswerFaultCounts } from './answer-faults.js';
import type { Faults } from './faults.js';
import type { Rule } from './rules.js';
import type { RegisterInput } from './credentials.js';

export type ControlAction =
  | 'tap' | 'user-approve' | 'user-decline' | 'processing' | 'approve' | 'decline' | 'fail' | 'expire' | 'waiting-for-tap';

export interface SimulatorInfo {
  entity: TransactionEntity;
  committed: boolean;
  reversed: boolean;
  cancelCalls: number;
  initBody: Record<string, unknown>;
  /** Where the simulator sends this transaction's callbacks (from the init body), or null. */
  callbackURL: string | null;
}

export interface SimulatorStats {
  transactions: number;
  byStatus: Record<string, number>;
  initCalls: number;
  commits: number;
  reversals: number;
  callbacksSent: number;
  callbacksFailed: number;
  sockets: number;
  commitCalls: number;
  cancelCalls: number;
  refunds: number;
  callbacksAbandoned: number;
  socketEvents: number;
  socketEventsDropped: number;
  timers: number;
}

/** What `POST /_sim/devices` takes (see credentials.ts). */
export type RegisterDeviceInput = RegisterInput;

export interface RegisteredDevice {
  deviceId?: string;
  apiKey?: string;
  merchantApiKey?: string;
  branchNumber: string;
  businessId: string;
}

/** A non-2xx control answer; `body` is the simulator's error shape. */
export class SimulatorControlError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`simulator control call failed with HTTP ${status}`);
    this.name = 'SimulatorControlError';
  }
}

export class SimulatorControl {
  constructor(readonly baseUrl: string) {}

  tap(n: string) { return this.act(n, 'tap'); }
  userApprove(n: string) { return this.act(n, 'user-approve'); }
  userDecline(n: string) { return this.act(n, 'user-decline'); }
  processing(n: string) { return this.act(n, 'processing'); }
  approve(n: string) { return this.act(n, 'approve'); }
  decline(n: string) { return this.act(n, 'decline'); }
  fail(n: string) { return this.act(n, 'fail'); }
  expire(n: string) { return this.act(n, 'expire'); }

  act(n: string, action: ControlAction): Promise<TransactionEntity> {
    return this.call('POST', `/transactions/${encodeURIComponent(n)}/${action}`);
  }

  transaction(n: string): Promise<SimulatorInfo> {
    return this.call('GET', `/transactions/${encodeURIComponent(n)}`);
  }

  async transactions(): Promise<{ TransactionNumber: string; status: number; deviceId: string | null }[]> {
    return (await this.call<{ transactions: { TransactionNumber: string; status: number; deviceId: string | null }[] }>('GET', '/transactions')).transactions;
  }

  stats(): Promise<SimulatorStats> {
    return this.call('GET', '/stats');
  }

  async setRules(rules: Rule[]): Promise<Rule[]> {
    return (await this.call<{ rules: Rule[] }>('PUT', '/rules', { rules })).rules;
  }

  async getRules(): Promise<Rule[]> {
    return (await this.call<{ rules: Rule[] }>('GET', '/rules')).rules;
  }

  async resetRules(): Promise<void> {
    await this.call('DELETE', '/rules');
  }

  setFaults(faults: Faults): Promise<Faults> {
    return this.call('PUT', '/faults', faults);
  }

  getFaults(): Promise<Faults & { callbacksFailNextLeft: number } & AnswerFaultCounts> {
    return this.call('GET', '/faults');
  }

  /**
   * Process, then lose or delay the answer on these routes (e.g. `{ 'POST /transactions/init': { then: 'drop' } }`),
   * keeping the other fault switches as they are. `{}` switches the answer faults off.
   */
  async setAnswerFaults(answers: Record<string, AnswerFault>): Promise<Faults> {
    const { callbacksFailNextLeft: left, answersDropped: _d, answersDelayed: _l, ...current } = await this.getFaults();
    // Re-setting the switches re-arms callbacks.failNext: keep only the failures still left.
    const callbacks = current.callbacks === undefined ? undefined : { ...current.callbacks, failNext: left };
    return this.setFaults({ ...current, ...(callbacks === undefined ? {} : { callbacks }), answers });
  }

  async resetFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  /** Server-initiated disconnect of every socket (or those in `room`); returns how many. */
  async disconnectSockets(room?: string): Promise<number> {
    return (await this.call<{ disconnected: number }>('POST', '/sockets/disconnect', room === undefined ? {} : { room })).disconnected;
  }

  registerDevice(input: RegisterDeviceInput = {}): Promise<RegisteredDevice> {
    return this.call('POST', '/devices', input);
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** Moves simulator time forward: expiries, rule outcomes and commit windows that fall due run at once. */
  async advanceClock(ms: number): Promise<string> {
    return (await this.call<{ now: string }>('POST', '/clock', { advanceMs: ms })).now;
  }

  /** Charges the next period of a subscription now (as if its due date came). Returns the child payment. */
  chargeSubscription(subscriptionId: string): Promise<TransactionEntity> {
    return this.call('POST', `/subscriptions/${encodeURIComponent(subscriptionId)}/charge`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new SimulatorControlError(res.status, parsed);
    return parsed as T;
  }
}
