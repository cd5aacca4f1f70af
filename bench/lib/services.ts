// The servers a benchmark runs against, each in its own process: simulator, gateway (inside the probe
// wrapper) and the bare Express ceiling. Each returns its URLs and a stop().
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatorControl } from '../../src/simulator/control-client.js';
import { freePort, REPO, spawnTs, stop, waitReady } from './children.js';

export interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface SimulatorService extends Service {
  readonly restBaseUrl: string;
  readonly control: SimulatorControl;
}

export interface GatewayService extends Service {
  readonly probeUrl: string;
}

export type SocketMode = 'transaction' | 'device';

/** True once the lead's src/main.ts exists (the gateway process entry point). */
export function gatewayAvailable(): boolean {
  return existsSync(path.join(REPO, 'src/main.ts'));
}

export async function startSimulator(): Promise<SimulatorService> {
  const port = await freePort();
  const child = spawnTs('src/simulator/main.ts', [], {
    label: 'simulator',
    env: { SPGW_SIMULATOR__PORT: String(port), SPGW_SIMULATOR__HOST: '127.0.0.1', SPGW_SIMULATOR__APPROVE_AFTER_MS: '0', SPGW_LOG__LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/_sim/stats`, child);
  return { url, restBaseUrl: `${url}/api`, control: new SimulatorControl(url), child, stop: () => stop(child) };
}

/** Where the journal file lives: the machine's disk (as deployed), or tmpfs to show what fsync costs. */
export type JournalPlacement = 'disk' | 'tmpfs';

export async function startGateway(sim: SimulatorService, mode: SocketMode, journal: JournalPlacement = 'disk'): Promise<GatewayService> {
  const [port, probePort] = [await freePort(), await freePort()];
  // os.tmpdir() is on the root disk here (ext4), like the default data/ folder; /dev/shm is tmpfs.
  const dataDir = mkdtempSync(path.join(journal === 'tmpfs' ? '/dev/shm' : os.tmpdir(), 'spgw-bench-'));
  const child = spawnTs('bench/processes/gateway-probe.ts', [], {
    label: `gateway/${mode}`,
    // BENCH_GATEWAY_CPU_PROF=<dir>: a V8 CPU profile of each gateway process, to see what limits it.
    nodeFlags: ['--expose-gc', ...(process.env.BENCH_GATEWAY_CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_GATEWAY_CPU_PROF}`])],
    env: {
      SPGW_SERVER__PORT: String(port),
      SPGW_ADMIN__PORT: '0', // the metrics listener on any free port: benchmark gateways never collide on 9464
      SPGW_SERVER__HOST: '127.0.0.1',
      SPGW_SENSEPASS__REST_BASE_URL: sim.restBaseUrl,
      SPGW_SENSEPASS__SOCKET_MODE: mode,
      SPGW_PATHS__DATA: dataDir,
      SPGW_LOG__LEVEL: 'warn',
      BENCH_PROBE_PORT: String(probePort),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${url}/readyz`, child);
  } catch (err) {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    probeUrl: `http://127.0.0.1:${probePort}`,
    child,
    stop: async () => {
      await stop(child, 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The ceiling: Express answering one fixed SOAP reply (the same bytes the gateway's no-wait path answers). */
export async function startBareExpress(replyXml: string): Promise<Service> {
  const port = await freePort();
  const child = spawnTs('bench/processes/bare-express.ts', [], {
    label: 'bare-express',
    env: { BENCH_PORT: String(port), BENCH_REPLY: replyXml },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/healthz`, child);
  return { url, child, stop: () => stop(child) };
}
