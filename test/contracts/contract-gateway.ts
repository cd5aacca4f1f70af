// What every third-party contract's end-to-end test shares: a gateway serving that contract's WSDL and mappings
// against the simulator (approving at once), and one run of the contract's Python zeep client, read as JSON.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

export type ZeepRun = Record<string, Record<string, unknown> | string | undefined>;

export function contractDir(name: string): string {
  return path.resolve(import.meta.dirname, name);
}

/** The gateway on `test/contracts/<name>/{wsdl,mappings}`, with the test's own extra configuration. */
export async function startContractGateway(name: string, options: { config?: Record<string, unknown>; logLevel?: 'debug' } = {}): Promise<TestGateway> {
  const dir = contractDir(name);
  const gw = await startTestGateway({
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    config: { ...options.config, paths: { wsdl: path.join(dir, 'wsdl'), mappings: path.join(dir, 'mappings') } },
  });
  await gw.sim.control.setRules([{ then: 'approve', afterMs: 50 }]);
  return gw;
}

/** Runs `test/contracts/<name>/zeep/<script>` with Debian's python3 and zeep; its JSON answer, `error` included. */
export async function runZeep(name: string, script: string, args: readonly string[]): Promise<ZeepRun> {
  const file = path.join(contractDir(name), 'zeep', script);
  const { stdout } = await promisify(execFile)('/usr/bin/python3', [file, ...args], { encoding: 'utf8', timeout: 90_000 });
  return JSON.parse(stdout) as ZeepRun;
}
