// The answer sections of a mapping — `reply`, `when`, `faults`, `errors` — compiled, and checked against what can
// really happen to the operation (reachable error codes) and against the WSDL reply element it answers with.
import { didYouMean } from '../../did-you-mean.js';
import { catalogue, type ErrorCode } from '../../errors.js';
import { mapEntries, requireEntry } from './check-keys.js';
import { checkReplyTree, type ReplyCheck } from './contract-check.js';
import { lintTemplate } from './expression-lint.js';
import { unreachableReason, type MappingShape } from './reachable-codes.js';
import { compileTemplate, overlay, type CompileContext, type Template } from './template.js';
import type { SourceEntry, SourceNode } from './yaml-source.js';

export interface FaultRule {
  readonly code: ErrorCode;
  readonly params: Template | undefined;
}

export interface Answers {
  readonly reply: Template | undefined;
  readonly when: Map<string, Template>;
  readonly faults: Map<string, FaultRule>;
  /** `errors`: the contract's reply for every gateway error not answered otherwise (on its own, not overlaid). */
  readonly errors: Template | undefined;
}

export const OUTCOMES = ['APPROVED', 'DECLINED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN'];
const ERROR_CODES = Object.keys(catalogue);

export interface AnswerSections {
  readonly reply: SourceEntry | undefined;
  readonly when: SourceEntry | undefined;
  readonly faults: SourceEntry | undefined;
  readonly errors: SourceEntry | undefined;
}

export function compileAnswers(
  ctx: CompileContext, s: AnswerSections, hasOutcome: boolean, shape: MappingShape | undefined, contract: ReplyCheck | undefined,
): Answers {
  const replyEntry = s.reply;
  const reply = replyEntry && compileTree(ctx, replyEntry.value, 'reply');
  const allowed = (k: string) => OUTCOMES.includes(k) || ERROR_CODES.includes(k) || (hasOutcome && /^[A-Z][A-Z0-9_]*$/.test(k));
  const key = (e: SourceEntry, where: string) => checkKey(ctx, e, where, allowed, shape);
  const when = new Map<string, Template>();
  if (s.when !== undefined && s.when.value.kind !== 'map') {
    ctx.problems.error(ctx.file, s.when.value.pos, 'when: expected a map of outcome → reply elements, e.g. { DECLINED: { Message: "\'Declined\'" } }');
  } else if (s.when !== undefined && s.when.value.kind === 'map') {
    for (const e of s.when.value.entries) {
      if (!key(e, 'when')) continue;
      const t = compileTree(ctx, e.value, `when.${e.key}`);
      if (t !== undefined && reply !== undefined) when.set(e.key, overlay(reply, t));
      if (contract !== undefined && replyEntry !== undefined) checkReplyTree(ctx, contract, `when.${e.key}`, e.value, e.keyPos, replyEntry.value);
    }
  }
  const faults = compileFaults(ctx, s.faults, key, when);
  let errors: Template | undefined;
  if (s.errors !== undefined) {
    const t = compileTree(ctx, s.errors.value, 'errors');
    // Not overlaid on `reply`: a base element computed from $outcome (e.g. "… ? 'OK' : 'DECLINED'") must never
    // tell the POS "declined" for a gateway error whose outcome nobody knows.
    errors = t;
    if (contract !== undefined) checkReplyTree(ctx, contract, 'errors', s.errors.value, s.errors.keyPos);
  }
  if (contract !== undefined && replyEntry !== undefined) checkReplyTree(ctx, contract, 'reply', replyEntry.value, replyEntry.keyPos);
  return { reply, when, faults, errors };
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

function checkKey(ctx: CompileContext, e: SourceEntry, where: string, allowed: (k: string) => boolean, shape: MappingShape | undefined): boolean {
  if (!allowed(e.key)) {
    const candidates = e.key.startsWith('GW_') ? ERROR_CODES : OUTCOMES;
    const hint = didYouMean(e.key, candidates) || ` (use an outcome ${OUTCOMES.join(', ')} or a GW_ error code)`;
    ctx.problems.error(ctx.file, e.keyPos, `${where}: unknown outcome or error "${e.key}"${hint}`);
    return false;
  }
  const never = ERROR_CODES.includes(e.key) && shape !== undefined ? unreachableReason(e.key, shape) : undefined;
  if (never !== undefined) {
    ctx.problems.error(ctx.file, e.keyPos, `${where}.${e.key}: can never fire for this mapping: ${never}`);
    return false;
  }
  return true;
}

function compileFaults(
  ctx: CompileContext, entry: SourceEntry | undefined, key: (e: SourceEntry, where: string) => boolean, when: Map<string, Template>,
): Map<string, FaultRule> {
  const out = new Map<string, FaultRule>();
  if (entry === undefined) return out;
  if (entry.value.kind !== 'map') {
    ctx.problems.error(ctx.file, entry.value.pos, 'faults: expected a map of outcome → error code, e.g. { UNKNOWN: GW_OUTCOME_UNKNOWN }');
    return out;
  }
  for (const e of entry.value.entries) {
    if (!key(e, 'faults')) continue;
    if (when.has(e.key)) ctx.problems.error(ctx.file, e.keyPos, `faults.${e.key}: also listed under "when"; an outcome is either a reply or a fault`);
    let codeNode: SourceNode = e.value;
    let paramsEntry: SourceEntry | undefined;
    if (e.value.kind === 'map') {
      const f = mapEntries(ctx, e.value, `faults.${e.key}`, ['code', 'params'], '{ code: GW_PAYMENT_DECLINED, params: { outcome: "$outcome" } }');
      const c = f && requireEntry(ctx, f, e.value, 'code', `faults.${e.key}`, 'code: GW_PAYMENT_DECLINED');
      if (c === undefined) continue;
      codeNode = c.value;
      paramsEntry = f?.get('params');
    }
    const code = codeNode.kind === 'scalar' && typeof codeNode.value === 'string' ? codeNode.value : '';
    if (!ERROR_CODES.includes(code)) {
      ctx.problems.error(ctx.file, codeNode.pos, `faults.${e.key}: "${code}" is not an error code${didYouMean(code, ERROR_CODES) || ' (see docs/errors.md)'}`);
      continue;
    }
    let params: Template | undefined;
    if (paramsEntry !== undefined) {
      params = compileTree(ctx, paramsEntry.value, `faults.${e.key}.params`);
      checkFaultParams(ctx, code as ErrorCode, paramsEntry.value, `faults.${e.key}.params`);
    }
    out.set(e.key, Object.freeze({ code: code as ErrorCode, params }));
  }
  return out;
}

/** A fault's detail shows the catalogue message; only its {placeholders} are ever shown, so other params are mistakes. */
function checkFaultParams(ctx: CompileContext, code: ErrorCode, node: SourceNode, where: string): void {
  if (node.kind !== 'map') return;
  const names = [...catalogue[code].message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  for (const e of node.entries) {
    if (names.includes(e.key)) continue;
    const hint = names.length === 0
      ? `${code}'s message has no parameters; remove "params"`
      : `${code}'s message shows only ${names.map((n) => `{${n}}`).join(', ')}${didYouMean(e.key, names)}`;
    ctx.problems.error(ctx.file, e.keyPos, `${where}: "${e.key}" is never shown in the fault: ${hint}`);
  }
}
