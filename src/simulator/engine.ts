// The simulator's core: creates transactions, moves them through the status machine, and tells the world
// (Socket.IO rooms + callbacks) about every change. Timers: expiry, rule outcomes, commit window.
import type { Logger } from 'pino';
import type { TransactionEntity } from '../exchange/call/transaction.js';
import type { CallbackSender } from './callbacks.js';
import type { Identity } from './credentials.js';
import { toEntity } from './entity.js';
import { centsToMajor } from './money.js';
import type { Card, MethodName, SimConfirmation, SimTransaction } from './model.js';
import type { Random } from './random.js';
import type { RuleAction, RuleBook } from './rules.js';
import type { Scheduler } from './scheduler.js';
import { simError } from './sim-errors.js';
import type { SocketHub } from './sockets.js';
import { canTransition, OPEN, PENDING, STATUS_NAMES } from './status.js';
import type { Store } from './store.js';

export interface EngineSettings {
  readonly commitWindowSeconds: number;
  /** Reverse an approved payment whose commit window passes without a commit (reference §6.13 [GAP]). */
  readonly reverseUncommitted: boolean;
  /** Status an uncommitted payment is reversed to: 11 TransactionRefund (default) or 9 TransactionCancel. */
  readonly reversalStatus: 11 | 9;
}

export interface CreateParams {
  readonly identity: Identity;
  readonly method: MethodName;
  readonly amountCents: number | undefined;
  readonly currency: string | undefined;
  readonly timeOutSeconds: number;
  readonly initBody: Readonly<Record<string, unknown>>;
  readonly echo: Record<string, unknown>;
  readonly callbackURL?: string | undefined;
  readonly callbackMethod?: 'POST' | 'GET';
  readonly readyForPayment?: boolean;
  readonly parentNumber?: string;
}

export const DEFAULT_CARD: Card = { cardType: 'VISA', bin: '411111', lastFourDigits: '1111', expiration: '12/34' };
export const PROCESSOR = 'Simulator Processor';

export class Engine {
  /** Set by index.ts once the HTTP server (and so the origin) exists. */
  origin = '';
  restBaseUrl = '';

  constructor(
    readonly store: Store,
    readonly scheduler: Scheduler,
    readonly rules: RuleBook,
    private readonly sockets: () => SocketHub,
    private readonly callbacks: CallbackSender,
    readonly ids: Random,
    readonly settings: EngineSettings,
    private readonly log: Logger,
  ) {}

  now(): number {
    return this.scheduler.now();
  }

  entity(tx: SimTransaction): TransactionEntity {
    const ctx = { origin: this.origin, restBaseUrl: this.restBaseUrl, now: this.now() };
    const entity = toEntity(tx, ctx);
    const parent = tx.parentNumber === undefined ? undefined : this.store.get(tx.parentNumber);
    if (parent !== undefined) entity.parentTransaction = toEntity(parent, ctx);
    return entity;
  }

  get(n: string): SimTransaction {
    const tx = this.store.get(n);
    if (tx === undefined) throw simError('SIM_NOT_FOUND', { what: 'Transaction' });
    return tx;
  }

  create(p: CreateParams): SimTransaction {
    let number = this.ids.hex(56);
    while (this.store.get(number) !== undefined) number = this.ids.hex(56);
    const now = this.now();
    const tx: SimTransaction = {
      number,
      branch: p.identity.branch,
      deviceId: p.identity.deviceId,
      posName: p.identity.posName,
      createdAt: now,
      timeoutAt: now + p.timeOutSeconds * 1000,
      method: p.method,
      amountCents: p.amountCents,
      currency: p.currency,
      status: 0,
      initBody: p.initBody,
      echo: p.echo,
      callbackURL: p.callbackURL,
      callbackMethod: p.callbackMethod ?? 'POST',
      readyForPayment: p.readyForPayment ?? true,
      confirmations: [],
      card: undefined,
      token: undefined,
      tokenCreatedAt: undefined,
      approvedAt: undefined,
      commitDeadline: undefined,
      committed: false,
      reversed: false,
      cancelCalls: 0,
      refundedCents: 0,
      subscription: undefined,
      parentNumber: p.parentNumber,
    };
    this.store.add(tx);
    this.scheduler.at(tx.timeoutAt, () => this.expire(tx), `tx:${number}:expiry`);
    return tx;
  }

