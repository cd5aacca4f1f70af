// One table model, two renderings: aligned text for the console and Markdown for docs/performance.md.

export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly note?: string;
}

// Figures right-aligned, words left-aligned.
const numeric = (c: string): boolean => /^[+\-−]?[\d.,]+(×| ms| MiB)?$|^—$/.test(c);

export function renderText(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [`\n${t.title}`, line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
  if (t.note !== undefined) out.push(t.note);
  return out.join('\n');
}

export function renderMarkdown(t: Table): string {
  const out = [`**${t.title}**`, '', `| ${t.header.join(' | ')} |`, `| ${t.header.map((_, i) => (i > 0 && t.rows.every((r) => (r[i] ?? '') === '' || numeric(r[i] ?? '')) ? '---:' : '---')).join(' | ')} |`];
  for (const r of t.rows) out.push(`| ${r.join(' | ')} |`);
  if (t.note !== undefined) out.push('', t.note);
  return out.join('\n');
}

export const fmt = {
  n: (v: number | undefined, digits = 0): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits)),
  ratio: (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`),
};
