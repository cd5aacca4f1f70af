// The simulator's own record of one transaction; entity.ts renders it as the SensePass Transaction Entity.
import type { Branch } from './credentials.js';

/** Numeric methodType in entities (reference §5; codes beyond 0 and 5 are our documented choice). */
export const METHOD_TYPES = {
  payment: 0,
  tokenize: 1,
  authorize: 2,
  credit: 3,
  'capture+tokenize': 4,
  subscription: 5,
} as const;
export type MethodName = keyof typeof METHOD_TYPES;
export type MethodCode = (typeof METHOD_TYPES)[MethodName];

/** `paymentDetails.type` as SensePass spells it. */
export const PAYMENT_DETAILS_TYPE: Partial<Record<MethodName, string>> = {
  tokenize: 'Tokenize',
  'capture+tokenize': 'Capture+Tokenize',
  authorize: 'Authorize',
};

export interface Card {
  readonly cardType: string;
  readonly lastFourDigits: string;
  readonly bin: string;
  readonly expiration: string;
}

export interface SimConfirmation {
  readonly [field: string]: unknown;
  readonly confirmationNumber: string;
}

export interface SubscriptionRecord {
  id: string;
  active: boolean;
  created: number;
  updated: number;
  expires: string | null;
  startDate: string;
  interval: string;
  status: 'active' | 'paused' | 'canceled';
  payments: string[];
}

export interface SimTransaction {
  readonly number: string;
  readonly branch: Branch;
  readonly deviceId: string | undefined;
  readonly posName: string;
  readonly createdAt: number;
  timeoutAt: number;
  readonly method: MethodName;
  amountCents: number | undefined;
  currency: string | undefined;
  status: number;
  /** The request body as received (control API shows it to tests). */
  readonly initBody: Readonly<Record<string, unknown>>;
  /** Fields echoed into the entity (posData, products, reason, metadata, …); updated by PATCH. */
  echo: Record<string, unknown>;
  callbackURL: string | undefined;
  callbackMethod: 'POST' | 'GET';
  readyForPayment: boolean;
  confirmations: SimConfirmation[];
  card: Card | undefined;
  token: string | undefined;
  tokenCreatedAt: number | undefined;
  approvedAt: number | undefined;
  /** Payment commit window (reference §6.13): undefined = no commit needed (e.g. Tokenize, credits). */
  commitDeadline: number | undefined;
  committed: boolean;
  reversed: boolean;
  cancelCalls: number;
  refundedCents: number;
  subscription: SubscriptionRecord | undefined;
  parentNumber: string | undefined;
}