  /** Asks the rule book what the consumer does with this transaction, and schedules it. */
  scheduleOutcome(tx: SimTransaction): void {
    if (!tx.readyForPayment || !OPEN.has(tx.status)) return;
    const d = this.rules.decide({ method: tx.method, amountCents: tx.amountCents, currency: tx.currency, posData: tx.echo.posData });
    if (d.then === 'none') return;
    this.scheduler.after(d.afterMs, () => this.applyAction(tx, d.then), `tx:${tx.number}:rule`);
  }

  /** A rule firing late finds the transaction already cancelled/expired: then it does nothing. */
  applyAction(tx: SimTransaction, action: RuleAction): void {
    const to = ({ approve: 5, decline: 6, fail: 7, expire: 8, 'user-decline': 3, none: undefined } as const)[action];
    if (to !== undefined && canTransition(tx.status, to)) this.transition(tx, to);
  }

  /** `approval` applies when `to` is 5: the card used, and a token to reuse (re-authorization). */
  transition(tx: SimTransaction, to: number, approval: { card?: Card; reuseToken?: string } = {}): void {
    if (!canTransition(tx.status, to)) {
      throw simError('SIM_ILLEGAL_TRANSITION', { n: tx.number, from: STATUS_NAMES[tx.status] ?? tx.status, to: STATUS_NAMES[to] ?? to });
    }
    if (to === 5 && !tx.readyForPayment) throw simError('SIM_ILLEGAL_TRANSITION', { n: tx.number, from: 'Setup (readyForPayment:false)', to: STATUS_NAMES[5] ?? 5 });
    tx.status = to;
    if (!OPEN.has(to)) {
      this.scheduler.cancel(`tx:${tx.number}:expiry`);
      this.scheduler.cancel(`tx:${tx.number}:rule`);
    }
    if (to === 5 && tx.approvedAt === undefined) this.onApproved(tx, approval.card ?? DEFAULT_CARD, approval.reuseToken);
    this.log.debug({ transaction: tx.number, status: to }, 'simulator status change');
    this.notify(tx);
    if (to === 5 && tx.method === 'subscription') this.chargeSubscription(tx);
  }

  /** One period of a subscription: an approved child payment, announced with its parentTransaction. */
  chargeSubscription(parent: SimTransaction): SimTransaction {
    const sub = parent.subscription;
    if (sub === undefined || parent.status !== 5) throw simError('SIM_WRONG_STATE', { reason: 'the subscription is not approved' });
    if (sub.status !== 'active') throw simError('SIM_WRONG_STATE', { reason: `the subscription is ${sub.status}` });
    const child = this.create({
      identity: { kind: 'device', branch: parent.branch, ...(parent.deviceId === undefined ? {} : { deviceId: parent.deviceId }), posName: parent.posName, merchantWide: false },
      method: 'payment',
      amountCents: parent.amountCents,
      currency: parent.currency,
      timeOutSeconds: 120,
      initBody: {},
      echo: parent.echo.posData === undefined ? {} : { posData: parent.echo.posData },
      callbackURL: parent.callbackURL,
      callbackMethod: parent.callbackMethod,
      parentNumber: parent.number,
    });
    sub.payments.push(child.number);
    sub.updated = this.now();
    this.transition(child, 5, parent.card === undefined ? {} : { card: parent.card });
    return child;
  }

  /** Every status change: "message" to tr_<n> and id_<deviceId>, and a callback when one was asked for. */
  notify(tx: SimTransaction): void {
    const entity = this.entity(tx);
    const rooms = [`tr_${tx.number}`, ...(tx.deviceId === undefined ? [] : [`id_${tx.deviceId}`])];
    this.sockets().emit(rooms, entity);
    if (tx.callbackURL !== undefined) this.callbacks.deliver(tx.callbackURL, tx.callbackMethod, tx.number, entity);
  }

  cancel(tx: SimTransaction): void {
    tx.cancelCalls++;
    this.store.counters.cancelCalls++;
    if (PENDING.has(tx.status)) return this.transition(tx, 9);
    const reason = tx.status === 4 ? 'the payment is being processed' : `the transaction is already final (${STATUS_NAMES[tx.status] ?? tx.status})`;
    throw simError('SIM_CANNOT_CANCEL', { reason }, { status: 501, status_message: `Transaction cannot be canceled: ${reason}` });
  }

