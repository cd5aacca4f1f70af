#!/usr/bin/env node
// The operator's command line: `check` validates everything before a deploy, `try` runs a mapping offline,
// `scaffold` starts mappings from a WSDL.
import { parseArgs } from './args.js';
import type { CliIo } from './check.js';
import { COMMANDS, commandHelp, overviewHelp } from './commands.js';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic === undefined ? overviewHelp() : commandHelp(topic));
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`unknown command "${name}"\n${overviewHelp()}`);
    return 2;
  }
  const args = parseArgs(rest, command.spec);
  if ('error' in args) {
    io.err(`${command.name}: ${args.error}`);
    return 2;
  }
  if (args.flags.has('help')) {
    io.out(commandHelp(command));
    return 0;
  }
  return command.run(args, io);
}

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  env: process.env,
};
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sensepass-gateway: ${err instanceof Error ? err.message : 'failed'}\n`);
    process.exitCode = 1;
  },
);
