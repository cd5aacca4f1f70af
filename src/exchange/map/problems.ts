// Collects every problem found in mapping files so one run of `check` (or start-up) lists them all.
import type { MappingProblem } from './types.js';
import type { Position } from './yaml-source.js';

export class ProblemList {
  readonly items: MappingProblem[] = [];

  error(file: string, pos: Position, message: string): void {
    this.items.push({ severity: 'error', file, line: pos.line, col: pos.col, message });
  }

  warn(file: string, pos: Position, message: string): void {
    this.items.push({ severity: 'warning', file, line: pos.line, col: pos.col, message });
  }

  errors(): MappingProblem[] {
    return this.items.filter((p) => p.severity === 'error');
  }

  warnings(): MappingProblem[] {
    return this.items.filter((p) => p.severity === 'warning');
  }
}

/** `mappings/acme-pos/sale.yaml:12:5: error: …` (file shown relative to `base` when given). */
export function formatProblem(p: MappingProblem, base?: string): string {
  const file = base !== undefined && p.file.startsWith(base) ? p.file.slice(base.length).replace(/^[\\/]+/, '') : p.file;
  return `${file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
}