  commit(tx: SimTransaction): { alreadyCommitted: boolean } {
    this.store.counters.commitCalls++;
    if (tx.approvedAt === undefined) throw simError('SIM_NOT_COMMITTABLE', { reason: 'the payment is not approved' });
    if (tx.commitDeadline === undefined) throw simError('SIM_NOT_COMMITTABLE', { reason: 'this transaction needs no commit' });
    if (tx.reversed) throw simError('SIM_NOT_COMMITTABLE', { reason: 'the commit window passed and the payment was reversed' });
    if (tx.committed) return { alreadyCommitted: true };
    tx.committed = true;
    this.store.counters.commits++;
    this.scheduler.cancel(`tx:${tx.number}:commit`);
    return { alreadyCommitted: false };
  }

  confirmation(kind: 'Regular' | 'Refund' | 'Void' | 'Reversal', cents: number, tx: SimTransaction, card: Card): SimConfirmation {
    const number = `063-${this.ids.alnum(9)}`;
    const date = new Date(this.now()).toISOString();
    return {
      paymentType: kind,
      confirmationNumber: number,
      fullConfirmationCode: number,
      confirmationNumberNumeric: Number(`63${this.ids.digits(10)}`),
      dateApproval: date,
      approvalDate: date,
      installments: 1,
      paymentMethodName: 'Credit Card',
      paymentMethod: 'Credit Card',
      approvedBy: PROCESSOR,
      providerName: PROCESSOR,
      providerId: this.ids.bytes(32).toString('base64'),
      requestID: this.ids.uuid(),
      sensePassReferenceId: this.ids.alnum(20),
      authNumber: this.ids.alnum(8),
      referenceNumber: this.ids.digits(10),
      acquirer: card.cardType === 'VISA' ? 'Visa' : card.cardType,
      voucher: this.ids.alnum(8).toUpperCase(),
      cardType: card.cardType,
      lastFourDigits: card.lastFourDigits,
      cardMask: `${card.bin}******${card.lastFourDigits}`,
      expiration: card.expiration.replace('/', ''),
      cardExpiration: card.expiration,
      amount: centsToMajor(cents),
      ...(tx.currency === undefined ? {} : { currency: tx.currency }),
    };
  }

  private onApproved(tx: SimTransaction, card: Card, reuseToken?: string): void {
    const now = this.now();
    tx.approvedAt = now;
    tx.card = card;
    tx.confirmations.push(this.confirmation('Regular', tx.amountCents ?? 0, tx, card));
    if (reuseToken !== undefined) {
      tx.token = reuseToken;
      tx.tokenCreatedAt = now;
    } else if (tx.method === 'tokenize' || tx.method === 'authorize' || tx.method === 'capture+tokenize') {
      tx.token = this.ids.alnum(256);
      tx.tokenCreatedAt = now;
      this.store.tokens.set(tx.token, {
        token: tx.token, kind: tx.method, sourceNumber: tx.number, currency: tx.currency, card,
        authorizedCents: tx.method === 'authorize' ? (tx.amountCents ?? 0) : 0, capturedCents: 0, captures: [], state: 'open',
      });
    }
    // Nothing moved for a Tokenize (no charge) or a credit (money goes to the customer): no commit needed.
    if (tx.method === 'tokenize' || tx.method === 'credit') return;
    tx.commitDeadline = now + this.settings.commitWindowSeconds * 1000;
    if (this.settings.reverseUncommitted) this.scheduler.at(tx.commitDeadline, () => this.reverse(tx), `tx:${tx.number}:commit`);
  }

  /** Commit window over, no commit: the charge is reversed so no payment stays unknown to the POS. */
  private reverse(tx: SimTransaction): void {
    if (tx.committed || tx.reversed || (tx.status !== 5 && tx.status !== 13)) return;
    tx.reversed = true;
    this.store.counters.reversals++;
    const left = (tx.amountCents ?? 0) - tx.refundedCents;
    tx.confirmations.push(this.confirmation('Reversal', left, tx, tx.card ?? DEFAULT_CARD));
    tx.refundedCents += left;
    const token = tx.token === undefined ? undefined : this.store.tokens.get(tx.token);
    if (token !== undefined && tx.method === 'authorize' && token.sourceNumber === tx.number) token.state = 'voided';
    tx.status = this.settings.reversalStatus;
    this.log.info({ transaction: tx.number }, 'simulator reversed an uncommitted payment');
    this.notify(tx);
  }

  private expire(tx: SimTransaction): void {
    if (OPEN.has(tx.status)) this.transition(tx, 8);
  }
}
