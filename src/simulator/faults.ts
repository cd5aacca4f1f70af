// Fault injection (PUT /_sim/faults): latency, 5xx, lost or late answers, dropped/delayed/duplicated socket events,
// failing callbacks.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AnswerFaultSchema, applyAnswerFault, type AnswerFaultCounts } from './answer-faults.js';
import type { Random } from './random.js';
import { errorBody, SimError, simError } from './sim-errors.js';

const rate = z.number().min(0).max(1);
export const FaultsSchema = z.strictObject({
  /** "<METHOD> <route pattern>" (pattern relative to /api, e.g. "POST /transactions/init", "GET /transactions/:n") or "*". */
  latencyMs: z.record(z.string(), z.number().int().nonnegative().max(600_000)).optional(),
  errorRate: rate.optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  /** Limit injected errors to these route keys (same form as latencyMs keys); absent = every REST route. */
  errorRoutes: z.array(z.string()).optional(),
  /** before: the request is refused unprocessed; after: it is processed, then the answer is replaced (a lost answer). */
  errorMode: z.enum(['before', 'after']).optional(),
  /** Per route key: the call is processed, then its answer is dropped or sent late (see answer-faults.ts). */
  answers: z.record(z.string(), AnswerFaultSchema).optional(),
  socket: z
    .strictObject({ drop: rate.optional(), delayMs: z.number().int().nonnegative().max(600_000).optional(), duplicate: z.boolean().optional() })
    .optional(),
  callbacks: z.strictObject({ failNext: z.number().int().nonnegative().optional() }).optional(),
});
export type Faults = z.infer<typeof FaultsSchema>;

export class FaultSwitches {
  private faults: Faults = {};
  /** Callback attempts still to fail (callbacks.failNext counts down). */
  callbackFailuresLeft = 0;
  private readonly answerCounts: AnswerFaultCounts = { answersDropped: 0, answersDelayed: 0 };

  constructor(private readonly random: Random) {}

  set(body: unknown): Faults {
    const parsed = FaultsSchema.safeParse(body);
    if (!parsed.success) throw simError('SIM_INVALID_INPUT', { detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const keys = [...Object.keys(parsed.data.latencyMs ?? {}), ...(parsed.data.errorRoutes ?? []), ...Object.keys(parsed.data.answers ?? {})];
    for (const key of keys) compileKey(key);
    this.faults = parsed.data;
    this.callbackFailuresLeft = parsed.data.callbacks?.failNext ?? 0;
    return this.get();
  }

  get(): Faults & { callbacksFailNextLeft: number } & AnswerFaultCounts {
    return { ...structuredClone(this.faults), callbacksFailNextLeft: this.callbackFailuresLeft, ...this.answerCounts };
  }

  /** Switches off; answers already held keep their schedule (their calls were processed). Counts restart. */
  reset(): void {
    this.faults = {};
    this.callbackFailuresLeft = 0;
    this.answerCounts.answersDropped = 0;
    this.answerCounts.answersDelayed = 0;
  }

  chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random.float() < p;
  }

  get socket(): NonNullable<Faults['socket']> {
    return this.faults.socket ?? {};
  }

  /** Consumes one forced callback failure, if any are left. */
  takeCallbackFailure(): boolean {
    if (this.callbackFailuresLeft <= 0) return false;
    this.callbackFailuresLeft--;
    return true;
  }

  /** Express middleware for the REST routes (mounted under /api; req.path is relative to it). */
  middleware() {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const f = this.faults;
      const delay = latencyFor(f.latencyMs, req.method, req.path);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
      const answer = f.answers === undefined ? undefined : Object.entries(f.answers).find(([k]) => compileKey(k)(req.method, req.path))?.[1];
      if (answer !== undefined && (answer.rate === undefined || this.chance(answer.rate))) applyAnswerFault(res, answer, this.answerCounts);
      const inScope = f.errorRoutes === undefined || f.errorRoutes.some((k) => compileKey(k)(req.method, req.path));
      if (!inScope || !this.chance(f.errorRate)) return next();
      const err = new SimError('SIM_INJECTED_FAULT', {}, {}, f.errorStatus ?? 500);
      if (f.errorMode === 'after') {
        const json = res.json.bind(res);
        res.json = (() => json.call(res.status(err.status), errorBody(err))) as Response['json'];
        return next();
      }
      res.status(err.status).json(errorBody(err));
    };
  }
}

type KeyMatcher = (method: string, path: string) => boolean;
const compiled = new Map<string, KeyMatcher>();

/** "<METHOD> <pattern>" or "*": `:name` matches one segment, `*` any rest; an "/api" prefix is ignored. */
export function compileKey(key: string): KeyMatcher {
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let matcher: KeyMatcher;
  if (key.trim() === '*') matcher = () => true;
  else {
    const m = /^\s*([A-Za-z*]+)\s+(\/\S*)\s*$/.exec(key);
    if (m === null) throw simError('SIM_INVALID_INPUT', { detail: `fault route key "${key}" must look like "POST /transactions/init" or "*"` });
    const method = (m[1] ?? '*').toUpperCase();
    const pattern = (m[2] ?? '/').replace(/^\/api(?=\/)/, '');
    const source = pattern
      .split('/')
      .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const re = new RegExp(`^${source}/?$`);
    matcher = (reqMethod, path) => (method === '*' || method === reqMethod.toUpperCase()) && re.test(path);
  }
  compiled.set(key, matcher);
  return matcher;
}

function latencyFor(map: Record<string, number> | undefined, method: string, path: string): number {
  if (map === undefined) return 0;
  let specific: number | undefined;
  for (const [key, ms] of Object.entries(map)) {
    if (key.trim() !== '*' && compileKey(key)(method, path)) specific = Math.max(specific ?? 0, ms);
  }
  return specific ?? map['*'] ?? 0;
}
