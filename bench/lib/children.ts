// Every bench process (gateway, simulator, load generators) is spawned here and killed here, even on error or
// Ctrl-C, so a failed run never leaves a server holding ports or file descriptors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const live = new Set<ChildProcess>();

export interface SpawnOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node flags (e.g. --expose-gc). */
  readonly nodeFlags?: readonly string[];
  /** An IPC channel for results (load generators). */
  readonly ipc?: boolean;
  /** Prefix for the child's stderr lines, shown on the console. */
  readonly label: string;
}

/** Runs a TypeScript file with `node --import tsx` (no npx/tsx wrapper, so the pid is the process we measure). */
export function spawnTs(file: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', path.resolve(REPO, file), ...args], {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', ...(options.ipc === true ? (['ipc'] as const) : [])],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim() !== '') process.stderr.write(`  [${options.label}] ${line.slice(0, 500)}\n`);
  });
  return child;
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stop(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Kills every child still running (used in finally blocks and on signals). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stop(c, 2_000)));
}

/** Last-resort synchronous kill when the orchestrator itself exits. */
export function killAllNow(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** A free loopback port (closed again before use; the race is acceptable on a bench machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls url until it answers 200 (or the child exits, or timeoutMs passes). */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: process exited (${child.exitCode ?? child.signalCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** Runs a load-generator child to completion and returns the one result it sends over IPC. */
export async function runForResult<T>(file: string, input: unknown, label: string, env: Record<string, string> = {}): Promise<T> {
  const child = spawnTs(file, [JSON.stringify(input)], { ipc: true, label, env });
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    child.on('message', (m) => {
      const msg = m as { result?: T; error?: string };
      if (msg.error !== undefined) reject(new Error(`${label}: ${msg.error}`));
      else result = msg.result;
    });
    child.once('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`${label} exited with ${code} and no result`));
    });
  });
}
