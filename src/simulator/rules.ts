// What the simulated consumer and processor do with a new payment: first matching rule wins (PUT /_sim/rules).
import { z } from 'zod';
import { simError } from './sim-errors.js';
import { readPath } from './read-path.js';

export const RULE_ACTIONS = ['approve', 'decline', 'fail', 'expire', 'user-decline', 'none'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

const RuleSchema = z.strictObject({
  when: z
    .strictObject({
      /** Exact amount in cents. */
      amount: z.number().int().optional(),
      amountGte: z.number().int().optional(),
      amountLte: z.number().int().optional(),
      currency: z.string().optional(),
      /** Dot paths into posData → expected value (compared as JSON). */
      posData: z.record(z.string(), z.unknown()).optional(),
      /** payment | tokenize | authorize | credit | capture+tokenize | subscription | refund (case-insensitive). */
      methodType: z.string().optional(),
    })
    .optional(),
  then: z.enum(RULE_ACTIONS),
  afterMs: z.number().int().nonnegative().optional(),
});
export type Rule = z.infer<typeof RuleSchema>;
export const RulesBodySchema = z.strictObject({ rules: z.array(RuleSchema).max(1000) });

/** What a rule is matched against. */
export interface RuleSubject {
  readonly method: string;
  readonly amountCents: number | undefined;
  readonly currency: string | undefined;
  readonly posData: unknown;
}

export interface Decision {
  readonly then: RuleAction;
  readonly afterMs: number;
}

export class RuleBook {
  private rules: Rule[] = [];

  constructor(private readonly defaultAfterMs: number) {}

  set(body: unknown): Rule[] {
    const parsed = RulesBodySchema.safeParse(body);
    if (!parsed.success) throw simError('SIM_INVALID_INPUT', { detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    this.rules = parsed.data.rules;
    return this.list();
  }

  list(): Rule[] {
    return structuredClone(this.rules);
  }

  reset(): void {
    this.rules = [];
  }

  /** First match; without one, approve after approveAfterMs (0 = leave it to the control API). */
  decide(subject: RuleSubject): Decision {
    for (const rule of this.rules) {
      if (matches(rule, subject)) return { then: rule.then, afterMs: rule.afterMs ?? this.defaultAfterMs };
    }
    return this.defaultAfterMs > 0 ? { then: 'approve', afterMs: this.defaultAfterMs } : { then: 'none', afterMs: 0 };
  }

  /** Only explicit rules (refunds are approved unless a rule says otherwise). */
  explicit(subject: RuleSubject): Decision | undefined {
    const rule = this.rules.find((r) => matches(r, subject));
    return rule === undefined ? undefined : { then: rule.then, afterMs: rule.afterMs ?? 0 };
  }
}

function matches(rule: Rule, s: RuleSubject): boolean {
  const w = rule.when;
  if (w === undefined) return true;
  if (w.methodType !== undefined && w.methodType.toLowerCase() !== s.method) return false;
  if (w.amount !== undefined && s.amountCents !== w.amount) return false;
  if (w.amountGte !== undefined && (s.amountCents === undefined || s.amountCents < w.amountGte)) return false;
  if (w.amountLte !== undefined && (s.amountCents === undefined || s.amountCents > w.amountLte)) return false;
  if (w.currency !== undefined && w.currency.toUpperCase() !== s.currency) return false;
  if (w.posData !== undefined) {
    for (const [path, expected] of Object.entries(w.posData)) {
      if (JSON.stringify(readPath(s.posData, path)) !== JSON.stringify(expected)) return false;
    }
  }
  return true;
}
