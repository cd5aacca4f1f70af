// Turns one parsed mapping file into a frozen definition, reporting every problem with its position.
import { didYouMean } from '../../did-you-mean.js';
import { catalogue, type ErrorCode } from '../../errors.js';
import { booleanValue, durationMs, mapEntries, requireEntry, stringValue } from './check-keys.js';
import { compileCall, type CallDefinition } from './compile-call.js';
import type { Expression } from './expression.js';
import { lintExpression, lintTemplate } from './expression-lint.js';
import { compileScalar, compileTemplate, overlay, type CompileContext, type Template } from './template.js';
import type { MappingAnswers } from './types.js';
import type { Position, SourceEntry, SourceNode } from './yaml-source.js';

export interface FaultRule {
  readonly code: ErrorCode;
  readonly params: Template | undefined;
}

export interface MappingDefinition {
  readonly id: string;
  readonly file: string;
  readonly posSystem: string;
  readonly answers: MappingAnswers;
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
  /** Where `id` and the answers' names were written, for problems found across files. */
  readonly at: { readonly id: Position; readonly name: Position; readonly operation: Position };
}

const TOP_KEYS = ['id', 'description', 'answers', 'key', 'lookup', 'call', 'outcome', 'await', 'context', 'reply', 'when', 'faults'];
export const OUTCOMES = ['APPROVED', 'DECLINED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN'];
const ERROR_CODES = Object.keys(catalogue);
const SECRET_NAME = /token|cvv|securitycode|cardnumber|pan$|apikey|deviceid|secret|password|expir/i;
const MAX_DEADLINE_MS = 15 * 60_000;

export function compileMapping(ctx: CompileContext, root: SourceNode | undefined, posSystem: string): MappingDefinition | undefined {
  const top = { kind: 'scalar', pos: { line: 1, col: 1 }, value: null, contentShift: 0, block: false } as const;
  const entries = mapEntries(ctx, root ?? top, 'mapping', TOP_KEYS, 'id: acme-pos.sale');
  if (entries === undefined || root === undefined) return undefined;
  const before = ctx.problems.errors().length;

  const idEntry = requireEntry(ctx, entries, root, 'id', 'mapping', 'id: acme-pos.sale');
  const id = idEntry && stringValue(ctx, idEntry.value, 'id', 'acme-pos.sale');
  if (id !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    ctx.problems.error(ctx.file, idEntry!.value.pos, 'id: use letters, digits, ".", "_" and "-", e.g. acme-pos.sale');
  }
  const answersEntry = requireEntry(ctx, entries, root, 'answers', 'mapping', 'answers: { soap: { service: AcmePaymentService, operation: Sale } }');
  const answers = answersEntry && compileAnswers(ctx, answersEntry.value);
  const key = expressionOf(ctx, entries.get('key'), 'key');
  const lookup = compileLookup(ctx, entries.get('lookup'));
  const callEntry = entries.get('call');
  const call = callEntry && compileCall(ctx, callEntry.value);
  const outcome = expressionOf(ctx, entries.get('outcome'), 'outcome');
  const awaitRule = compileAwait(ctx, entries.get('await'), callEntry);
  const context = compileContext(ctx, entries.get('context'));
  const replyEntry = requireEntry(ctx, entries, root, 'reply', 'mapping', 'reply: { Result: "$outcome" }');
  const reply = replyEntry && compileTree(ctx, replyEntry.value, 'reply');
  const allowed = (k: string) => OUTCOMES.includes(k) || ERROR_CODES.includes(k) || (outcome !== undefined && /^[A-Z][A-Z0-9_]*$/.test(k));
  const when = compileWhen(ctx, entries.get('when'), reply, allowed);
  const faults = compileFaults(ctx, entries.get('faults'), allowed, when);

  if (call?.createsPayment && key === undefined) {
    ctx.problems.warn(ctx.file, callEntry!.keyPos, `call: ${call.method} ${call.literalPath} creates a payment but the mapping has no "key": a POS retry will create a second payment; add key: "$key(TerminalId, ReceiptNo)"`);
  }
  if (call?.literalPath === '/transactions/init' && awaitRule === undefined) {
    ctx.problems.warn(ctx.file, callEntry!.keyPos, 'call: /transactions/init without "await": the reply is sent before the payment is final; add await: { until: final, deadline: 110s, onDeadline: cancel }');
  }
  if (ctx.problems.errors().length > before || id === undefined || answers === undefined || reply === undefined) return undefined;
  const answerNode = answersEntry!.value;
  const inner = answerNode.kind === 'map' ? answerNode.entries[0]?.value : undefined;
  const namePos = inner?.kind === 'map' ? (inner.entries.find((e) => e.key === 'service' || e.key === 'path')?.value.pos ?? inner.pos) : answerNode.pos;
  const opPos = inner?.kind === 'map' ? (inner.entries.find((e) => e.key === 'operation' || e.key === 'root')?.value.pos ?? inner.pos) : answerNode.pos;
  return Object.freeze({
    id, file: ctx.file, posSystem, answers, key, lookup, call, outcome, await: awaitRule, context, reply, when, faults,
    at: Object.freeze({ id: idEntry!.value.pos, name: namePos, operation: opPos }),
  });
}

function expressionOf(ctx: CompileContext, entry: SourceEntry | undefined, field: string): Expression | undefined {
  if (entry === undefined) return undefined;
  const expr = compileScalar(ctx, entry.value, field);
  if (expr !== undefined) lintExpression(ctx, expr, entry.value, field);
  return expr;
}

