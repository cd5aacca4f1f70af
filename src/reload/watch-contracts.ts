// Watch mode (`npm run dev`, `npm start -- --watch`): reloads WSDLs and mappings when a file under paths.wsdl or
// paths.mappings changes, and swaps them in only when everything passes the start-up checks. The simulator, the
// journal and every running exchange are left alone; a broken edit keeps the current contracts and lists its problems.
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { isGatewayError } from '../errors.js';
import type { Gateway } from '../app.js';
import type { Logger } from '../log.js';
import { loadContracts } from './load-contracts.js';

export type ReloadOutcome =
  | { readonly kind: 'swapped'; readonly generation: number; readonly warnings: readonly string[] }
  | { readonly kind: 'refused'; readonly code: string; readonly problems: readonly string[] };

export interface WatchOptions {
  readonly config: Config;
  readonly gateway: Pick<Gateway, 'replaceContracts'>;
  readonly logger: Logger;
  /** Paths in problems are shown relative to this directory (the working directory in main.ts). */
  readonly base: string;
  /** Quiet time after the last change before reloading: editors write a file in several steps. */
  readonly debounceMs?: number;
  /** Plain-text lines for the developer's console (main.ts writes them to stderr), besides the JSON log. */
  readonly report?: (line: string) => void;
  /** Called after every reload attempt (tests wait on it). */
  readonly onReload?: (outcome: ReloadOutcome) => void;
}

export interface ContractWatcher {
  close(): void;
}

const DEFAULT_DEBOUNCE_MS = 250;

export function watchContracts(options: WatchOptions): ContractWatcher {
  const { config, logger } = options;
  const roots = [...new Set([config.paths.wsdl, config.paths.mappings])];
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reloadSerially().catch((err: unknown) => logger.error({ err }, 'watch mode: a reload failed unexpectedly'));
    }, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  };
  // One reload at a time; a change during a reload triggers one more after it, so the last edit always wins.
  const reloadSerially = async (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return;
    }
    running = reloadOnce(options).finally(() => (running = undefined));
    await running;
    await syncWatchers(roots, watchers, schedule, logger, () => closed);
    if (again && !closed) {
      again = false;
      schedule();
    }
  };

  void syncWatchers(roots, watchers, schedule, logger, () => closed);
  const shown = displayBase(options.base, roots);
  logger.info({ watching: roots.map((r) => relative(shown, r)) }, 'watch mode: WSDLs and mappings reload on change');
  if (!config.derived.usesSimulator) {
    logger.warn('watch mode against a real SensePass: every saved mapping changes what POS clients get at once; use it for development only');
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

async function reloadOnce(options: WatchOptions): Promise<void> {
  const { config, logger, gateway } = options;
  const report = options.report ?? (() => undefined);
  let outcome: ReloadOutcome;
  try {
    const load = await loadContracts(config, displayBase(options.base, [config.paths.wsdl, config.paths.mappings]));
    if (!load.ok) {
      outcome = { kind: 'refused', code: load.code, problems: load.problems };
    } else {
      const set = gateway.replaceContracts(load);
      outcome = { kind: 'swapped', generation: set.generation, warnings: load.warnings };
    }
  } catch (err) {
    // A route that cannot be built (e.g. a WSDL folder name that is not a valid endpoint name) refuses the reload too.
    outcome = { kind: 'refused', code: isGatewayError(err) ? err.code : 'GW_SERVER_INTERNAL', problems: [isGatewayError(err) ? err.message : 'the contracts cannot be loaded'] };
  }
  if (outcome.kind === 'swapped') {
    for (const w of outcome.warnings) logger.warn({ warning: w }, 'mapping warning');
    logger.info({ generation: outcome.generation, warnings: outcome.warnings.length }, 'contracts reloaded');
    report(`reloaded WSDLs and mappings (generation ${outcome.generation}, ${outcome.warnings.length} warning(s))`);
  } else {
    logger.error(
      { code: outcome.code, problems: outcome.problems },
      `reload refused: ${outcome.problems.length} problem(s); still answering with the previous WSDLs and mappings`,
    );
    report(`reload refused (${outcome.code}); still answering with the previous WSDLs and mappings:\n  - ${outcome.problems.join('\n  - ')}`);
  }
  options.onReload?.(outcome);
}

/** Watches each root and its direct sub-folders (wsdl/<pos-system>/, mappings/<pos-system>/), added as they appear. */
async function syncWatchers(
  roots: readonly string[], watchers: Map<string, FSWatcher>, onChange: () => void, logger: Logger, closed: () => boolean,
): Promise<void> {
  const wanted = new Set<string>();
  for (const root of roots) {
    wanted.add(root);
    try {
      for (const e of await readdir(root, { withFileTypes: true })) {
        if (e.isDirectory() && !e.name.startsWith('.')) wanted.add(path.join(root, e.name));
      }
    } catch {
      // a root that is gone: its reload is refused with the loader's own message
    }
  }
  if (closed()) return;
  for (const [dir, w] of watchers) {
    if (!wanted.has(dir)) {
      w.close();
      watchers.delete(dir);
    }
  }
  for (const dir of wanted) {
    if (watchers.has(dir)) continue;
    try {
      const w = watch(dir, { persistent: false }, onChange);
      w.on('error', () => {
        w.close();
        watchers.delete(dir);
        onChange(); // the folder went away: reload (and re-sync) to find out what is left
      });
      watchers.set(dir, w);
    } catch {
      logger.debug({ dir }, 'watch mode: a folder cannot be watched');
    }
  }
}

/** `base` when both roots are inside it, else their closest common folder: problems never show absolute paths. */
export function displayBase(base: string, roots: readonly string[]): string {
  const inside = (root: string): boolean => !path.relative(base, root).startsWith('..') && !path.isAbsolute(path.relative(base, root));
  if (roots.every(inside)) return base;
  let common = path.dirname(roots[0] ?? base);
  while (!roots.every((r) => !path.relative(common, r).startsWith('..')) && path.dirname(common) !== common) common = path.dirname(common);
  return common;
}

function relative(base: string, p: string): string {
  const rel = path.relative(base, p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}
