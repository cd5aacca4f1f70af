// Allow-list patterns compiled once: mapping ids (`acme-pos.*`) and pass-through paths (`/api*/transactions/{n}`,
// optionally `PATCH /api/transactions/{n}`). `*` is any run of characters within one segment, `**` anything;
// a leading `!` denies. A target is allowed when some allow pattern matches and no deny pattern does.

/** What a request asks for: a mapping id, or `METHOD /prefix/canonical/path` for pass-through calls. */
export type Target = { readonly kind: 'mapping'; readonly id: string } | { readonly kind: 'path'; readonly method: string; readonly path: string };

interface Pattern {
  readonly deny: boolean;
  readonly kind: 'mapping' | 'path';
  readonly method: string | undefined;
  readonly re: RegExp;
}

export interface AllowList {
  allows(target: Target): boolean;
}

const METHOD = /^(GET|POST|PATCH) (\/.*)$/;

/** Throws Error(message) for a pattern that cannot be compiled (config validation reports it). */
export function compileAllowList(patterns: readonly string[]): AllowList {
  const compiled = patterns.map(compilePattern);
  return Object.freeze({
    allows(target: Target): boolean {
      let allowed = false;
      for (const p of compiled) {
        if (!matches(p, target)) continue;
        if (p.deny) return false;
        allowed = true;
      }
      return allowed;
    },
  });
}

/** Why a pattern cannot be compiled, or undefined when it can (config validation uses it). */
export function patternProblem(raw: string): string | undefined {
  try {
    compilePattern(raw);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function compilePattern(raw: string): Pattern {
  const deny = raw.startsWith('!');
  const text = (deny ? raw.slice(1) : raw).trim();
  const m = METHOD.exec(text);
  if (m === null && /^(GET|POST|PATCH)\s/.test(text)) throw new Error(`allow pattern "${raw}": a method only goes with a path such as /api/transactions/{n}`);
  const body = m !== null ? (m[2] as string) : text;
  const kind = body.startsWith('/') ? 'path' : 'mapping';
  if (body === '' || /\s/.test(body)) throw new Error(`allow pattern "${raw}" is empty or contains spaces`);
  if (m !== null && kind !== 'path') throw new Error(`allow pattern "${raw}": a method only goes with a path`);
  return { deny, kind, method: m?.[1], re: globToRegExp(body) };
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function matches(p: Pattern, target: Target): boolean {
  if (p.kind !== target.kind) return false;
  if (target.kind === 'mapping') return p.re.test(target.id);
  if (p.method !== undefined && p.method !== target.method) return false;
  return p.re.test(target.path);
}
