// One POS request over its own connection: it ends with an answer, a fault, a lost connection, a refused
// connection, or the POS's own abort (its timeout or a hang-up), and says which.
import http from 'node:http';
import { soapHeaders } from '../../bench/lib/soap-messages.js';

export type AttemptEnd =
  | { readonly kind: 'answer'; readonly result: string | undefined; readonly transactionId: string | undefined; readonly httpStatus: number }
  | { readonly kind: 'fault'; readonly code: string; readonly httpStatus: number }
  /** The connection broke with no (complete) answer: the gateway died, or lost the answer. */
  | { readonly kind: 'lost'; readonly error: string }
  /** Nobody listening (the gateway is down). */
  | { readonly kind: 'refused' }
  /** The POS gave up on purpose (its timeout or a hang-up). */
  | { readonly kind: 'aborted' };

export interface Attempt {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly end: AttemptEnd;
}

/** Sends `xml`; aborts after `abortAfterMs` (the POS's timeout or hang-up moment). */
export function attemptSale(url: string, xml: string, abortAfterMs: number): Promise<Attempt> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (end: AttemptEnd): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ startedAt, endedAt: Date.now(), end });
    };
    // agent: false: a fresh connection per request, as a till would open; no keep-alive socket outlives a kill.
    const req = http.request(url, { method: 'POST', headers: soapHeaders('Sale'), agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done(readAnswer(text, res.statusCode ?? 0)));
      res.on('error', (err) => done({ kind: 'lost', error: err.message }));
      res.on('aborted', () => done({ kind: 'lost', error: 'response aborted' }));
    });
    const timer = setTimeout(() => {
      done({ kind: 'aborted' });
      req.destroy();
    }, abortAfterMs);
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'lost', error: err.code ?? err.message }));
    req.end(xml);
  });
}

function readAnswer(text: string, httpStatus: number): AttemptEnd {
  const code = /<(?:\w+:)?code[^>]*>(GW_[A-Z0-9_]+)</.exec(text)?.[1];
  if (code !== undefined) return { kind: 'fault', code, httpStatus };
  const field = (name: string): string | undefined => new RegExp(`<(?:\\w+:)?${name}>([^<]*)</`).exec(text)?.[1];
  const result = field('Result');
  if (httpStatus !== 200 || result === undefined) return { kind: 'fault', code: `HTTP_${httpStatus}`, httpStatus };
  return { kind: 'answer', result, transactionId: field('TransactionId'), httpStatus };
}
