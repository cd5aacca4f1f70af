// The `call` section: "<METHOD> <path>" with {expr} path parameters and a body tree, checked for money and secrets.
import type { HttpMethod } from '../call/payment-api.js';
import { mapEntries, requireEntry, stringValue } from './check-keys.js';
import { compileExpression, ExpressionSyntaxError, type Expression } from './expression.js';
import { checkMoneyFields, lintExpression, lintTemplate } from './expression-lint.js';
import { compileTemplate, type CompileContext, type Template } from './template.js';
import { positionInScalar, type SourceNode } from './yaml-source.js';

export interface CallDefinition {
  readonly method: HttpMethod;
  /** Literal path pieces and path-parameter expressions, in order. */
  readonly path: readonly (string | Expression)[];
  readonly body: Template | undefined;
  readonly createsPayment: boolean;
  /** Literal path when it has no parameters ("/transactions/init"). */
  readonly literalPath: string | undefined;
  /** Can move or release money (pay, refund, credit, void, cancel…): its answer must become an outcome. */
  readonly movesMoney: boolean;
  /** The path with each parameter written as {}, e.g. "/transactions/cancel/{}". */
  readonly shape: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH'];
/** Calls that can move money: a POS retry without an idempotency key could pay twice. */
export const PAYMENT_PATHS: ReadonlySet<string> = new Set(['/transactions/init', '/transactions/pay', '/transactions/credit']);
/** POST calls that take, return or release money (reference §6.0): init, pay, credit, refund, void, re-authorize, cancel, closeAuth. */
const MONEY_SHAPES = /^\/transactions\/(init|pay|credit|refund|void|authorize|cancel\/\{\}|cancelByDeviceId\/\{\}|\{\}\/closeAuth)$/;
/** The gateway adds these from config (reference §3); a mapping never writes them. */
const CREDENTIAL_FIELDS = ['deviceId', 'apiKey', 'merchantApiKey', 'branchNumber'];

export function compileCall(ctx: CompileContext, node: SourceNode): CallDefinition | undefined {
  const entries = mapEntries(ctx, node, 'call', ['sensepass', 'body'], '{ sensepass: "POST /transactions/init", body: {…} }');
  if (entries === undefined) return undefined;
  const target = requireEntry(ctx, entries, node, 'sensepass', 'call', 'sensepass: "POST /transactions/init"');
  if (target === undefined) return undefined;
  const text = stringValue(ctx, target.value, 'call.sensepass', '"POST /transactions/init"');
  if (text === undefined) return undefined;
  const m = /^(\S+)\s+(\/.*)$/.exec(text.trim());
  const method = m?.[1]?.toUpperCase() as HttpMethod | undefined;
  const rawPath = m?.[2];
  if (method === undefined || !METHODS.includes(method) || rawPath === undefined || !rawPath.startsWith('/')) {
    ctx.problems.error(ctx.file, target.value.pos, `call.sensepass: expected "<GET|POST|PATCH> /path", e.g. "POST /transactions/cancel/{original.transactionNumber}"`);
    return undefined;
  }
  const path = compilePath(ctx, target.value, rawPath, text.indexOf(rawPath));
  if (path === undefined) return undefined;

  let body: Template | undefined;
  const bodyEntry = entries.get('body');
  if (bodyEntry !== undefined) {
    if (method === 'GET') ctx.problems.error(ctx.file, bodyEntry.keyPos, 'call.body: a GET call has no body; remove it');
    if (bodyEntry.value.kind !== 'map') {
      ctx.problems.error(ctx.file, bodyEntry.value.pos, 'call.body: expected a map of SensePass fields, e.g. { amount: "$cents(Amount, Currency)" }');
    } else {
      for (const e of bodyEntry.value.entries) {
        if (CREDENTIAL_FIELDS.includes(e.key)) {
          ctx.problems.error(ctx.file, e.keyPos, `call.body.${e.key}: SensePass credentials come from the gateway config (clients.<id>.sensepass); remove this field`);
        }
      }
      body = compileTemplate(ctx, bodyEntry.value, 'call.body');
      if (body !== undefined) {
        lintTemplate(ctx, body);
        checkMoneyFields(ctx, body, 'call.body', bodyEntry.value);
      }
    }
  }
  const literalPath = path.every((p) => typeof p === 'string') ? path.join('') : undefined;
  const createsPayment = method === 'POST' && literalPath !== undefined && PAYMENT_PATHS.has(literalPath);
  const shape = path.map((p) => (typeof p === 'string' ? p : '{}')).join('');
  const movesMoney = method === 'POST' && MONEY_SHAPES.test(shape);
  if (literalPath === '/transactions/init' && body?.kind === 'map') {
    const hasAmount = body.entries.some(([k]) => k === 'amount');
    const isCent = body.entries.find(([k]) => k === 'isCent')?.[1];
    if (hasAmount && !(isCent?.kind === 'literal' && isCent.value === true)) {
      ctx.problems.error(ctx.file, bodyEntry?.value.pos ?? node.pos, 'call.body: /transactions/init with an amount needs isCent: true ($cents gives minor units)');
    }
  }
  return Object.freeze({ method, path: Object.freeze(path), body, createsPayment, literalPath, movesMoney, shape });
}

/** "/transactions/cancel/{original.transactionNumber}" → ["/transactions/cancel/", <expr>]. */
function compilePath(ctx: CompileContext, node: SourceNode, raw: string, shift: number): (string | Expression)[] | undefined {
  const parts: (string | Expression)[] = [];
  let literal = '';
  let ok = true;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '}') {
      ctx.problems.error(ctx.file, positionInScalar(node, shift + i), 'call.sensepass: "}" without a matching "{"');
      return undefined;
    }
    if (ch !== '{') {
      literal += ch;
      continue;
    }
    const end = closingBrace(raw, i);
    if (end < 0) {
      ctx.problems.error(ctx.file, positionInScalar(node, shift + i), 'call.sensepass: "{" without a matching "}"');
      return undefined;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    const source = raw.slice(i + 1, end);
    try {
      const expr = compileExpression(source, ctx.limits);
      lintExpression(ctx, expr, node, 'call.sensepass', shift + i + 1);
      parts.push(expr);
    } catch (err) {
      if (!(err instanceof ExpressionSyntaxError)) throw err;
      ctx.problems.error(ctx.file, positionInScalar(node, shift + i + 1 + err.offset), `call.sensepass: path parameter {${source}}: ${err.message}`);
      ok = false;
    }
    i = end;
  }
  if (literal !== '') parts.push(literal);
  return ok ? parts : undefined;
}

/** Index of the "}" closing the "{" at `open`, skipping nested braces and quoted strings. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}
