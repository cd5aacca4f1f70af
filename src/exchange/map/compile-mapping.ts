// Turns one parsed mapping file into a frozen definition, reporting every problem with its position.
import { didYouMean } from '../../did-you-mean.js';
import { booleanValue, durationMs, mapEntries, requireEntry, stringValue } from './check-keys.js';
import { compileCall, type CallDefinition } from './compile-call.js';
import { compileCurrency, compileLets, type LetBinding } from './compile-lets.js';
import { compileAnswers, type FaultRule } from './compile-replies.js';
import type { ReplyCheck } from './contract-check.js';
import { calledFunctions, type Expression } from './expression.js';
import { lintExpression, lintTemplate } from './expression-lint.js';
import type { MappingShape } from './reachable-codes.js';
import { compileScalar, compileTemplate, type CompileContext, type Template } from './template.js';
import type { MappingAnswers } from './types.js';
import type { Position, SourceEntry, SourceNode } from './yaml-source.js';

export { OUTCOMES, type FaultRule } from './compile-replies.js';

export interface MappingDefinition {
  readonly id: string;
  readonly file: string;
  readonly posSystem: string;
  readonly answers: MappingAnswers;
  /** `let:` values in order, evaluated before the expressions of each step. */
  readonly lets: readonly LetBinding[];
  /** `currency:`: the default currency of $cents/$decimal, bound as $currency. */
  readonly currency: string | undefined;
  readonly key: Expression | undefined;
  readonly lookup: { readonly key: Expression; readonly required: boolean; readonly fetch: boolean } | undefined;
  readonly call: CallDefinition | undefined;
  readonly outcome: Expression | undefined;
  readonly await: { readonly deadlineMs: number; readonly onDeadline: 'cancel' | 'none' } | undefined;
  readonly context: Template | undefined;
  /** The base reply, and the base overlaid with each `when` entry. */
  readonly reply: Template;
  readonly when: ReadonlyMap<string, Template>;
  readonly faults: ReadonlyMap<string, FaultRule>;
  /** The contract's own reply for every other gateway error (contract-shaped errors); stands alone. */
  readonly errors: Template | undefined;
  /** `answers.*.when`: this mapping answers only the messages of its operation for which this yields true. */
  readonly selectWhen: Expression | undefined;
  /** Where `id` and the answers' names were written, for problems found across files. */
  readonly at: { readonly id: Position; readonly name: Position; readonly operation: Position };
}

const TOP_KEYS = ['id', 'description', 'answers', 'let', 'currency', 'key', 'lookup', 'call', 'outcome', 'await', 'context', 'reply', 'when', 'faults', 'errors'];
const SECRET_NAME = /token|cvv|securitycode|cardnumber|pan$|apikey|deviceid|secret|password|expir/i;
const MAX_DEADLINE_MS = 15 * 60_000;

