// The gateway as a real child process (`node --import tsx src/main.ts`), configured only through SPGW_* variables,
// in front of a simulator running in the test process: for crash (SIGKILL) and graceful-stop (SIGTERM) tests.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { ROOT, sleep } from './e2e.js';

export interface ChildGateway {
  readonly url: string;
  readonly soapUrl: string;
  readonly proc: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

export interface ChildGatewayOptions {
  readonly sim: RunningSimulator;
  readonly dataDir: string;
  /** Reuse a port (restart on the same address, as a POS would expect). */
  readonly port?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Do not wait for /readyz (the start is expected to fail). */
  readonly expectFailure?: boolean;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export async function startChildGateway(options: ChildGatewayOptions): Promise<ChildGateway> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SPGW_SENSEPASS__REST_BASE_URL: options.sim.restBaseUrl,
    SPGW_SENSEPASS__SOCKET_URL: options.sim.url,
    SPGW_SERVER__PORT: String(port),
    SPGW_ADMIN__PORT: '0',
    SPGW_SERVER__HOST: '127.0.0.1',
    SPGW_PATHS__DATA: options.dataDir,
    SPGW_LOG__LEVEL: 'warn',
    ...options.env,
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const child: ChildGateway = { url, soapUrl: `${url}/soap/acme-pos`, proc, exited, output: () => out };
  if (options.expectFailure === true) return child;

  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + 30_000;
  while (Date.now() < until && !gone) {
    try {
      const res = await fetch(`${url}/readyz`);
      await res.text();
      if (res.status === 200) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`child gateway did not become ready:\n${out}`);
}

/** SIGKILL (no shutdown code runs) and wait for the exit. */
export async function crash(child: ChildGateway): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.exited;
}
