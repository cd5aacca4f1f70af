#!/usr/bin/env node
// The operator's command line: `check` validates everything before a deploy, `try` runs a mapping offline,
// `scaffold` starts mappings from a WSDL.
import { parseArgs } from './args.js';
import { runCheck, type CliIo } from './check.js';
import { runScaffold } from './scaffold.js';
import { runTry } from './try.js';

const HELP = `sensepass-gateway <command>

  check [--config file] [--mappings dir] [--wsdl dir]
      Validate the configuration, every WSDL and every mapping; lists all problems, exits 1 on any error.
  try <mapping-id-or-file> <request.xml> [transaction-or-upstream.json] [--original original.json]
      Print the SensePass call the mapping would make and the reply it would send. No network.
  scaffold <wsdl-dir> [--out dir] [--force]
      Write one mapping skeleton per WSDL operation, listing every request and reply element.

  sensepass-gateway <command> --help shows a command's options (docs/cli.md has them all).`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  if ('error' in args) {
    io.err(args.error);
    return 2;
  }
  switch (command) {
    case 'check':
      return runCheck(args, io);
    case 'try':
      return runTry(args, io);
    case 'scaffold':
      return runScaffold(args, io);
    case undefined:
    case 'help':
    case '--help':
      io.out(HELP);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command "${command}"\n${HELP}`);
      return 2;
  }
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
