// What a reply expression can yield, as far as load time can tell: literals, helper results and the upstream fields
// whose shape SensePass fixes (a TransactionNumber is 56 hex characters), so `check` can test them against the XSD.
import type jsonata from 'jsonata';

export interface ValueGuess {
  /** A representative value, tried against the element's XSD type. */
  readonly sample: string | number | boolean;
  /** How the problem names the value, e.g. "transaction.TransactionNumber (a 56-character hex string)". */
  readonly what: string;
  /** What to write instead when the value does not fit a type. */
  readonly fix: string;
}

interface KnownField {
  readonly sample: string | number;
  readonly shape: string;
  readonly fix: string;
}

const TEXT_FIX = 'map it to a text element (xs:string), or leave it out';
const AMOUNT_FIX = 'convert it: $decimal(…) for a decimal element, $cents(…) for an integer element in minor units';

/**
 * Upstream fields by name (the last step of a path under transaction, response or original), from the Transaction
 * entity (src/exchange/call/transaction.ts) and the refund/credit envelopes of the SensePass reference (§6.5, §6.8).
 */
const KNOWN_FIELDS: Readonly<Record<string, KnownField>> = {
  TransactionNumber: { sample: '5f3275249792ee75b41322e636617ee039e2e1a49cc80c11f2177233', shape: 'a 56-character hex string', fix: TEXT_FIX },
  transactionNumber: { sample: '5f3275249792ee75b41322e636617ee039e2e1a49cc80c11f2177233', shape: 'a 56-character hex string', fix: TEXT_FIX },
  status: { sample: 5, shape: 'an integer status code (0–13)', fix: 'map $outcome or $outcomeOf(…) for text, or use an integer element' },
  statusName: { sample: 'TransactionApproved', shape: 'a status name', fix: TEXT_FIX },
  amount: { sample: '12.50', shape: 'a major-unit amount like "12.50"', fix: AMOUNT_FIX },
  baseAmount: { sample: '12.50', shape: 'a major-unit amount like "12.50"', fix: AMOUNT_FIX },
  currency: { sample: 'USD', shape: 'a currency code like USD', fix: TEXT_FIX },
  confirmationNumber: { sample: '063-LlgKAzfRL', shape: 'an approval code like 063-LlgKAzfRL', fix: TEXT_FIX },
  fullConfirmationCode: { sample: '063-LlgKAzfRL', shape: 'an approval code like 063-LlgKAzfRL', fix: TEXT_FIX },
  refundConfirmation: { sample: '063-LlgKAzfRL', shape: 'a confirmation code like 063-LlgKAzfRL', fix: TEXT_FIX },
  lastFourDigits: { sample: '4242', shape: 'four digits', fix: TEXT_FIX },
  cardType: { sample: 'VISA', shape: 'a card brand like VISA', fix: TEXT_FIX },
  errorCode: { sample: 0, shape: 'an integer error code', fix: 'use an integer element, or $string(…) for a text element' },
  errorMessage: { sample: 'refund operation declined by Processor', shape: 'a message text', fix: TEXT_FIX },
};
const UPSTREAM_ROOTS = new Set(['transaction', 'response', 'original']);
/** Paths through these hold the mapping's own or the POS's values, whose shape is not SensePass's. */
const OPAQUE_STEPS = new Set(['context', 'posData', 'metadata', 'products']);
const OUTCOME_SAMPLE = 'APPROVED';
const MAX_DEPTH = 8;

/** Values the expression can produce whose shape is known; an empty list means "cannot tell" (nothing to check). */
export function guessValues(ast: jsonata.ExprNode, lets: ReadonlyMap<string, jsonata.ExprNode> = new Map(), depth = 0): ValueGuess[] {
  if (depth > MAX_DEPTH) return [];
  const node = ast as jsonata.ExprNode & { then?: jsonata.ExprNode; else?: jsonata.ExprNode; expressions?: jsonata.ExprNode[] };
  switch (node.type as string) {
    case 'string':
      return [{ sample: String(node.value), what: `the text '${String(node.value)}'`, fix: 'write a value the element accepts' }];
    case 'number':
      return [{ sample: Number(node.value), what: `the number ${String(node.value)}`, fix: 'write a value the element accepts' }];
    case 'value':
      return typeof node.value === 'boolean' ? [{ sample: node.value, what: String(node.value), fix: 'write a value the element accepts' }] : [];
    case 'condition':
      return [node.then, node.else].flatMap((n) => (n === undefined ? [] : guessValues(n, lets, depth + 1)));
    case 'block': {
      const last = node.expressions?.at(-1);
      return last === undefined ? [] : guessValues(last, lets, depth + 1);
    }
    case 'variable':
      return guessVariable(String(node.value), lets, depth);
    case 'function':
      return guessCall(node, lets, depth);
    case 'path':
      return guessPath(node);
    default:
      return [];
  }
}

function guessVariable(name: string, lets: ReadonlyMap<string, jsonata.ExprNode>, depth: number): ValueGuess[] {
  if (name === 'outcome') {
    return [{ sample: OUTCOME_SAMPLE, what: '$outcome (text: APPROVED, DECLINED, …)', fix: "translate it, e.g. \"$lookup({'APPROVED': 0, 'DECLINED': 6}, $outcome)\"" }];
  }
  if (name === 'currency') return [{ sample: 'USD', what: '$currency (a currency code)', fix: TEXT_FIX }];
  const bound = lets.get(name);
  return bound === undefined ? [] : guessValues(bound, lets, depth + 1).map((g) => ({ ...g, what: `$${name} = ${g.what}` }));
}

function guessCall(node: jsonata.ExprNode, lets: ReadonlyMap<string, jsonata.ExprNode>, depth: number): ValueGuess[] {
  const name = node.procedure?.type === 'variable' ? String(node.procedure.value) : '';
  const args = node.arguments ?? [];
  switch (name) {
    case 'decimal':
      return [{ sample: '12.50', what: '$decimal(…) (a decimal string like 12.50)', fix: 'for an integer element in minor units write $cents(…) instead' }];
    case 'cents':
    case 'minor':
      return [{ sample: 1250, what: `$${name}(…) (an integer in minor units)`, fix: 'for a decimal element in major units write $decimal(…) instead' }];
    case 'outcomeOf':
      return guessVariable('outcome', lets, depth).map((g) => ({ ...g, what: '$outcomeOf(…) (text: APPROVED, DECLINED, …)' }));
    case 'lookup': {
      const table = args[0] as (jsonata.ExprNode & { lhs?: unknown }) | undefined;
      if (table?.type !== 'unary' || table.value !== '{' || !Array.isArray(table.lhs)) return [];
      return (table.lhs as [jsonata.ExprNode, jsonata.ExprNode][]).flatMap(([, v]) => guessValues(v, lets, depth + 1));
    }
    default:
      return [];
  }
}

function guessPath(node: jsonata.ExprNode): ValueGuess[] {
  const steps = node.steps ?? [];
  if (steps.length < 2 || steps.some((s) => s.type !== 'name')) return [];
  const names = steps.map((s) => String(s.value));
  if (!UPSTREAM_ROOTS.has(names[0] as string) || names.some((n) => OPAQUE_STEPS.has(n))) return [];
  const last = names.at(-1) as string;
  const field = Object.hasOwn(KNOWN_FIELDS, last) ? KNOWN_FIELDS[last] : undefined;
  if (field === undefined) return [];
  return [{ sample: field.sample, what: `${names.join('.')} (${field.shape})`, fix: field.fix }];
}
