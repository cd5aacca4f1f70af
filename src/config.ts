// Configuration: a YAML/JSON file plus SPGW_* environment variables, validated, resolved and frozen.
// Every problem is collected and reported at once so an operator fixes the file in one pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type ParsedConfig } from './config-schema.js';
import { gwError } from './errors.js';
import { didYouMean } from './did-you-mean.js';
import { DEMO_CREDENTIALS } from './simulator/demo-merchant.js';

/** Replaces every secret reference ({env} | {file} | literal) with the resolved string. */
type Unref<T> = T extends { env: string } | { file: string }
  ? string
  : T extends readonly (infer U)[]
    ? readonly Unref<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Unref<T[K]> }
      : T;

export type SensePassCredentials = {
  readonly deviceId?: string;
  readonly apiKey?: string;
  readonly merchantApiKey?: string;
  readonly branchNumber?: string;
};

export type Config = Unref<ParsedConfig> & {
  readonly derived: {
    /** REST base ending in /api, without a trailing slash. */
    readonly restBaseUrl: string;
    readonly socketUrl: string;
    readonly usesSimulator: boolean;
    /** Start the built-in simulator in-process (simulator mode with no URL override). */
    readonly embedSimulator: boolean;
    readonly journalFile: string;
    /** Credentials for requests without an authenticated identity (demo device in simulator mode). */
    readonly defaultCredentials: SensePassCredentials | undefined;
  };
};

const HOSTS = {
  sandbox: { rest: 'https://api.sandbox.sensepass.com/api', socket: 'https://api.sandbox.sensepass.com' },
  production: { rest: 'https://api.sensepass.com/api', socket: 'https://api.sensepass.com' },
} as const;

export const ENV_PREFIX = 'SPGW_';

export interface LoadConfigOptions {
  /** Path of a YAML or JSON file; SPGW_CONFIG in the environment otherwise. */
  file?: string | undefined;
  /** Inline object merged under the environment (used by tests instead of a file). */
  values?: unknown;
  env?: NodeJS.ProcessEnv;
  /** Base directory for relative paths (default: process.cwd()). */
  cwd?: string;
}

