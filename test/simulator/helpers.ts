// Shared helpers for the simulator tests: REST calls, Socket.IO listeners and polling, all on real loopback.
import { io, type Socket } from 'socket.io-client';
import type { TransactionEntity } from '../../src/exchange/call/transaction.js';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  ms: number;
}

export async function call<T = Record<string, unknown>>(sim: RunningSimulator, method: string, path: string, body?: unknown, raw?: string): Promise<Answer<T>> {
  const t0 = performance.now();
  const res = await fetch(`${sim.restBaseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T, ms: performance.now() - t0 };
}

export async function init(sim: RunningSimulator, extra: Record<string, unknown> = {}): Promise<TransactionEntity> {
  const a = await call<TransactionEntity>(sim, 'POST', '/transactions/init', { amount: 1250, isCent: true, currency: 'USD', deviceId: DEMO_DEVICE_ID, ...extra });
  if (a.status !== 200) throw new Error(`init failed: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}

export interface Listener {
  socket: Socket;
  events: TransactionEntity[];
  disconnectReasons: string[];
  close(): void;
}

/** A Socket.IO client in room `id` (tr_<n> or id_<deviceId>), resolved once connected. */
export async function listen(sim: RunningSimulator, id: string): Promise<Listener> {
  const socket = io(sim.url, { query: { id }, transports: ['websocket'], reconnection: false, forceNew: true });
  const l: Listener = { socket, events: [], disconnectReasons: [], close: () => socket.close() };
  socket.on('message', (m: TransactionEntity) => l.events.push(m));
  socket.on('disconnect', (reason) => l.disconnectReasons.push(reason));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  // Joining the room happens in the server's connection handler; one round trip makes sure it ran.
  await sim.control.stats();
  return l;
}

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
