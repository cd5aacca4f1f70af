// POST /transactions — fetch many (reference §6.3): date range, status/currency, paging, orderBy, filter[].
import type { Router } from 'express';
import { canSee, type CredentialRegistry } from '../credentials.js';
import type { Engine } from '../engine.js';
import type { SimTransaction } from '../model.js';
import { simError } from '../sim-errors.js';
import { STATUS_ENUM_NAMES } from '../status.js';
import { bodyOf, credentialFields, optString, type Body } from './input.js';
import { readPath } from '../read-path.js';

const OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const invalid = (detail: string) => simError('SIM_INVALID_INPUT', { detail });

export function listRoutes(router: Router, engine: Engine, registry: CredentialRegistry): void {
  router.post('/transactions', (req, res) => {
    const body = bodyOf(req);
    const identity = registry.authenticate(credentialFields(req, body));
    const start = dateField(body, 'startDate');
    const end = dateField(body, 'endDate');
    const statusFilter = statusPredicate(body.status, engine);
    const currency = optString(body, 'currency')?.toUpperCase();
    const { limit, offset } = pagination(body.pagination);
    const orderBy = optString(body, 'orderBy') ?? 'date';
    const direction = optString(body, 'orderDirection')?.toLowerCase() === 'desc' ? -1 : 1;
    const filters = filterList(body.filter);

    const rows = engine.store
      .all()
      .filter((tx) => canSee(identity, tx.branch) && tx.createdAt >= start && tx.createdAt <= end)
      .filter((tx) => statusFilter(tx) && (currency === undefined || tx.currency === currency))
      .map((tx) => engine.entity(tx) as Record<string, unknown>)
      .filter((e) => filters.every((f) => f(e)))
      .sort((a, b) => direction * compare(a[orderBy], b[orderBy]));
    const page = rows.slice(offset, offset + limit);
    res.json({
      pagination: { returnedRecords: page.length, totalRecords: rows.length, isPartialResult: String(offset + page.length < rows.length), limit, offset },
      data: page,
    });
  });
}

function dateField(body: Body, key: string): number {
  const v = body[key];
  if (v === undefined || v === null) throw invalid(`${key} is required`);
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw invalid(`${key} must be an ISO date`);
  return t;
}

/** A status code, an enum name, or the settlement words settled / expired / voided. */
function statusPredicate(raw: unknown, engine: Engine): (tx: SimTransaction) => boolean {
  if (raw === undefined || raw === null || raw === '') return () => true;
  const word = typeof raw === 'string' ? raw.trim() : raw;
  if (word === 'settled') return (tx) => tx.approvedAt !== undefined && tx.status === 5 && engine.now() >= tx.approvedAt + engine.settings.commitWindowSeconds * 1000;
  if (word === 'expired') return (tx) => tx.status === 8;
  if (word === 'voided') return (tx) => tx.status === 9 || tx.reversed;
  const code = typeof word === 'number' ? word : /^\d+$/.test(String(word)) ? Number(word) : Number(Object.entries(STATUS_ENUM_NAMES).find(([, n]) => n === word)?.[0] ?? Number.NaN);
  if (!Number.isInteger(code)) throw invalid('status must be a status code, a status name, or settled / expired / voided');
  return (tx) => tx.status === code;
}

function pagination(raw: unknown): { limit: number; offset: number } {
  if (raw === undefined || raw === null) return { limit: 100, offset: 0 };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('pagination must be an object');
  const p = raw as Body;
  const num = (v: unknown, def: number): number => {
    if (v === undefined || v === null) return def;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid('pagination values must be whole numbers');
    return n;
  };
  const limit = num(p.limit, 100);
  const offset = num(p.offset, 0);
  if (limit < 1 || limit > 1000) throw invalid('pagination.limit must be between 1 and 1000');
  if (offset < 0) throw invalid('pagination.offset must not be negative');
  return { limit, offset };
}

type Filter = (entity: Record<string, unknown>) => boolean;

/** filter[]: `{ "<param>": <value>, "operator": "=" | "!=" | "<" | "<=" | ">" | ">=" }`; param may be a dot path. */
function filterList(raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('filter must be an array');
  return raw.map((item): Filter => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid('each filter must be an object');
    const f = item as Body;
    const op = f.operator ?? '=';
    if (typeof op !== 'string' || !OPERATORS.has(op)) throw invalid('filter operator must be one of = != < <= > >=');
    const params = Object.keys(f).filter((k) => k !== 'operator');
    if (params.length !== 1) throw invalid('each filter names exactly one parameter');
    const param = params[0] ?? '';
    const expected = f[param];
    return (entity) => {
      const c = compare(readPath(entity, param), expected);
      return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    };
  });
}

/** Numbers (and numeric strings) numerically, everything else as text. */
function compare(a: unknown, b: unknown): number {
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : Number.NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return String(a ?? '').localeCompare(String(b ?? ''));
}
