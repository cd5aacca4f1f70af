// `let:` (named values shared by every expression of a mapping) and `currency:` (the mapping's default currency).
import { didYouMean } from '../../did-you-mean.js';
import { HELPER_NAMES, VARIABLE_NAMES } from './bindings.js';
import { stringValue } from './check-keys.js';
import { BUILTIN_FUNCTIONS, readVariables, type Expression } from './expression.js';
import { lintExpression } from './expression-lint.js';
import { CURRENCY_PLACES } from './money.js';
import { compileScalar, type CompileContext } from './template.js';
import type { SourceEntry } from './yaml-source.js';

export interface LetBinding {
  readonly name: string;
  readonly expr: Expression;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED: ReadonlySet<string> = new Set([...HELPER_NAMES, ...VARIABLE_NAMES, ...BUILTIN_FUNCTIONS]);

/** Compiles `let:` in order; each entry may read the ones above it. */
export function compileLets(ctx: CompileContext, entry: SourceEntry | undefined): LetBinding[] {
  const out: LetBinding[] = [];
  if (entry === undefined) return out;
  if (entry.value.kind !== 'map') {
    ctx.problems.error(ctx.file, entry.value.pos, `let: expected a map of name → expression, e.g. { amount: "$cents(Amount, Currency)" }`);
    return out;
  }
  const all = entry.value.entries.map((e) => e.key);
  for (const [i, e] of entry.value.entries.entries()) {
    if (!NAME.test(e.key)) {
      ctx.problems.error(ctx.file, e.keyPos, `let.${e.key}: a name is a letter followed by letters, digits or "_", e.g. amount`);
      continue;
    }
    if (RESERVED.has(e.key)) {
      ctx.problems.error(ctx.file, e.keyPos, `let.${e.key}: $${e.key} is already a helper or variable of every mapping; choose another name`);
      continue;
    }
    const expr = compileScalar(ctx, e.value, `let.${e.key}`);
    if (expr === undefined) continue;
    lintExpression({ ...ctx, variables: all }, expr, e.value, `let.${e.key}`);
    for (const name of readVariables(expr)) {
      if (name === e.key || all.indexOf(name) > i) {
        ctx.problems.error(ctx.file, e.value.pos, `let.${e.key}: reads $${name}, which is defined ${name === e.key ? 'by this entry itself' : 'below it'}; a let entry can only use the ones above it`);
      }
    }
    out.push(Object.freeze({ name: e.key, expr }));
  }
  return out;
}

/** `currency: USD`: the currency $cents, $decimal and $minor use when a call gives none (also bound as $currency). */
export function compileCurrency(ctx: CompileContext, entry: SourceEntry | undefined): string | undefined {
  if (entry === undefined) return undefined;
  const code = stringValue(ctx, entry.value, 'currency', 'USD');
  if (code === undefined) return undefined;
  const known = Object.keys(CURRENCY_PLACES);
  if (!known.includes(code)) {
    ctx.problems.error(ctx.file, entry.value.pos, `currency: "${code}" is not a supported currency${didYouMean(code, known) || ` (supported: ${known.join(', ')})`}`);
    return undefined;
  }
  return code;
}
