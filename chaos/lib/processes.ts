// The two servers of a chaos run, each its own process: the simulator (it outlives every gateway kill, as
// SensePass would) and the gateway, killed with SIGKILL and restarted on the same port and data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { freePort, REPO, spawnTs, stop, waitReady } from '../../bench/lib/children.js';
import { SimulatorControl } from '../../src/simulator/control-client.js';

export interface SimulatorProcess {
  readonly url: string;
  readonly restBaseUrl: string;
  readonly control: SimulatorControl;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(seed: string): Promise<SimulatorProcess> {
  const port = await freePort();
  const child = spawnTs('src/simulator/main.ts', [], {
    label: 'simulator',
    env: {
      SPGW_SIMULATOR__PORT: String(port),
      SPGW_SIMULATOR__HOST: '127.0.0.1',
      SPGW_SIMULATOR__APPROVE_AFTER_MS: '0', // only the run's rules decide
      SPGW_SIMULATOR__SEED: seed, // seeded fault decisions
      SPGW_LOG__LEVEL: 'warn',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/_sim/stats`, child);
  return { url, restBaseUrl: `${url}/api`, control: new SimulatorControl(url), stop: () => stop(child) };
}

export interface GatewaySettings {
  readonly sim: SimulatorProcess;
  readonly dataDir: string;
  readonly socketMode: 'transaction' | 'device';
  /** sensepass.requestTimeoutMs: the late-answer faults are set beyond it. */
  readonly requestTimeoutMs: number;
}

/** One gateway at a fixed address; `kill9()` and `start()` again reuse the address and the journal. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  private port = 0;
  readonly logFile: string;

  constructor(private readonly s: GatewaySettings) {
    this.logFile = path.join(s.dataDir, 'gateway.log');
  }

  get soapUrl(): string {
    return `http://127.0.0.1:${this.port}/soap/acme-pos`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/main.ts')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SPGW_SERVER__HOST: '127.0.0.1',
        SPGW_SERVER__PORT: String(this.port),
        SPGW_ADMIN__PORT: '0',
        // Still the simulator environment (no real money), but the separate simulator process, not an embedded one.
        SPGW_SENSEPASS__REST_BASE_URL: this.s.sim.restBaseUrl,
        SPGW_SENSEPASS__SOCKET_URL: this.s.sim.url,
        SPGW_SENSEPASS__SOCKET_MODE: this.s.socketMode,
        SPGW_SENSEPASS__REQUEST_TIMEOUT_MS: String(this.s.requestTimeoutMs),
        SPGW_SENSEPASS__COMMIT_RETRY_MS: '2000',
        SPGW_PATHS__DATA: this.s.dataDir,
        SPGW_LOG__LEVEL: 'warn',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    await waitReady(`http://127.0.0.1:${this.port}/readyz`, child, 120_000);
  }

  /** kill -9: no shutdown code runs, requests in flight lose their connection. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    if (this.child !== undefined) await stop(this.child, 10_000);
  }
}
