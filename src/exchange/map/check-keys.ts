// Shape checks shared by the mapping compiler: allowed keys (with "did you mean"), scalars of the right type.
import { didYouMean } from '../../did-you-mean.js';
import type { CompileContext } from './template.js';
import type { SourceEntry, SourceNode } from './yaml-source.js';

/** Entries of a map node, reporting unknown keys; undefined (and a problem) when the node is not a map. */
export function mapEntries(
  ctx: CompileContext,
  node: SourceNode,
  where: string,
  allowed: readonly string[],
  example: string,
): Map<string, SourceEntry> | undefined {
  if (node.kind !== 'map') {
    ctx.problems.error(ctx.file, node.pos, `${where}: expected a map, e.g. ${example}`);
    return undefined;
  }
  const out = new Map<string, SourceEntry>();
  for (const e of node.entries) {
    if (!allowed.includes(e.key)) {
      const hint = didYouMean(e.key, allowed) || ` (allowed: ${allowed.join(', ')})`;
      ctx.problems.error(ctx.file, e.keyPos, `${where}: unknown key "${e.key}"${hint}`);
      continue;
    }
    out.set(e.key, e);
  }
  return out;
}

/** A required entry; reports where it is missing. */
export function requireEntry(
  ctx: CompileContext,
  entries: Map<string, SourceEntry>,
  parent: SourceNode,
  key: string,
  where: string,
  example: string,
): SourceEntry | undefined {
  const e = entries.get(key);
  if (e === undefined) ctx.problems.error(ctx.file, parent.pos, `${where}: "${key}" is missing; add ${example}`);
  return e;
}

export function stringValue(ctx: CompileContext, node: SourceNode, where: string, example: string): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
  ctx.problems.error(ctx.file, node.pos, `${where}: expected text, e.g. ${example}`);
  return undefined;
}

export function booleanValue(ctx: CompileContext, node: SourceNode | undefined, where: string, fallback: boolean): boolean {
  if (node === undefined) return fallback;
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  ctx.problems.error(ctx.file, node.pos, `${where}: expected true or false`);
  return fallback;
}

/** "110s", "2m", "500ms" → milliseconds. */
export function durationMs(ctx: CompileContext, node: SourceNode, where: string): number | undefined {
  const m = node.kind === 'scalar' && typeof node.value === 'string' ? /^(\d+)(ms|s|m)$/.exec(node.value.trim()) : null;
  if (m === null) {
    ctx.problems.error(ctx.file, node.pos, `${where}: expected a duration like 110s, 2m or 500ms`);
    return undefined;
  }
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}