/** Loads, validates, resolves and freezes the configuration, or throws GW_CONFIG_INVALID listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  let raw: Record<string, unknown> = {};
  const file = options.file ?? env.SPGW_CONFIG;
  if (file !== undefined && file !== '') {
    raw = readConfigFile(path.resolve(cwd, file));
  }
  if (options.values !== undefined) raw = deepMerge(raw, options.values);
  raw = deepMerge(raw, envOverrides(env, problems));

  // Environment defaults to the simulator only when no credentials are configured anywhere.
  const sensepassRaw = asRecord(raw.sensepass);
  const anyCredentials =
    sensepassRaw?.credentials !== undefined ||
    Object.values(asRecord(raw.clients) ?? {}).some((c) => asRecord(c)?.sensepass !== undefined);
  if (sensepassRaw?.environment === undefined && anyCredentials) {
    raw = deepMerge(raw, { sensepass: { environment: 'sandbox' } });
  }

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(describeIssue(issue));
    throw configError(problems);
  }
  const resolved = resolveSecrets(parsed.data, env, cwd, [], problems) as Unref<ParsedConfig>;
  const sp = resolved.sensepass;
  if (sp.environment !== 'simulator' && !anyCredentials) {
    problems.push(`sensepass.environment is "${sp.environment}" but no SensePass credentials are configured (sensepass.credentials or clients.<id>.sensepass)`);
  }
  if (sp.callbacks && resolved.server.publicUrl === undefined) {
    problems.push('sensepass.callbacks is true but server.publicUrl is not set: SensePass needs a public address to call');
  }
  if (sp.callbacks && sp.hmacSecret === undefined && sp.environment !== 'simulator') {
    problems.push('sensepass.callbacks is true but sensepass.hmacSecret is not set: callbacks could not be verified');
  }
  if (problems.length > 0) throw configError(problems);

  const usesSimulator = sp.environment === 'simulator';
  const simBase = `http://${resolved.simulator.host}:${resolved.simulator.port}`;
  const restBaseUrl = trimSlash(sp.restBaseUrl ?? (usesSimulator ? `${simBase}/api` : HOSTS[sp.environment].rest));
  const socketUrl = trimSlash(
    sp.socketUrl ?? (usesSimulator ? new URL(restBaseUrl).origin : HOSTS[sp.environment as 'sandbox' | 'production'].socket),
  );
  const config: Config = {
    ...resolved,
    paths: {
      mappings: path.resolve(cwd, resolved.paths.mappings),
      wsdl: path.resolve(cwd, resolved.paths.wsdl),
      data: path.resolve(cwd, resolved.paths.data),
    },
    derived: {
      restBaseUrl,
      socketUrl,
      usesSimulator,
      embedSimulator: usesSimulator && sp.restBaseUrl === undefined,
      journalFile: path.resolve(cwd, resolved.journal.file ?? path.join(resolved.paths.data, 'journal.sqlite')),
      defaultCredentials: sp.credentials ?? (usesSimulator ? DEMO_CREDENTIALS : undefined),
    },
  };
  return deepFreeze(config);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw gwError('GW_CONFIG_FILE_UNREADABLE', { path: file });
  }
  try {
    const value: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return asRecord(value) ?? {};
  } catch (err) {
    throw configError([`${file}: ${(err as Error).message.split('\n')[0]}`]);
  }
}

/** SPGW_SERVER__PORT=9090 → { server: { port: "9090" } }; segments match keys ignoring case and underscores. */
function envOverrides(env: NodeJS.ProcessEnv, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = envPaths(ConfigSchema, []);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || name === 'SPGW_CONFIG' || value === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).split('__');
    const keyPath = matchPath(segments, known);
    if (keyPath === undefined) {
      const suggestion = didYouMean(name, known.map((p) => ENV_PREFIX + p.map(toEnvSegment).join('__')));
      problems.push(`environment variable ${name} is not a configuration key${suggestion}`);
      continue;
    }
    const parsedValue = value.startsWith('{') || value.startsWith('[') ? safeJson(value) : value;
    let cursor = out;
    keyPath.forEach((key, i) => {
      if (i === keyPath.length - 1) cursor[key] = parsedValue;
      else cursor = (cursor[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

const toEnvSegment = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const norm = (s: string) => s.replace(/_/g, '').toLowerCase();

function matchPath(segments: string[], known: string[][]): string[] | undefined {
  return known.find((p) => p.length === segments.length && p.every((k, i) => norm(k) === norm(segments[i] ?? '')));
}

/** Every settable key path (objects are also settable whole, as JSON). */
function envPaths(schema: z.ZodType, prefix: string[]): string[][] {
  const shape = objectShape(schema);
  if (shape === undefined) return [prefix];
  const out: string[][] = prefix.length > 0 ? [prefix] : [];
  for (const [key, child] of Object.entries(shape)) out.push(...envPaths(child, [...prefix, key]));
  return out;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: z.ZodType = schema;
  for (let i = 0; i < 8; i++) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
    if (def.type === 'object') return def.shape;
    const inner = def.innerType ?? def.in;
    if (inner === undefined) return undefined;
    s = inner;
  }
  return undefined;
}

function shapeAt(pathKeys: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let shape = objectShape(ConfigSchema);
  for (const key of pathKeys) {
    if (shape === undefined) return undefined;
    const child = shape[String(key)];
    if (child === undefined) return undefined; // inside a record: keys are free
    shape = objectShape(child);
  }
  return shape;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(shapeAt(issue.path) ?? {});
    return issue.keys
      .map((k) => `${issue.path.length > 0 ? `${where}.` : ''}${k}: unknown key${didYouMean(k, known)}`)
      .join('\n');
  }
  return `${where}: ${issue.message}`;
}

function resolveSecrets(value: unknown, env: NodeJS.ProcessEnv, cwd: string, at: string[], problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, env, cwd, [...at, String(i)], problems));
  const rec = asRecord(value);
  if (rec === undefined) return value;
  const keys = Object.keys(rec);
  if (keys.length === 1 && keys[0] === 'env' && typeof rec.env === 'string') {
    const v = env[rec.env];
    if (v === undefined || v === '') problems.push(`${at.join('.')}: environment variable ${rec.env} is not set`);
    return v ?? '';
  }
  if (keys.length === 1 && keys[0] === 'file' && typeof rec.file === 'string') {
    try {
      return readFileSync(path.resolve(cwd, rec.file), 'utf8').trim();
    } catch {
      problems.push(`${at.join('.')}: secret file ${rec.file} cannot be read`);
      return '';
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = resolveSecrets(rec[k], env, cwd, [...at, k], problems);
  return out;
}

function configError(problems: string[]) {
  const list = problems.flatMap((p) => p.split('\n'));
  return gwError('GW_CONFIG_INVALID', { detail: `${list.length} problem(s):\n  - ${list.join('\n  - ')}` });
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function deepMerge(base: Record<string, unknown>, over: unknown): Record<string, unknown> {
  const o = asRecord(over);
  if (o === undefined) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(o)) {
    const b = asRecord(out[k]);
    out[k] = b !== undefined && asRecord(v) !== undefined ? deepMerge(b, v) : v;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
