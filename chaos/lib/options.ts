// Command-line options of `npm run chaos`: bounded in count (sales, POSes, kills) and reproducible by seed.

export interface ChaosOptions {
  readonly sales: number;
  readonly poses: number;
  readonly kills: number;
  readonly seed: string;
  /** Gateway Socket.IO subscription mode. */
  readonly socketMode: 'transaction' | 'device';
  /** A hard stop for the whole run; POSes still waiting then count as "no definitive answer". */
  readonly maxMinutes: number;
}

const USAGE = `usage: npm run chaos -- [--sales N] [--poses N] [--kills N] [--seed S] [--socket-mode transaction|device] [--max-minutes M]
  --sales        Sales in total, spread over the POSes (default 1000)
  --poses        POSes sending at once, one Sale at a time each (default 30)
  --kills        kill -9 of the gateway during the run, each followed by a restart on the same data directory (default 2)
  --seed         seed of every random choice (POS behaviour, amounts, simulator faults) (default "chaos")
  --socket-mode  the gateway's sensepass.socketMode (default transaction)
  --max-minutes  hard bound of the run (default 8)`;

export function parseOptions(argv: readonly string[]): ChaosOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null) fail(`unknown argument "${arg}"`);
    const name = m[1] as string;
    const value = m[2] ?? argv[++i];
    if (value === undefined) fail(`--${name} needs a value`);
    values.set(name, value);
  }
  for (const name of values.keys()) {
    if (!['sales', 'poses', 'kills', 'seed', 'socket-mode', 'max-minutes'].includes(name)) fail(`unknown option --${name}`);
  }
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = values.get(name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const mode = values.get('socket-mode') ?? 'transaction';
  if (mode !== 'transaction' && mode !== 'device') fail('--socket-mode must be transaction or device');
  return Object.freeze({
    sales: int('sales', 1000, 1, 20_000),
    poses: int('poses', 30, 1, 500),
    kills: int('kills', 2, 0, 20),
    seed: values.get('seed') ?? 'chaos',
    socketMode: mode,
    maxMinutes: int('max-minutes', 8, 1, 60),
  });
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
