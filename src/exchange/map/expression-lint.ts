// Load-time checks on every expression: unknown functions and variables, money fields without $cents.
import { didYouMean } from '../../did-you-mean.js';
import { HELPER_NAMES, VARIABLE_NAMES } from './bindings.js';
import { BUILTIN_FUNCTIONS, calledFunctions, definedVariables, readVariables, type Expression } from './expression.js';
import { expressionsIn, type CompileContext, type Template } from './template.js';
import { positionInScalar, type SourceNode } from './yaml-source.js';

const FUNCTIONS = [...BUILTIN_FUNCTIONS, ...HELPER_NAMES];
const VARIABLES = [...VARIABLE_NAMES, ...HELPER_NAMES, ...BUILTIN_FUNCTIONS];

/** Reports calls to functions and reads of variables that do not exist (typos like $cent). */
export function lintExpression(ctx: CompileContext, expr: Expression, node: SourceNode, field: string, shift = 0): void {
  const own = definedVariables(expr);
  for (const call of calledFunctions(expr)) {
    if (own.has(call.name) || FUNCTIONS.includes(call.name)) continue;
    ctx.problems.error(
      ctx.file,
      positionInScalar(node, shift + call.offset),
      `${field}: unknown function $${call.name}${didYouMean(call.name, FUNCTIONS).replace('"', '"$')}`,
    );
  }
  for (const name of readVariables(expr)) {
    if (name === '$' || own.has(name) || VARIABLES.includes(name) || ctx.variables?.includes(name) === true) continue;
    const known = [...(ctx.variables ?? []), ...VARIABLES];
    ctx.problems.error(ctx.file, node.pos, `${field}: unknown variable $${name}${didYouMean(name, known).replace('"', '"$')}`);
  }
}

export function lintTemplate(ctx: CompileContext, t: Template): void {
  for (const { t: leaf } of expressionsIn(t)) lintExpression(ctx, leaf.expr, leaf.node, leaf.field);
}

/** SensePass money fields: must be exact integer minor units, so their expression must go through $cents or $minor. */
export const MONEY_FIELDS: ReadonlySet<string> = new Set(['amount', 'refundAmount']);

export function checkMoneyFields(ctx: CompileContext, body: Template, where: string, bodyNode: SourceNode): void {
  const visit = (t: Template, node: SourceNode, path: string): void => {
    if (t.kind !== 'map' || node.kind !== 'map') return;
    for (const [key, child] of t.entries) {
      const entry = node.entries.find((e) => e.key === key);
      if (entry === undefined) continue;
      if (MONEY_FIELDS.has(key)) {
        const ok = child.kind === 'expr' && isMinorUnits(ctx, child.expr);
        if (!ok) {
          ctx.problems.error(
            ctx.file,
            entry.value.pos,
            `${path}.${key}: a money field must be converted with $cents (or $minor for amounts already in minor units) ` +
              `so it is exact integer minor units; write e.g. ${key}: "$cents(Amount, Currency)"`,
          );
        }
      }
      visit(child, entry.value, `${path}.${key}`);
    }
  };
  visit(body, bodyNode, where);
}

/** The expression converts with $cents / $minor itself, or reads a `let` value that does. */
function isMinorUnits(ctx: CompileContext, expr: Expression): boolean {
  if (calledFunctions(expr).some((c) => c.name === 'cents' || c.name === 'minor')) return true;
  const lets = ctx.moneyVariables ?? [];
  return [...readVariables(expr)].some((name) => lets.includes(name));
}
