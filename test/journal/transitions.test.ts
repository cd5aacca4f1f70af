// The transitions table is the single authority on state moves; the journal enforces exactly that table.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExchangeState } from '../../src/exchange/exchange.js';
import { isGatewayError } from '../../src/errors.js';
import { canMove, TERMINAL_STATES, TRANSITIONS } from '../../src/journal/transitions.js';
import { input, open, tempDir } from './temp-journal.js';

const STATES = Object.keys(TRANSITIONS) as ExchangeState[];
/** A path of legal moves from JOURNALED (what begin() writes) to each state, used to set up an entry in that state. */
const ROUTE: Record<ExchangeState, ExchangeState[]> = {
  RECEIVED: [],
  JOURNALED: [],
  CALLING: ['CALLING'],
  AWAITING: ['AWAITING'],
  RESOLVING: ['AWAITING', 'RESOLVING'],
  UNKNOWN: ['UNKNOWN'],
  SETTLED: ['SETTLED'],
  DELIVERED: ['SETTLED', 'DELIVERED'],
  NOT_CREATED: ['NOT_CREATED'],
  COMMITTED: ['SETTLED', 'DELIVERED', 'COMMITTED'],
  REJECTED: ['REJECTED'],
};

const tmp = tempDir();
const journal = open(path.join(tmp.dir, 'journal.sqlite'));
afterAll(async () => {
  await journal.close();
  tmp.cleanup();
});

describe('state transitions', () => {
  it('encodes the money rules: commit only after reply, nothing out of COMMITTED/REJECTED, no REJECTED once awaiting', () => {
    expect(canMove('SETTLED', 'COMMITTED')).toBe(false);
    expect(canMove('DELIVERED', 'COMMITTED')).toBe(true);
    expect(canMove('AWAITING', 'REJECTED')).toBe(false);
    expect(canMove('SETTLED', 'UNKNOWN')).toBe(false);
    // Proven not created: a fresh attempt may call again; a payment already awaited can never become "not created".
    expect(canMove('NOT_CREATED', 'CALLING')).toBe(true);
    expect(canMove('AWAITING', 'NOT_CREATED')).toBe(false);
    expect(canMove('SETTLED', 'NOT_CREATED')).toBe(false);
    for (const to of STATES) {
      expect(canMove('COMMITTED', to)).toBe(false);
      expect(canMove('REJECTED', to)).toBe(false);
    }
    expect([...TERMINAL_STATES].sort()).toEqual(['COMMITTED', 'REJECTED']);
  });

  // Every (from, to) pair, through the real journal: allowed exactly when the table says so.
  const starts = STATES.filter((s) => s !== 'RECEIVED');
  for (const from of starts) {
    it(`from ${from}: the journal allows exactly ${[...TRANSITIONS[from], ...(TERMINAL_STATES.has(from) ? [] : [from])].join(', ') || 'nothing'}`, async () => {
      for (const to of STATES) {
        const { exchange } = await journal.begin(input({ key: `${from}->${to}` }));
        for (const step of ROUTE[from]) await journal.advance(exchange.id, { state: step });
        const result = await journal.advance(exchange.id, { state: to }).then(
          (e) => e.state,
          (err: unknown) => (isGatewayError(err, 'GW_JOURNAL_ILLEGAL_TRANSITION') ? 'refused' : String(err)),
        );
        expect(result, `${from} -> ${to}`).toBe(canMove(from, to) ? to : 'refused');
        const stored = await journal.get(exchange.id);
        expect(stored?.state).toBe(canMove(from, to) ? to : from);
      }
    });
  }
});
