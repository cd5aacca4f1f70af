// The CLI's commands in one table: name, usage, every option with its meaning, and how to run it. `--help` and the
// top-level help are printed from this table, so an option cannot exist without being documented.
import type { ArgSpec, ParsedArgs } from './args.js';
import { runCheck, type CliIo } from './check.js';
import { runScaffold } from './scaffold.js';
import { runTry } from './try.js';

export interface CommandOption {
  /** "--mappings <dir>" */
  readonly flag: string;
  readonly text: string;
}

export interface Command {
  readonly name: string;
  /** Arguments after the command name, e.g. "<mapping-id-or-file> <request.xml> [answer.json]". */
  readonly args: string;
  readonly summary: string;
  /** Longer explanation printed by --help. */
  readonly details: readonly string[];
  readonly options: readonly CommandOption[];
  readonly spec: ArgSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

const CONFIG: CommandOption = { flag: '--config <file>', text: 'configuration file (default: $SPGW_CONFIG, else the built-in defaults)' };
const MAPPINGS: CommandOption = { flag: '--mappings <dir>', text: 'mappings directory (default: paths.mappings from the configuration, else ./mappings)' };
const WSDL: CommandOption = { flag: '--wsdl <dir>', text: 'WSDL directory, one folder per POS system (default: paths.wsdl, else ./wsdl)' };
const HELP: CommandOption = { flag: '--help, -h', text: 'show this help' };

const check: Command = {
  name: 'check',
  args: '',
  summary: 'Validate the configuration, every WSDL and every mapping; lists all problems, exits 1 on any error.',
  details: [
    'Each SOAP mapping is checked against the WSDL operation it answers: reply/when/errors element names (case-',
    'sensitive, with "did you mean"), required elements, literal values and known SensePass fields against each',
    "element's XSD type, when/fault keys that can never fire, and calls that move money without an outcome.",
    'Problems are printed as file:line:col with what to write instead. Exit code: 0 (no errors), 1 (errors), 2 (usage).',
  ],
  options: [CONFIG, MAPPINGS, WSDL, HELP],
  spec: { values: ['config', 'mappings', 'wsdl'], flags: ['help'] },
  run: runCheck,
};

const tryCommand: Command = {
  name: 'try',
  args: '<mapping-id-or-file> <request.xml> [transaction-or-upstream.json]',
  summary: 'Print the SensePass call a mapping would make and the reply it would send. No network.',
  details: [
    'request.xml is the SOAP envelope (SOAP mappings) or the plain XML document (XML mappings) the POS sends.',
    'The optional JSON file is what SensePass answered: a transaction entity, or an upstream fixture',
    '{ response, httpStatus, transaction, events, error: { code, params }, originalTransaction } as in golden cases.',
    'All mappings are loaded with the same checks as `check` first; a mapping with errors is not run.',
  ],
  options: [
    { flag: '--original <original.json>', text: 'the earlier exchange a lookup finds: { key, mappingId, transactionNumber, outcome, context }' },
    CONFIG, MAPPINGS, WSDL, HELP,
  ],
  spec: { values: ['config', 'mappings', 'wsdl', 'original'], flags: ['help'] },
  run: runTry,
};

const scaffold: Command = {
  name: 'scaffold',
  args: '<wsdl-dir>',
  summary: 'Write one mapping skeleton per WSDL operation, listing every request and reply element.',
  details: [
    '<wsdl-dir> is a wsdl/<pos-system>/ folder holding one .wsdl, or the wsdl/ root for every such folder.',
    'Skeletons go to <out>/<pos-system>/<operation>.yaml with $TODO placeholders that check and start-up refuse',
    'until replaced. Existing files are never overwritten without --force (nothing is written then).',
  ],
  options: [
    { flag: '--out <dir>', text: 'mappings directory to write under (default: ./mappings)' },
    { flag: '--force', text: 'overwrite skeletons that already exist' },
    HELP,
  ],
  spec: { values: ['out'], flags: ['force', 'help'] },
  run: runScaffold,
};

/** Every command, in help order. New commands add one entry here. */
export const COMMANDS: readonly Command[] = [check, tryCommand, scaffold];

export function usageLine(c: Command): string {
  return `sensepass-gateway ${c.name}${c.args === '' ? '' : ` ${c.args}`} [options]`;
}

/** `<command> --help`: usage, what it does, every option. */
export function commandHelp(c: Command): string {
  const width = Math.max(...c.options.map((o) => o.flag.length));
  return [
    `usage: ${usageLine(c)}`,
    '',
    c.summary,
    ...c.details,
    '',
    'options:',
    ...c.options.map((o) => `  ${o.flag.padEnd(width)}  ${o.text}`),
  ].join('\n');
}

/** The top-level help: every command with its usage and summary. */
export function overviewHelp(): string {
  return [
    'usage: sensepass-gateway <command> [options]',
    '',
    ...COMMANDS.flatMap((c) => [`  ${c.name}${c.args === '' ? '' : ` ${c.args}`}`, `      ${c.summary}`]),
    '',
    'Run `sensepass-gateway <command> --help` for the options of a command.',
  ].join('\n');
}
