// Loads every mapping file under a directory, validates all of them, and indexes them by what they answer.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gwError } from '../../errors.js';
import type { SoapService } from '../../ingress/wsdl-service.js';
import { compileMapping, type MappingDefinition } from './compile-mapping.js';
import { DEFAULT_LIMITS } from './expression.js';
import { createCompiledMapping } from './mapping-runtime.js';
import { formatProblem, ProblemList } from './problems.js';
import type { CompiledMapping, LoadMappingsOptions, MappingProblem, MappingRegistry } from './types.js';
import { parseSource } from './yaml-source.js';

export interface MappingCheck {
  /** undefined when any error was found. */
  readonly registry: MappingRegistry | undefined;
  readonly problems: readonly MappingProblem[];
}

/** Validates without throwing: every error and warning, for `check` and tests. */
export async function checkMappings(dir: string, options: LoadMappingsOptions = {}): Promise<MappingCheck> {
  const root = path.resolve(dir);
  const problems = new ProblemList();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const files = await mappingFiles(root);
  if (files === undefined) {
    problems.error(root, { line: 1, col: 1 }, 'the mappings directory cannot be read; check paths.mappings');
    return { registry: undefined, problems: problems.items };
  }
  const services = options.soapServices;
  const knownOperations = options.knownOperations ?? (services === undefined ? undefined : operationsOf(services));
  const operationOf = services === undefined ? undefined : (posSystem: string, service: string, operation: string) => {
    // Same rule as serving: the service in the mapping's own folder first, else any service of that name.
    const own = services.get(posSystem);
    const svc = own?.name === service ? own : [...services.values()].find((s) => s.name === service);
    return svc?.operations.get(operation);
  };
  const defs: MappingDefinition[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const parsed = parseSource(text);
    for (const p of parsed.problems) problems.error(file, p.pos, p.message);
    if (parsed.problems.length > 0) continue;
    const rel = path.relative(root, file).split(path.sep);
    const posSystem = rel.length > 1 ? (rel[0] as string) : path.basename(root);
    const def = compileMapping({ file, limits, problems, knownOperations, operationOf }, parsed.root, posSystem);
    if (def !== undefined) defs.push(def);
  }
  const byId = new Map<string, CompiledMapping>();
  // Per operation: the mapping without answers.when (at most one: the fallback), else the first with one.
  const byAnswer = new Map<string, CompiledMapping>();
  const fallbackOf = new Map<string, MappingDefinition>();
  for (const def of defs) {
    const answerKey = answerKeyOf(def.answers);
    const sameId = byId.get(def.id);
    const sameFallback = fallbackOf.get(answerKey);
    if (sameId !== undefined) problems.error(def.file, def.at.id, `id "${def.id}" is also used by ${path.relative(root, sameId.file)}; ids must be unique`);
    if (def.selectWhen === undefined && sameFallback !== undefined) {
      problems.error(def.file, def.at.operation, `answers the same message as ${path.relative(root, sameFallback.file)} (${answerKey}); one mapping per operation, or give each one answers.${def.answers.kind}.when to say which messages it answers`);
    }
    const compiled = createCompiledMapping(def, options.credentialsFor);
    byId.set(def.id, compiled);
    if (def.selectWhen === undefined) {
      fallbackOf.set(answerKey, def);
      byAnswer.set(answerKey, compiled);
    } else if (!byAnswer.has(answerKey)) {
      byAnswer.set(answerKey, compiled);
    }
  }
  if (problems.errors().length > 0) return { registry: undefined, problems: problems.items };
  const all = Object.freeze([...byId.values()]);
  const warnings = Object.freeze(problems.warnings());
  const registry: MappingRegistry = Object.freeze({
    all: () => all,
    byId: (id: string) => byId.get(id),
    forSoap: (service: string, operation: string) => byAnswer.get(answerKeyOf({ kind: 'soap', service, operation })),
    forXml: (p: string, rootName: string) => byAnswer.get(answerKeyOf({ kind: 'xml', path: p, root: rootName })),
    warnings: () => warnings,
  });
  return { registry, problems: problems.items };
}

/** Loads, validates, compiles and freezes every mapping, or throws GW_MAPPING_INVALID listing every error. */
export async function loadMappings(dir: string, options: LoadMappingsOptions = {}): Promise<MappingRegistry> {
  const { registry, problems } = await checkMappings(dir, options);
  if (registry !== undefined) return registry;
  const base = path.resolve(dir);
  const errors = problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p, base));
  throw gwError('GW_MAPPING_INVALID', { detail: `${errors.length} problem(s):\n  - ${errors.join('\n  - ')}` });
}

function operationsOf(services: ReadonlyMap<string, SoapService>): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const s of services.values()) out.set(s.name, new Set(s.operations.keys()));
  return out;
}

function answerKeyOf(a: MappingDefinition['answers']): string {
  return a.kind === 'soap' ? `soap ${a.service}#${a.operation}` : `xml ${a.path}#${a.root}`;
}

/** *.yaml / *.yml directly under dir or one folder down (mappings/<pos-system>/), sorted; undefined if unreadable. */
async function mappingFiles(dir: string): Promise<string[] | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(full);
    if (e.isDirectory() && !e.name.startsWith('.')) {
      for (const f of await readdir(full, { withFileTypes: true })) {
        if (f.isFile() && /\.ya?ml$/.test(f.name)) out.push(path.join(full, f.name));
      }
    }
  }
  return out.sort();
}