export function compileMapping(outer: CompileContext, root: SourceNode | undefined, posSystem: string): MappingDefinition | undefined {
  const top = { kind: 'scalar', pos: { line: 1, col: 1 }, value: null, contentShift: 0, block: false } as const;
  const entries = mapEntries(outer, root ?? top, 'mapping', TOP_KEYS, 'id: acme-pos.sale');
  if (entries === undefined || root === undefined) return undefined;
  const before = outer.problems.errors().length;

  const lets = compileLets(outer, entries.get('let'));
  const moneyVariables = lets.filter((l) => calledFunctions(l.expr).some((c) => c.name === 'cents' || c.name === 'minor')).map((l) => l.name);
  const ctx: CompileContext = { ...outer, variables: lets.map((l) => l.name), moneyVariables };
  const currency = compileCurrency(ctx, entries.get('currency'));
  const idEntry = requireEntry(ctx, entries, root, 'id', 'mapping', 'id: acme-pos.sale');
  const id = idEntry && stringValue(ctx, idEntry.value, 'id', 'acme-pos.sale');
  if (id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    ctx.problems.error(ctx.file, idEntry!.value.pos, 'id: use letters, digits, ".", "_" and "-", e.g. acme-pos.sale');
  }
  const answersEntry = requireEntry(ctx, entries, root, 'answers', 'mapping', 'answers: { soap: { service: AcmePaymentService, operation: Sale } }');
  const answers = answersEntry && compileAnswersTarget(ctx, answersEntry.value);
  const selectWhen = answersEntry && compileSelectWhen(ctx, answersEntry.value);
  const key = expressionOf(ctx, entries.get('key'), 'key');
  const lookup = compileLookup(ctx, entries.get('lookup'));
  const callEntry = entries.get('call');
  const call = callEntry && compileCall(ctx, callEntry.value);
  const outcomeEntry = entries.get('outcome');
  const outcome = expressionOf(ctx, outcomeEntry, 'outcome');
  const awaitRule = compileAwait(ctx, entries.get('await'), callEntry);
  const context = compileContext(ctx, entries.get('context'));
  const replyEntry = requireEntry(ctx, entries, root, 'reply', 'mapping', 'reply: { Result: "$outcome" }');
  const shape: MappingShape | undefined = answers && {
    protocol: answers.kind,
    hasKey: key !== undefined,
    hasCall: callEntry !== undefined,
    createsPayment: call?.createsPayment ?? false,
    hasLookup: lookup !== undefined,
    lookupRequired: lookup?.required ?? false,
    lookupFetch: lookup?.fetch ?? false,
  };
  const op = answers?.kind === 'soap' ? ctx.operationOf?.(posSystem, answers.service, answers.operation) : undefined;
  const contract: ReplyCheck | undefined = op && { output: op.output, lets: new Map(lets.map((l) => [l.name, l.expr.ast])) };
  const sections = { reply: replyEntry, when: entries.get('when'), faults: entries.get('faults'), errors: entries.get('errors') };
  const { reply, when, faults, errors } = compileAnswers(ctx, sections, outcome !== undefined, shape, contract);

  if (call?.createsPayment && key === undefined) {
    ctx.problems.warn(ctx.file, callEntry!.keyPos, `call: ${call.method} ${call.literalPath} creates a payment but the mapping has no "key": a POS retry will create a second payment; add key: "$key(TerminalId, ReceiptNo)"`);
  }
  if (call?.movesMoney && awaitRule === undefined && outcome === undefined) {
    ctx.problems.error(ctx.file, callEntry!.keyPos, `call: ${call.method} ${call.shape} moves money but the mapping has no "outcome", so the POS would be answered without knowing whether it happened; add outcome: "response.errorCode = 0 ? 'APPROVED' : 'DECLINED'" (or await: { until: final, deadline: 110s } for /transactions/init)`);
  } else if (call?.literalPath === '/transactions/init' && awaitRule === undefined) {
    ctx.problems.warn(ctx.file, callEntry!.keyPos, 'call: /transactions/init without "await": the reply is sent before the payment is final; add await: { until: final, deadline: 110s, onDeadline: cancel }');
  }
  if (outcomeEntry !== undefined && callEntry === undefined) {
    ctx.problems.error(ctx.file, outcomeEntry.keyPos, 'outcome: there is no call whose answer it could read; remove "outcome" or add a "call"');
  }
  if (ctx.problems.errors().length > before || id === undefined || answers === undefined || reply === undefined) return undefined;
  const answerNode = answersEntry!.value;
  const inner = answerNode.kind === 'map' ? answerNode.entries[0]?.value : undefined;
  const namePos = inner?.kind === 'map' ? (inner.entries.find((e) => e.key === 'service' || e.key === 'path')?.value.pos ?? inner.pos) : answerNode.pos;
  const opPos = inner?.kind === 'map' ? (inner.entries.find((e) => e.key === 'operation' || e.key === 'root')?.value.pos ?? inner.pos) : answerNode.pos;
  return Object.freeze({
    id, file: ctx.file, posSystem, answers, lets: Object.freeze(lets), currency, key, lookup, call, outcome, await: awaitRule, context,
    reply, when, faults, errors, selectWhen,
    at: Object.freeze({ id: idEntry!.value.pos, name: namePos, operation: opPos }),
  });
}

