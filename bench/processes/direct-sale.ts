// B1's baseline: the least a direct JSON integration must do for one payment — init, subscribe to tr_<n>,
// read once after subscribing (the approval may come before the socket), wait for a final status, commit.
import { io } from 'socket.io-client';
import { DEMO_DEVICE_ID } from '../../src/simulator/demo-merchant.js';

interface Entity {
  readonly TransactionNumber: string;
  readonly status: number;
  readonly amount?: string;
  readonly paymentCommit?: { readonly commitLink?: string };
}

const isFinal = (status: number): boolean => status >= 5 && status <= 9;

async function json(url: string, init?: RequestInit): Promise<Entity> {
  const res = await fetch(url, init);
  const body = (await res.json()) as Entity;
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  return body;
}

function readStatus(restBaseUrl: string, n: string): Promise<Entity> {
  return json(`${restBaseUrl}/transactions/${n}?deviceId=${DEMO_DEVICE_ID}`);
}

function waitFinal(restBaseUrl: string, socketUrl: string, n: string): Promise<Entity> {
  return new Promise((resolve, reject) => {
    const socket = io(socketUrl, { forceNew: true, transports: ['websocket'], reconnection: false, query: { id: `tr_${n}` } });
    let done = false;
    const settle = (entity: Entity | undefined, err?: unknown): void => {
      if (done || (entity !== undefined && !isFinal(entity.status))) return;
      done = true;
      socket.close();
      if (entity !== undefined) resolve(entity);
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    socket.on('message', (payload: unknown) => {
      const entity = (typeof payload === 'string' ? JSON.parse(payload) : payload) as Entity;
      settle(entity);
    });
    socket.on('connect', () => {
      readStatus(restBaseUrl, n).then((e) => settle(e), (err: unknown) => settle(undefined, err));
    });
    socket.on('connect_error', (err) => settle(undefined, err));
  });
}

export interface DirectSaleResult {
  readonly entity: Entity;
  /** The commit, still running when the outcome is known (like the gateway, it is not part of the latency). */
  readonly commit: Promise<void>;
}

export async function directSale(
  restBaseUrl: string, socketUrl: string, terminal: string, receipt: string, amountCents: number,
): Promise<DirectSaleResult> {
  const init = await json(`${restBaseUrl}/transactions/init`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      amount: amountCents, isCent: true, currency: 'USD', timeOut: 100, deviceId: DEMO_DEVICE_ID,
      posData: { terminal, receipt },
    }),
  });
  const entity = isFinal(init.status) ? init : await waitFinal(restBaseUrl, socketUrl, init.TransactionNumber);
  const link = entity.paymentCommit?.commitLink;
  const commit = entity.status === 5 && link !== undefined
    ? fetch(link).then(async (r) => { await r.arrayBuffer(); if (!r.ok) throw new Error(`commit HTTP ${r.status}`); })
    : Promise.resolve();
  return { entity, commit };
}