function compileTree(ctx: CompileContext, node: SourceNode, field: string): Template | undefined {
  if (node.kind !== 'map') {
    ctx.problems.error(ctx.file, node.pos, `${field}: expected a map of reply elements, e.g. { Result: "$outcome" }`);
    return undefined;
  }
  const t = compileTemplate(ctx, node, field);
  if (t !== undefined) lintTemplate(ctx, t);
  return t;
}

function compileAnswers(ctx: CompileContext, node: SourceNode): MappingAnswers | undefined {
  const entries = mapEntries(ctx, node, 'answers', ['soap', 'xml'], '{ soap: { service: AcmePaymentService, operation: Sale } }');
  if (entries === undefined) return undefined;
  const soap = entries.get('soap');
  const xml = entries.get('xml');
  if ((soap === undefined) === (xml === undefined)) {
    ctx.problems.error(ctx.file, node.pos, 'answers: give exactly one of soap: { service, operation } or xml: { path, root }');
    return undefined;
  }
  if (soap !== undefined) {
    const e = mapEntries(ctx, soap.value, 'answers.soap', ['service', 'operation'], '{ service: AcmePaymentService, operation: Sale }');
    if (e === undefined) return undefined;
    const s = requireEntry(ctx, e, soap.value, 'service', 'answers.soap', 'service: AcmePaymentService');
    const o = requireEntry(ctx, e, soap.value, 'operation', 'answers.soap', 'operation: Sale');
    const service = s && stringValue(ctx, s.value, 'answers.soap.service', 'AcmePaymentService');
    const operation = o && stringValue(ctx, o.value, 'answers.soap.operation', 'Sale');
    if (service === undefined || operation === undefined) return undefined;
    checkOperation(ctx, service, operation, s!.value, o!.value);
    return Object.freeze({ kind: 'soap', service, operation });
  }
  const e = mapEntries(ctx, xml!.value, 'answers.xml', ['path', 'root'], '{ path: /xml/acme, root: SaleRequest }');
  if (e === undefined) return undefined;
  const p = requireEntry(ctx, e, xml!.value, 'path', 'answers.xml', 'path: /xml/acme');
  const r = requireEntry(ctx, e, xml!.value, 'root', 'answers.xml', 'root: SaleRequest');
  const path = p && stringValue(ctx, p.value, 'answers.xml.path', '/xml/acme');
  const rootName = r && stringValue(ctx, r.value, 'answers.xml.root', 'SaleRequest');
  if (path !== undefined && !path.startsWith('/')) ctx.problems.error(ctx.file, p!.value.pos, 'answers.xml.path: must start with "/"');
  return path && rootName ? Object.freeze({ kind: 'xml', path, root: rootName }) : undefined;
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

function checkKey(ctx: CompileContext, e: SourceEntry, where: string, allowed: (k: string) => boolean): boolean {
  if (allowed(e.key)) return true;
  const candidates = e.key.startsWith('GW_') ? ERROR_CODES : OUTCOMES;
  const hint = didYouMean(e.key, candidates) || ` (use an outcome ${OUTCOMES.join(', ')} or a GW_ error code)`;
  ctx.problems.error(ctx.file, e.keyPos, `${where}: unknown outcome or error "${e.key}"${hint}`);
  return false;
}

function compileWhen(ctx: CompileContext, entry: SourceEntry | undefined, base: Template | undefined, allowed: (k: string) => boolean): Map<string, Template> {
  const out = new Map<string, Template>();
  if (entry === undefined) return out;
  if (entry.value.kind !== 'map') {
    ctx.problems.error(ctx.file, entry.value.pos, 'when: expected a map of outcome → reply elements, e.g. { DECLINED: { Message: "\'Declined\'" } }');
    return out;
  }
  for (const e of entry.value.entries) {
    if (!checkKey(ctx, e, 'when', allowed)) continue;
    const t = compileTree(ctx, e.value, `when.${e.key}`);
    if (t !== undefined && base !== undefined) out.set(e.key, overlay(base, t));
  }
  return out;
}

function compileFaults(ctx: CompileContext, entry: SourceEntry | undefined, allowed: (k: string) => boolean, when: Map<string, Template>): Map<string, FaultRule> {
  const out = new Map<string, FaultRule>();
  if (entry === undefined) return out;
  if (entry.value.kind !== 'map') {
    ctx.problems.error(ctx.file, entry.value.pos, 'faults: expected a map of outcome → error code, e.g. { UNKNOWN: GW_OUTCOME_UNKNOWN }');
    return out;
  }
  for (const e of entry.value.entries) {
    if (!checkKey(ctx, e, 'faults', allowed)) continue;
    if (when.has(e.key)) ctx.problems.error(ctx.file, e.keyPos, `faults.${e.key}: also listed under "when"; an outcome is either a reply or a fault`);
    let codeNode: SourceNode = e.value;
    let params: Template | undefined;
    if (e.value.kind === 'map') {
      const f = mapEntries(ctx, e.value, `faults.${e.key}`, ['code', 'params'], '{ code: GW_PAYMENT_DECLINED, params: { outcome: "$outcome" } }');
      const c = f && requireEntry(ctx, f, e.value, 'code', `faults.${e.key}`, 'code: GW_PAYMENT_DECLINED');
      if (c === undefined) continue;
      codeNode = c.value;
      const p = f?.get('params');
      if (p !== undefined) params = compileTree(ctx, p.value, `faults.${e.key}.params`);
    }
    const code = codeNode.kind === 'scalar' && typeof codeNode.value === 'string' ? codeNode.value : '';
    if (!ERROR_CODES.includes(code)) {
      ctx.problems.error(ctx.file, codeNode.pos, `faults.${e.key}: "${code}" is not an error code${didYouMean(code, ERROR_CODES) || ' (see docs/errors.md)'}`);
      continue;
    }
    out.set(e.key, Object.freeze({ code: code as ErrorCode, params }));
  }
  return out;
}
