// JSONata expressions of a mapping: compiled once at load, evaluated with step/stack/sequence guardrails.
import jsonata from 'jsonata';
import { gwError, isGatewayError } from '../../errors.js';
import { installStepBudget } from './step-budget.js';

export interface ExpressionLimits {
  /**
   * Evaluation steps (expression nodes entered) one evaluation may use: endless loops stop here. Counted per
   * evaluation, not timed: a wall-clock limit would include every concurrent evaluation's work and fail them all.
   */
  readonly steps: number;
  /** Maximum evaluation depth (deep or endless recursion stops here). */
  readonly stack: number;
  /** Maximum length of any sequence or range an expression builds. */
  readonly sequence: number;
}

export const DEFAULT_LIMITS: ExpressionLimits = Object.freeze({ steps: 100_000, stack: 250, sequence: 10_000 });

export interface Expression {
  readonly source: string;
  readonly ast: jsonata.ExprNode;
  evaluate(input: unknown, bindings: Readonly<Record<string, unknown>>): Promise<unknown>;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the expression where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Compiles or throws ExpressionSyntaxError with the character offset. */
export function compileExpression(source: string, limits: ExpressionLimits): Expression {
  let compiled: jsonata.Expression;
  try {
    // No `timeout`: JSONata's timeout is wall time since the evaluation started (see ExpressionLimits.steps).
    compiled = jsonata(source, { stack: limits.stack, sequence: limits.sequence });
  } catch (err) {
    const e = err as { message?: string; position?: number };
    // JSONata positions are 1-based and point just after the offending token.
    throw new ExpressionSyntaxError(e.message ?? 'syntax error', Math.max(0, (e.position ?? 1) - 1));
  }
  installStepBudget(compiled, limits.steps);
  return Object.freeze({
    source,
    ast: compiled.ast(),
    evaluate: (input: unknown, bindings: Readonly<Record<string, unknown>>) => compiled.evaluate(input, { ...bindings }),
  });
}

/**
 * Evaluates and returns a plain JSON value (undefined when the expression yields nothing).
 * Catalogue errors from helpers pass through; anything else becomes GW_MAP_EXPRESSION_FAILED naming the field.
 */
export async function evaluateField(
  expr: Expression,
  input: unknown,
  bindings: Readonly<Record<string, unknown>>,
  where: { mapping: string; field: string },
): Promise<unknown> {
  let value: unknown;
  try {
    value = await expr.evaluate(input, bindings);
  } catch (err) {
    if (isGatewayError(err)) throw err;
    throw gwError('GW_MAP_EXPRESSION_FAILED', { mapping: where.mapping, field: where.field }, err);
  }
  return toPlain(value, where, 0);
}

/** JSONata sequences, frozen inputs and functions → plain arrays/objects; functions and non-finite numbers refused. */
function toPlain(value: unknown, where: { mapping: string; field: string }, depth: number): unknown {
  if (depth > 64) throw gwError('GW_MAP_EXPRESSION_FAILED', where);
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw gwError('GW_MAP_EXPRESSION_FAILED', where);
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const p = toPlain(v, where, depth + 1);
      if (p !== undefined) out.push(p);
    }
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = toPlain(v, where, depth + 1);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  throw gwError('GW_MAP_EXPRESSION_FAILED', where); // functions, symbols
}

/** Every node of an AST once (the processed AST may share nodes). */
export function walkAst(ast: jsonata.ExprNode, visit: (node: jsonata.ExprNode) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof (node as { type?: unknown }).type === 'string') visit(node as jsonata.ExprNode);
    for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
}

/** Names of functions the expression calls ($cents → "cents"), with their positions. */
export function calledFunctions(expr: Expression): { name: string; offset: number }[] {
  const out: { name: string; offset: number }[] = [];
  walkAst(expr.ast, (node) => {
    if ((node.type === 'function' || node.type === 'partial') && node.procedure?.type === 'variable') {
      // JSONata positions point just past the token ("$cents" ends there); report where the name starts.
      const name = String(node.procedure.value);
      out.push({ name, offset: Math.max(0, (node.procedure.position ?? 0) - name.length - 1) });
    }
  });
  return out;
}

/** Variables the expression defines itself (`$f := …`, lambda parameters). */
export function definedVariables(expr: Expression): Set<string> {
  const out = new Set<string>();
  walkAst(expr.ast, (node) => {
    const n = node as jsonata.ExprNode & { lhs?: jsonata.ExprNode };
    if (n.type === 'bind' as string && n.lhs !== undefined && !Array.isArray(n.lhs) && n.lhs.type === 'variable') {
      out.add(String(n.lhs.value));
    }
    if (n.type === 'lambda') for (const a of n.arguments ?? []) if (a.type === 'variable') out.add(String(a.value));
    // Positional and context variables bound in path steps: Items.Item#$i, Items.Item@$it.
    const step = node as { index?: unknown; focus?: unknown };
    if (typeof step.index === 'string') out.add(step.index);
    if (typeof step.focus === 'string') out.add(step.focus);
  });
  return out;
}

/** Variables the expression reads as values ($outcome → "outcome"); called functions are not included. */
export function readVariables(expr: Expression): Set<string> {
  const procedures = new Set<object>();
  walkAst(expr.ast, (node) => {
    if ((node.type === 'function' || node.type === 'partial') && node.procedure !== undefined) procedures.add(node.procedure);
  });
  const out = new Set<string>();
  walkAst(expr.ast, (node) => {
    if (node.type === 'variable' && !procedures.has(node) && node.value !== '' && node.value !== undefined) out.add(String(node.value));
  });
  return out;
}

/** JSONata's built-in functions (jsonata 2.x), for "unknown function" checks at load. */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase',
  'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber',
  'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power',
  'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append',
  'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct',
  'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval',
  'toMillis', 'fromMillis', 'clone', 'now', 'millis',
]);
