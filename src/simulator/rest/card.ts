// Card data of /transactions/pay: both spellings the reference shows (§13 #10), checked, never stored whole.
import type { Card } from '../model.js';
import { simError } from '../sim-errors.js';
import type { Body } from './input.js';

const invalid = (detail: string) => simError('SIM_INVALID_INPUT', { detail });

/** creditCardDetails.{cardNumber,securityCode,cardExpiration} (pay page) or creditCard.{cardNumber,cvv,expiration}. */
export function cardFrom(body: Body): Card | undefined {
  const details = objectField(body, 'creditCardDetails');
  const model = objectField(body, 'creditCard') ?? objectField(objectField(body, 'paymentDetails') ?? {}, 'creditCard');
  if (details === undefined && model === undefined) return undefined;
  const src = (details ?? model) as Body;
  const prefix = details !== undefined ? 'creditCardDetails' : 'creditCard';
  const number = src.cardNumber;
  const cvv = details !== undefined ? src.securityCode : src.cvv;
  const exp = details !== undefined ? src.cardExpiration : src.expiration;
  if (typeof number !== 'string' || !/^\d{12,19}$/.test(number) || !luhn(number)) throw invalid(`${prefix}.cardNumber is not a valid card number`);
  if (cvv !== undefined || details !== undefined) {
    if (typeof cvv !== 'string' || !/^\d{3,4}$/.test(cvv)) throw invalid(`${prefix}.${details !== undefined ? 'securityCode' : 'cvv'} must be 3 or 4 digits`);
  }
  if (typeof exp !== 'string' || !/^(0[1-9]|1[0-2])\/?\d{2}$/.test(exp)) throw invalid(`${prefix}.${details !== undefined ? 'cardExpiration' : 'expiration'} must be MM/YY`);
  const mmyy = exp.replace('/', '');
  return { cardType: brand(number), bin: number.slice(0, 6), lastFourDigits: number.slice(-4), expiration: `${mmyy.slice(0, 2)}/${mmyy.slice(2)}` };
}

/** The body without card data or tokens, for initBody (tests see what was sent, never the PAN). */
export function withoutSecrets(body: Body): Body {
  const out: Body = { ...body };
  for (const k of ['creditCardDetails', 'creditCard', 'token', 'paymentDetails']) if (k in out) out[k] = '[redacted]';
  return out;
}

function objectField(body: Body, key: string): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`${key} must be an object`);
  return v as Body;
}

function brand(n: string): string {
  if (n.startsWith('4')) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(n)) return 'MASTERCARD';
  if (/^3[47]/.test(n)) return 'AMEX';
  if (/^(6011|65)/.test(n)) return 'DISCOVER';
  return 'CARD';
}

function luhn(n: string): boolean {
  let sum = 0;
  for (let i = 0; i < n.length; i++) {
    let d = Number(n[n.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
