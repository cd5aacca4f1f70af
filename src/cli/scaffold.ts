// `sensepass-gateway scaffold <wsdl-dir>`: one mapping skeleton per operation of a POS contract, so an author starts
// from every element of the request and reply instead of from the WSDL. Never overwrites a file without --force.
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isGatewayError } from '../errors.js';
import { loadServices } from '../ingress/wsdl-folders.js';
import { loadSoapService } from '../ingress/wsdl-service.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './check.js';
import { kebab, scaffoldText, type ScaffoldTarget } from './scaffold-template.js';

const USAGE = 'usage: sensepass-gateway scaffold <wsdl-dir> [--out <dir>] [--force]   (--help for details)';

export async function runScaffold(args: ParsedArgs, io: CliIo): Promise<number> {
  const [dirArg, ...extra] = args.positional;
  const foreign = [...args.options.keys()].find((o) => o !== 'out');
  if (dirArg === undefined || extra.length > 0 || foreign !== undefined) {
    if (foreign !== undefined) io.err(`scaffold does not take --${foreign}`);
    io.err(USAGE);
    return 2;
  }
  const dir = path.resolve(io.cwd, dirArg);
  const out = path.resolve(io.cwd, args.options.get('out') ?? 'mappings');
  const targets = await targetsIn(dir, io);
  if (targets === undefined) return 1;

  const files = targets.map((t) => ({ t, file: path.join(out, t.posSystem, `${kebab(t.operation.name)}.yaml`) }));
  const existing: string[] = [];
  for (const { file } of files) if (await exists(file)) existing.push(file);
  if (existing.length > 0 && !args.flags.has('force')) {
    io.err(`scaffold: ${existing.length} file(s) already exist; nothing was written (--force overwrites them):`);
    for (const f of existing) io.err(`  ${path.relative(io.cwd, f)}`);
    return 1;
  }
  for (const { t, file } of files) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, scaffoldText(t), 'utf8');
    io.out(`wrote ${path.relative(io.cwd, file)}   (${t.service.name}.${t.operation.name})`);
  }
  io.out(`${files.length} skeleton(s); replace every $TODO, then run: npx sensepass-gateway check`);
  return 0;
}

/** The operations of one WSDL folder, or of every folder under a wsdl/ root; undefined (reported) when unloadable. */
async function targetsIn(dir: string, io: CliIo): Promise<ScaffoldTarget[] | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    io.err(`scaffold: ${dir} cannot be read`);
    return undefined;
  }
  const root = names.some((n) => n.toLowerCase().endsWith('.wsdl')) ? undefined : dir;
  const targets: ScaffoldTarget[] = [];
  if (root === undefined) {
    try {
      const service = await loadSoapService(dir);
      for (const operation of service.operations.values()) targets.push({ posSystem: path.basename(dir), service, operation });
    } catch (err) {
      io.err(`scaffold: ${isGatewayError(err) ? err.message : 'the WSDL cannot be loaded'}`);
      return undefined;
    }
  } else {
    const loaded = await loadServices(root);
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) io.err(`scaffold: ${p.split(`${root}${path.sep}`).join('')}`);
      return undefined;
    }
    for (const [posSystem, service] of loaded.byFolder) {
      for (const operation of service.operations.values()) targets.push({ posSystem, service, operation });
    }
  }
  if (targets.length === 0) io.err(`scaffold: no WSDL with operations found in ${path.relative(io.cwd, dir) || '.'}`);
  return targets.length === 0 ? undefined : targets;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