function expressionOf(ctx: CompileContext, entry: SourceEntry | undefined, field: string): Expression | undefined {
  if (entry === undefined) return undefined;
  const expr = compileScalar(ctx, entry.value, field);
  if (expr !== undefined) lintExpression(ctx, expr, entry.value, field);
  return expr;
}

function compileAnswersTarget(ctx: CompileContext, node: SourceNode): MappingAnswers | undefined {
  const entries = mapEntries(ctx, node, 'answers', ['soap', 'xml'], '{ soap: { service: AcmePaymentService, operation: Sale } }');
  if (entries === undefined) return undefined;
  const soap = entries.get('soap');
  const xml = entries.get('xml');
  if ((soap === undefined) === (xml === undefined)) {
    ctx.problems.error(ctx.file, node.pos, 'answers: give exactly one of soap: { service, operation } or xml: { path, root }');
    return undefined;
  }
  if (soap !== undefined) {
    const e = mapEntries(ctx, soap.value, 'answers.soap', ['service', 'operation', 'when'], '{ service: AcmePaymentService, operation: Sale }');
    if (e === undefined) return undefined;
    const s = requireEntry(ctx, e, soap.value, 'service', 'answers.soap', 'service: AcmePaymentService');
    const o = requireEntry(ctx, e, soap.value, 'operation', 'answers.soap', 'operation: Sale');
    const service = s && stringValue(ctx, s.value, 'answers.soap.service', 'AcmePaymentService');
    const operation = o && stringValue(ctx, o.value, 'answers.soap.operation', 'Sale');
    if (service === undefined || operation === undefined) return undefined;
    checkOperation(ctx, service, operation, s!.value, o!.value);
    return Object.freeze({ kind: 'soap', service, operation });
  }
  const e = mapEntries(ctx, xml!.value, 'answers.xml', ['path', 'root', 'when'], '{ path: /xml/acme, root: SaleRequest }');
  if (e === undefined) return undefined;
  const p = requireEntry(ctx, e, xml!.value, 'path', 'answers.xml', 'path: /xml/acme');
  const r = requireEntry(ctx, e, xml!.value, 'root', 'answers.xml', 'root: SaleRequest');
  const path = p && stringValue(ctx, p.value, 'answers.xml.path', '/xml/acme');
  const rootName = r && stringValue(ctx, r.value, 'answers.xml.root', 'SaleRequest');
  if (path !== undefined && !path.startsWith('/')) ctx.problems.error(ctx.file, p!.value.pos, 'answers.xml.path: must start with "/"');
  return path && rootName ? Object.freeze({ kind: 'xml', path, root: rootName }) : undefined;
}

/**
 * `answers.soap.when` / `answers.xml.when`: for contracts with one operation for several transactions (a
 * transaction-type field), each mapping of that operation names the messages it answers; see registry/route-table.
 */
function compileSelectWhen(ctx: CompileContext, node: SourceNode): Expression | undefined {
  if (node.kind !== 'map') return undefined;
  const target = node.entries[0]?.value;
  if (target?.kind !== 'map') return undefined;
  const entry = target.entries.find((e) => e.key === 'when');
  if (entry === undefined) return undefined;
  return expressionOf(ctx, entry, `answers.${node.entries[0]!.key}.when`);
}

