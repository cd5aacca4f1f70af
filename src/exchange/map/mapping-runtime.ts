// A compiled mapping at run time: key, lookup, plan and reply, evaluated with guarded expressions.
import { gwError, type ErrorCode, type ErrorParams, type GatewayError } from '../../errors.js';
import type { UpstreamCall } from '../call/payment-api.js';
import { outcomeOf } from '../call/transaction.js';
import { credentialsHelper, originalView, rootInput, staticHelpers } from './bindings.js';
import type { MappingDefinition } from './compile-mapping.js';
import type { LetBinding } from './compile-lets.js';
import { evaluateField, readVariables, type Expression } from './expression.js';
import { evaluateTemplate, expressionsIn, type Template } from './template.js';
import type { CallResult, CompiledMapping, CredentialsFor, MappingInput, PlannedCall, ReplyBuild } from './types.js';

export function createCompiledMapping(def: MappingDefinition, credentialsFor: CredentialsFor | undefined): CompiledMapping {
  const where = (field: string) => ({ mapping: def.id, field });
  const helpers = staticHelpers(undefined, def.currency);
  // Codes the mapping answers with on purpose (`faults:`) stay faults even when it has an `errors:` reply.
  const ownFaultCodes: ReadonlySet<string> = new Set([...def.faults.values()].map((f) => f.code));

  const bindingsFor = (input: MappingInput, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...helpers,
    credentials: credentialsHelper(credentialsFor, input.identity),
    identity: { name: input.identity.name, method: input.identity.method },
    request: input.message,
    currency: def.currency,
    ...extra,
  });

  /**
   * `let:` values, in order, for one step; each sees the step's root and the values above it. While answering an
   * error (`lenient`) a value that fails is left undefined: the error it would raise is usually the one being answered.
   */
  const withLets = async (root: unknown, bindings: Record<string, unknown>, lets: readonly LetBinding[], lenient = false): Promise<Record<string, unknown>> => {
    if (lets.length === 0) return bindings;
    const out = { ...bindings };
    for (const l of lets) {
      try {
        out[l.name] = await evaluateField(l.expr, root, out, where(`let.${l.name}`));
      } catch (err) {
        if (!lenient) throw err;
        out[l.name] = undefined;
      }
    }
    return out;
  };

  // Each step evaluates only the let values its own expressions read (directly or through other lets), so a value
  // meant for the reply (reading transaction or $outcome) is never computed, or failing, while building the key.
  const keyLets = letsUsedBy(def.lets, def.key === undefined ? [] : [def.key]);
  const lookupLets = letsUsedBy(def.lets, def.lookup === undefined ? [] : [def.lookup.key]);
  const planLets = letsUsedBy(def.lets, [
    ...(def.call?.path.filter((p): p is Expression => typeof p !== 'string') ?? []),
    ...templateExpressions(def.call?.body), ...templateExpressions(def.context),
  ]);
  const replyLets = letsUsedBy(def.lets, [
    ...(def.outcome === undefined ? [] : [def.outcome]), ...templateExpressions(def.reply), ...templateExpressions(def.errors),
    ...[...def.when.values()].flatMap(templateExpressions), ...[...def.faults.values()].flatMap((f) => templateExpressions(f.params)),
  ]);

  const selectLets = letsUsedBy(def.lets, def.selectWhen === undefined ? [] : [def.selectWhen]);

  const errorView = (error: GatewayError) => ({ code: error.code, params: error.params, message: error.message, fault: error.fault });

  /** The contract's reply for an error: its `when` entry, else `errors`; undefined = answer with a fault. */
  const errorTree = (code: string): Template | undefined => def.when.get(code) ?? (ownFaultCodes.has(code) ? undefined : def.errors);

  const textKey = async (expr: NonNullable<MappingDefinition['key']>, input: MappingInput, field: string): Promise<string> => {
    const root = rootInput(input.message, {});
    const lets = field === 'key' ? keyLets : lookupLets;
    const v = await evaluateField(expr, root, await withLets(root, bindingsFor(input), lets), where(field));
    if ((typeof v !== 'string' && typeof v !== 'number') || String(v) === '') throw gwError('GW_MAP_MISSING_VALUE', { field });
    return String(v);
  };

  const evaluate = (t: Template, root: unknown, bindings: Record<string, unknown>) => evaluateTemplate(t, root, bindings, def.id);

  // Only `true` selects: a number, a string or nothing never does (JSONata's 0/"" falsiness is not guessed at).
  const selects = async (expr: Expression, input: MappingInput): Promise<boolean> => {
    const root = rootInput(input.message, {});
    return (await evaluateField(expr, root, await withLets(root, bindingsFor(input), selectLets), where('answers.when'))) === true;
  };

  const mapping: CompiledMapping = {
    id: def.id,
    file: def.file,
    posSystem: def.posSystem,
    answers: def.answers,
    createsPayment: def.call?.createsPayment ?? false,
    fetchOriginal: def.lookup?.fetch ?? false,

    ...(def.selectWhen === undefined ? {} : { selects: (input: MappingInput) => selects(def.selectWhen!, input) }),

    key: async (input) => (def.key === undefined ? undefined : textKey(def.key, input, 'key')),

    lookupKey: async (input) =>
      def.lookup === undefined ? undefined : { key: await textKey(def.lookup.key, input, 'lookup.key'), required: def.lookup.required },

    async plan(input, original, originalTransaction): Promise<PlannedCall> {
      if (def.lookup?.required && original === undefined) {
        const reference = await textKey(def.lookup.key, input, 'lookup.key');
        throw gwError('GW_MAP_ORIGINAL_NOT_FOUND', { reference });
      }
      const view = originalView(original, originalTransaction);
      const root = rootInput(input.message, { original: view, transaction: undefined, response: undefined });
      const bindings = await withLets(root, bindingsFor(input, { original: view }), planLets);
      let call: UpstreamCall | undefined;
      if (def.call !== undefined) {
        let path = '';
        for (const part of def.call.path) {
          if (typeof part === 'string') {
            path += part;
            continue;
          }
          const v = await evaluateField(part, root, bindings, where('call.sensepass'));
          if ((typeof v !== 'string' && typeof v !== 'number') || String(v) === '') {
            throw gwError('GW_MAP_MISSING_VALUE', { field: `path parameter {${part.source}}` });
          }
          path += encodeURIComponent(String(v));
        }
        const body = def.call.body === undefined ? undefined : ((await evaluate(def.call.body, root, bindings)) as Record<string, unknown>);
        call = body === undefined ? { method: def.call.method, path } : { method: def.call.method, path, body };
      }
      const context = def.context === undefined ? {} : ((await evaluate(def.context, root, bindings)) as Record<string, unknown>);
      return { call, createsPayment: mapping.createsPayment, await: def.await, context };
    },

    async reply(input, result: CallResult): Promise<ReplyBuild> {
      const view = originalView(result.original, result.originalTransaction);
      const extra = { transaction: result.transaction, response: result.response, original: view };
      const root = rootInput(input.message, extra);
      if (result.error !== undefined) {
        const code = result.error.code;
        const bindings = await withLets(root, bindingsFor(input, { ...extra, error: errorView(result.error), httpStatus: result.httpStatus }), replyLets, true);
        const fault = def.faults.get(code);
        if (fault !== undefined) return buildFault(fault.code, fault.params, result.error.params, root, bindings);
        const tree = errorTree(code);
        if (tree === undefined) return { kind: 'fault', code, params: result.error.params };
        return { kind: 'reply', value: (await evaluate(tree, root, bindings)) as Record<string, unknown>, outcome: undefined };
      }
      let outcome: string | undefined = result.outcome;
      if (outcome === undefined && def.outcome !== undefined) {
        const b = await withLets(root, bindingsFor(input, { ...extra, httpStatus: result.httpStatus }), replyLets);
        const v = await evaluateField(def.outcome, root, b, where('outcome'));
        if (v !== undefined && typeof v !== 'string') throw gwError('GW_MAP_EXPRESSION_FAILED', where('outcome'));
        outcome = v;
      }
      if (outcome === undefined && result.transaction !== undefined) outcome = outcomeOf(result.transaction.status) ?? 'UNKNOWN';
      const bindings = await withLets(root, bindingsFor(input, { ...extra, outcome, httpStatus: result.httpStatus }), replyLets);
      const fault = outcome === undefined ? undefined : def.faults.get(outcome);
      if (fault !== undefined) return buildFault(fault.code, fault.params, { outcome: outcome as string }, root, bindings);
      const tree = (outcome === undefined ? undefined : def.when.get(outcome)) ?? def.reply;
      return { kind: 'reply', value: (await evaluate(tree, root, bindings)) as Record<string, unknown>, outcome };
    },

    async errorReply(input, error) {
      const tree = errorTree(error.code);
      if (tree === undefined) return undefined;
      const message = input?.message ?? {};
      const identity = input?.identity ?? { name: 'anonymous', method: 'none' as const };
      const root = rootInput(message, {});
      const bindings = await withLets(root, bindingsFor({ message, identity }, { error: errorView(error) }), replyLets, true);
      return (await evaluate(tree, root, bindings)) as Record<string, unknown>;
    },
  };

  async function buildFault(
    code: ErrorCode,
    params: Template | undefined,
    fallback: ErrorParams,
    root: unknown,
    bindings: Record<string, unknown>,
  ): Promise<ReplyBuild> {
    if (params === undefined) return { kind: 'fault', code, params: fallback };
    const raw = (await evaluate(params, root, bindings)) as Record<string, unknown>;
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v);
    return { kind: 'fault', code, params: out };
  }

  return Object.freeze(mapping);
}

function templateExpressions(t: Template | undefined): Expression[] {
  return t === undefined ? [] : [...expressionsIn(t)].map((e) => e.t.expr);
}

/** The let entries `exprs` read, directly or through other entries, in definition order. */
function letsUsedBy(lets: readonly LetBinding[], exprs: readonly Expression[]): LetBinding[] {
  const byName = new Map(lets.map((l) => [l.name, l]));
  const needed = new Set<string>();
  const visit = (e: Expression): void => {
    for (const name of readVariables(e)) {
      const l = byName.get(name);
      if (l === undefined || needed.has(name)) continue;
      needed.add(name);
      visit(l.expr);
    }
  };
  exprs.forEach(visit);
  return lets.filter((l) => needed.has(l.name));
}
