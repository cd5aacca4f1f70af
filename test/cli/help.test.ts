// Every CLI command answers --help with its usage and every option it accepts (printed from one command table).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const cli = (args: string[]) =>
  run(path.join(REPO, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], { cwd: REPO, env: { ...process.env, SPGW_CONFIG: '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('sensepass-gateway --help', () => {
  it('has check and try, each declaring the options it accepts', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['check', 'try']));
    for (const c of COMMANDS) {
      const documented = c.options.map((o) => o.flag).join(' ');
      for (const name of [...c.spec.values, ...c.spec.flags]) expect(documented, `${c.name} --${name}`).toContain(`--${name}`);
    }
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help (and -h, help <command>) prints the usage and every option, exit 0', async (name) => {
    const command = COMMANDS.find((c) => c.name === name)!;
    const [long, short, topic] = await Promise.all([cli([name, '--help']), cli([name, '-h']), cli(['help', name])]);
    for (const r of [long, short, topic]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`usage: sensepass-gateway ${name}`);
      for (const o of command.options) expect(r.stdout).toContain(o.flag);
    }
    expect(short.stdout).toBe(long.stdout);
    expect(topic.stdout).toBe(long.stdout);
  }, 60_000);

  it('the overview lists every command; an option a command does not take is a usage error (exit 2)', async () => {
    const [overview, wrong] = await Promise.all([cli(['--help']), cli(['check', '--original', 'x.json'])]);
    expect(overview.code).toBe(0);
    for (const c of COMMANDS) expect(overview.stdout).toContain(`  ${c.name}`);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('check: unknown option --original (see --help)');
  }, 60_000);
});