/** The WSDL must offer the operation a mapping answers (when the WSDLs are known). */
function checkOperation(ctx: CompileContext, service: string, operation: string, serviceNode: SourceNode, opNode: SourceNode): void {
  const known = ctx.knownOperations;
  if (known === undefined) return;
  const ops = known.get(service);
  if (ops === undefined) {
    const services = [...known.keys()];
    ctx.problems.error(ctx.file, serviceNode.pos, `answers.soap.service: no WSDL defines service "${service}"${didYouMean(service, services) || ` (known: ${services.join(', ') || 'none'})`}`);
  } else if (!ops.has(operation)) {
    const names = [...ops];
    ctx.problems.error(ctx.file, opNode.pos, `answers.soap.operation: service ${service} has no operation "${operation}"${didYouMean(operation, names) || ` (it has: ${names.join(', ')})`}`);
  }
}

function compileLookup(ctx: CompileContext, entry: SourceEntry | undefined): MappingDefinition['lookup'] {
  if (entry === undefined) return undefined;
  const e = mapEntries(ctx, entry.value, 'lookup', ['key', 'required', 'fetch'], '{ key: "$key(TerminalId, OriginalReceiptNo)", required: true }');
  if (e === undefined) return undefined;
  const key = expressionOf(ctx, requireEntry(ctx, e, entry.value, 'key', 'lookup', 'key: "$key(TerminalId, OriginalReceiptNo)"'), 'lookup.key');
  const required = booleanValue(ctx, e.get('required')?.value, 'lookup.required', true);
  const fetch = booleanValue(ctx, e.get('fetch')?.value, 'lookup.fetch', false);
  return key === undefined ? undefined : Object.freeze({ key, required, fetch });
}

function compileAwait(ctx: CompileContext, entry: SourceEntry | undefined, call: SourceEntry | undefined): MappingDefinition['await'] {
  if (entry === undefined) return undefined;
  const e = mapEntries(ctx, entry.value, 'await', ['until', 'deadline', 'onDeadline'], '{ until: final, deadline: 110s, onDeadline: cancel }');
  if (e === undefined) return undefined;
  if (call === undefined) ctx.problems.error(ctx.file, entry.keyPos, 'await: there is no call to await; remove "await" or add a "call"');
  const until = e.get('until');
  if (until !== undefined && !(until.value.kind === 'scalar' && until.value.value === 'final')) {
    ctx.problems.error(ctx.file, until.value.pos, 'await.until: only "final" is supported');
  }
  const d = requireEntry(ctx, e, entry.value, 'deadline', 'await', 'deadline: 110s (shorter than the POS timeout)');
  const deadlineMs = d && durationMs(ctx, d.value, 'await.deadline');
  if (deadlineMs !== undefined && (deadlineMs < 1000 || deadlineMs > MAX_DEADLINE_MS)) {
    ctx.problems.error(ctx.file, d!.value.pos, 'await.deadline: must be between 1s and 15m');
  }
  const on = e.get('onDeadline');
  let onDeadline: 'cancel' | 'none' = 'cancel';
  if (on !== undefined) {
    const v = on.value.kind === 'scalar' ? on.value.value : undefined;
    if (v === 'cancel' || v === 'none') onDeadline = v;
    else ctx.problems.error(ctx.file, on.value.pos, 'await.onDeadline: expected cancel or none');
  }
  return deadlineMs === undefined ? undefined : Object.freeze({ deadlineMs, onDeadline });
}

function compileContext(ctx: CompileContext, entry: SourceEntry | undefined): Template | undefined {
  if (entry === undefined) return undefined;
  if (entry.value.kind !== 'map') {
    ctx.problems.error(ctx.file, entry.value.pos, 'context: expected a map, e.g. { receipt: ReceiptNo, amount: "$cents(Amount, Currency)" }');
    return undefined;
  }
  for (const e of entry.value.entries) {
    if (SECRET_NAME.test(e.key)) {
      ctx.problems.error(ctx.file, e.keyPos, `context.${e.key}: the journal keeps context in clear text; never store tokens, card data or keys there (use lookup.fetch to read them from SensePass)`);
    }
  }
  const t = compileTemplate(ctx, entry.value, 'context');
  if (t !== undefined) lintTemplate(ctx, t);
  return t;
}
