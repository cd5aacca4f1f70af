// Reads a mapping file into a tree that remembers where every key and value was written (file:line:col).
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, Scalar } from 'yaml';

export interface Position {
  readonly line: number;
  readonly col: number;
}

export type SourceNode =
  | { readonly kind: 'map'; readonly pos: Position; readonly entries: readonly SourceEntry[] }
  | { readonly kind: 'seq'; readonly pos: Position; readonly items: readonly SourceNode[] }
  | {
      readonly kind: 'scalar';
      readonly pos: Position;
      readonly value: string | number | boolean | null;
      /** Offset from the scalar's start to its first character of content (1 for quoted strings). */
      readonly contentShift: number;
      /** Block scalars (| and >) span lines; expression offsets inside them are reported as characters. */
      readonly block: boolean;
    };

export interface SourceEntry {
  readonly key: string;
  readonly keyPos: Position;
  readonly value: SourceNode;
}

export interface SourceProblem {
  readonly pos: Position;
  readonly message: string;
}

export interface ParsedSource {
  readonly root: SourceNode | undefined;
  readonly problems: readonly SourceProblem[];
}

/** Parses YAML text; syntax problems and unsupported constructs come back as positioned problems. */
export function parseSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: SourceProblem[] = [];
  for (const e of doc.errors) {
    const lp = e.linePos?.[0];
    problems.push({ pos: lp ?? { line: 1, col: 1 }, message: e.message.split('\n')[0] ?? e.message });
  }
  if (problems.length > 0) return { root: undefined, problems };
  const at = (offset: number | undefined): Position => lineCounter.linePos(offset ?? 0);
  const convert = (node: Node | null | undefined, fallback: Position): SourceNode => {
    if (node === null || node === undefined) {
      return { kind: 'scalar', pos: fallback, value: null, contentShift: 0, block: false };
    }
    const pos = at(node.range?.[0]);
    if (isAlias(node)) {
      problems.push({ pos, message: 'anchors and aliases (*name) are not supported in mapping files; write the value out' });
      return { kind: 'scalar', pos, value: null, contentShift: 0, block: false };
    }
    if (isMap(node)) {
      const entries: SourceEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyPos = at(keyNode?.range?.[0]);
        if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
          problems.push({ pos: keyPos, message: 'keys must be plain names' });
          continue;
        }
        entries.push({ key: String(keyNode.value), keyPos, value: convert(pair.value as Node | null, keyPos) });
      }
      return { kind: 'map', pos, entries };
    }
    if (isSeq(node)) {
      return { kind: 'seq', pos, items: node.items.map((item) => convert(item as Node, pos)) };
    }
    if (isScalar(node)) {
      const v = node.value;
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        problems.push({ pos, message: 'unsupported value type; write a string, number, true/false or null' });
        return { kind: 'scalar', pos, value: null, contentShift: 0, block: false };
      }
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      return { kind: 'scalar', pos, value: v, contentShift: quoted ? 1 : 0, block };
    }
    problems.push({ pos, message: 'unsupported YAML node' });
    return { kind: 'scalar', pos, value: null, contentShift: 0, block: false };
  };
  const root = doc.contents === null ? undefined : convert(doc.contents as Node, { line: 1, col: 1 });
  return { root, problems };
}

/** Position of the character `offset` inside an expression written as this scalar. */
export function positionInScalar(node: SourceNode, offset: number): Position {
  if (node.kind !== 'scalar' || node.block) return node.pos;
  return { line: node.pos.line, col: node.pos.col + node.contentShift + offset };
}

export function entryOf(node: SourceNode, key: string): SourceEntry | undefined {
  return node.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}
