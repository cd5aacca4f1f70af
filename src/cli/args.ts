// Minimal argv parsing for the CLI: positional arguments, --name value options and --flag switches.
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, string>;
  /** Switches given without a value (`--force`, `--help`). */
  readonly flags: ReadonlySet<string>;
}

const VALUE_OPTIONS = new Set(['config', 'mappings', 'wsdl', 'original', 'out']);
const FLAG_OPTIONS = new Set(['force', 'help']);

export function parseArgs(argv: readonly string[]): ParsedArgs | { error: string } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (FLAG_OPTIONS.has(name) && inline === undefined) {
      flags.add(name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return { error: `unknown option --${name}` };
    const value = inline ?? argv[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    options.set(name, value);
  }
  return { positional, options, flags };
}
