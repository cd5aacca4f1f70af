// Minimal argv parsing for the CLI: positional arguments plus --name value options.
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, string>;
}

const VALUE_OPTIONS = new Set(['config', 'mappings', 'wsdl', 'original']);

export function parseArgs(argv: readonly string[]): ParsedArgs | { error: string } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!VALUE_OPTIONS.has(name)) return { error: `unknown option --${name}` };
    const value = inline ?? argv[++i];
    if (value === undefined) return { error: `--${name} needs a value` };
    options.set(name, value);
  }
  return { positional, options };
}
