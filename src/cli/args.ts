// Minimal argv parsing for the CLI: positional arguments, --name value options and --flags (--help / -h).
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, string>;
  /** Boolean flags given, e.g. "help". */
  readonly flags: ReadonlySet<string>;
}

/** What a command accepts: options that take a value, and flags that do not. */
export interface ArgSpec {
  readonly values: readonly string[];
  readonly flags: readonly string[];
}

const ALL: ArgSpec = { values: ['config', 'mappings', 'wsdl', 'original'], flags: ['help'] };

export function parseArgs(argv: readonly string[], spec: ArgSpec = ALL): ParsedArgs | { error: string } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (spec.flags.includes(name)) {
      if (inline !== undefined) return { error: `--${name} takes no value` };
      flags.add(name);
      continue;
    }
    if (!spec.values.includes(name)) return { error: `unknown option --${name} (see --help)` };
    const value = inline ?? argv[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    options.set(name, value);
  }
  return { positional, options, flags };
}
