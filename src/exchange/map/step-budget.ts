// The work guard of one expression evaluation: it counts the evaluation's own steps, never the wall clock, so
// thousands of concurrent evaluations (an approval burst) cannot use up each other's budget.
import type jsonata from 'jsonata';

/** JSONata calls this hook (if bound) on entry to every node it evaluates; its own `timeboxExpression` uses it. */
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');

/** Thrown inside JSONata when an evaluation has used its budget; evaluateField turns it into a catalogue fault. */
export class StepBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`expression used more than ${limit} evaluation steps`);
  }
}

/** Per evaluation: JSONata gives every evaluate() call its own root frame (`environment.base`). */
interface EvaluationFrame {
  readonly base: object;
}

/**
 * Binds the counting hook on the compiled expression once (compile once, run many). Each evaluation's count lives
 * with its own root frame, so a runaway evaluation stops itself and nobody else.
 */
export function installStepBudget(compiled: jsonata.Expression, limit: number): void {
  if (!(limit > 0)) return;
  const used = new WeakMap<object, number>();
  const hook = (_expr: unknown, _input: unknown, environment: EvaluationFrame): void => {
    const base = environment.base;
    const steps = (used.get(base) ?? 0) + 1;
    if (steps > limit) throw new StepBudgetExceeded(limit);
    used.set(base, steps);
  };
  // assign() accepts any key at runtime; the typings say string.
  compiled.assign(ENTRY_HOOK as unknown as string, hook);
}
