// Routes SensePass status notifications (Socket.IO, callbacks) to the waits that need them. Notifications are a
// fast path only: every (re)connect asks the waits to re-read the truth by REST (see await-final.ts).
import type { Metrics } from '../../admin/metrics.js';
import type { Logger } from '../../log.js';
import { toEntity } from '../call/parse-entity.js';
import type { TransactionEntity } from '../call/transaction.js';
import { SocketConnection, type SocketOptions } from './socket-connection.js';

export type NotificationSource = 'socket' | 'callback';
export type ResyncReason = 'subscribed' | 'reconnected' | 'connect-wait-over' | 'callback';

export interface WatchListener {
  /** A notification carrying an entity for this transaction. */
  onEntity(entity: TransactionEntity, source: NotificationSource): void;
  /** The status must be read again by REST: just subscribed, reconnected, or a GET callback named it. */
  onResync(reason: ResyncReason): void;
}

export interface WatchHandle {
  close(): void;
}

export interface WatcherStats {
  readonly sockets: number;
  readonly watches: number;
  readonly timers: number;
}

export interface StatusWatcher {
  /** Device mode: opens (or keeps) the device's connection BEFORE the payment exists; resolves once connected or after the connect wait. */
  ensureDevice(deviceId: string): Promise<void>;
  /** Watches one payment; onResync('subscribed') follows once the subscription exists (or the connect wait is over). */
  watch(transactionNumber: string, listener: WatchListener, options?: { deviceId?: string | undefined }): WatchHandle;
  /** A verified callback body: handed to the waits for its transaction. false when nobody waits for it. */
  feed(entity: TransactionEntity, source: NotificationSource): boolean;
  /** A GET callback: the waits for this transaction re-read its status. */
  poke(transactionNumber: string): boolean;
  stats(): WatcherStats;
  close(): void;
}

export interface StatusWatcherOptions extends Partial<Omit<SocketOptions, 'url'>> {
  readonly url: string;
  readonly mode: 'transaction' | 'device';
  /** Device mode: an idle device connection closes after this long without watches. */
  readonly idleMs?: number;
  readonly logger: Logger;
  /** Connections and reconnects are reported here (/metrics). */
  readonly metrics?: Pick<Metrics, 'socketConnected' | 'socketDisconnected'>;
}

interface Watch {
  readonly transactionNumber: string;
  readonly listener: WatchListener;
  readonly conn: Conn;
}

interface Conn {
  readonly key: string;
  readonly socket: SocketConnection;
  readonly watches: Set<Watch>;
  /** Device connections outlive a single payment: closed after idleMs with no watch. */
  readonly shared: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

export function createStatusWatcher(options: StatusWatcherOptions): StatusWatcher {
  const socketOptions: SocketOptions = {
    url: options.url,
    minReconnectMs: options.minReconnectMs ?? 250,
    maxReconnectMs: options.maxReconnectMs ?? 5_000,
    connectWaitMs: options.connectWaitMs ?? 3_000,
    transports: options.transports ?? ['websocket', 'polling'],
  };
  const idleMs = options.idleMs ?? 60_000;
  const log = options.logger;
  const conns = new Map<string, Conn>();
  const byTransaction = new Map<string, Set<Watch>>();
  let closed = false;

  function open(key: string, shared: boolean): Conn {
    const existing = conns.get(key);
    if (existing !== undefined) return existing;
    const conn: Conn = {
      key,
      shared,
      watches: new Set(),
      idleTimer: undefined,
      socket: new SocketConnection(key, socketOptions, log, {
        onMessage: (payload) => onMessage(conn, payload),
        // Watches on a shared (device) connection get their first read from whenReady() in watch().
        onConnect: (first) => {
          options.metrics?.socketConnected(first);
          if (!first) resync(conn, 'reconnected');
          else if (!shared) resync(conn, 'subscribed');
        },
        onConnectWaitOver: () => {
          if (!shared) resync(conn, 'connect-wait-over');
        },
        onDisconnect: () => options.metrics?.socketDisconnected(),
      }),
    };
    conns.set(key, conn);
    return conn;
  }

  function closeConn(conn: Conn): void {
    if (conn.idleTimer !== undefined) clearTimeout(conn.idleTimer);
    conn.idleTimer = undefined;
    conn.socket.close();
    conns.delete(conn.key);
  }

  function release(conn: Conn): void {
    if (conn.watches.size > 0 || conns.get(conn.key) !== conn) return;
    if (!conn.shared) return closeConn(conn);
    if (conn.idleTimer !== undefined) clearTimeout(conn.idleTimer);
    conn.idleTimer = setTimeout(() => {
      conn.idleTimer = undefined;
      if (conn.watches.size === 0) closeConn(conn);
    }, idleMs);
  }

  function resync(conn: Conn, reason: ResyncReason): void {
    for (const w of [...conn.watches]) w.listener.onResync(reason);
  }

  function onMessage(conn: Conn, payload: unknown): void {
    const entity = toEntity(payload);
    if (entity === undefined) {
      // Unreadable payload: on a per-transaction room it can only be about that payment, so read it.
      log.debug({ room: conn.shared ? 'device' : conn.key.slice(0, 11) }, 'unreadable socket payload');
      if (!conn.shared) resync(conn, 'reconnected');
      return;
    }
    deliver(entity, 'socket');
  }

  function deliver(entity: TransactionEntity, source: NotificationSource): boolean {
    const set = byTransaction.get(entity.TransactionNumber);
    if (set === undefined) return false;
    for (const w of [...set]) w.listener.onEntity(entity, source);
    return true;
  }

  return {
    async ensureDevice(deviceId) {
      if (closed) return;
      const conn = open(`id_${deviceId}`, true);
      if (conn.watches.size === 0) release(conn); // (re)arms the idle close in case no payment follows
      await conn.socket.whenReady();
    },

    watch(transactionNumber, listener, watchOptions) {
      if (closed) throw new Error('status watcher is closed');
      const deviceId = watchOptions?.deviceId;
      const shared = options.mode === 'device' && deviceId !== undefined;
      const conn = open(shared ? `id_${deviceId}` : `tr_${transactionNumber}`, shared);
      if (conn.idleTimer !== undefined) clearTimeout(conn.idleTimer);
      conn.idleTimer = undefined;
      const w: Watch = { transactionNumber, listener, conn };
      conn.watches.add(w);
      let set = byTransaction.get(transactionNumber);
      if (set === undefined) byTransaction.set(transactionNumber, (set = new Set()));
      set.add(w);
      // A connection that is already up (device mode) means the subscription exists now: read once.
      if (shared) {
        void conn.socket.whenReady().then(() => {
          if (conn.watches.has(w)) listener.onResync(conn.socket.connected ? 'subscribed' : 'connect-wait-over');
        });
      }
      let done = false;
      return {
        close() {
          if (done) return;
          done = true;
          conn.watches.delete(w);
          const s = byTransaction.get(transactionNumber);
          s?.delete(w);
          if (s !== undefined && s.size === 0) byTransaction.delete(transactionNumber);
          release(conn);
        },
      };
    },

    feed: (entity, source) => deliver(entity, source),

    poke(transactionNumber) {
      const set = byTransaction.get(transactionNumber);
      if (set === undefined) return false;
      for (const w of [...set]) w.listener.onResync('callback');
      return true;
    },

    stats() {
      let timers = 0;
      for (const c of conns.values()) timers += c.socket.timers + (c.idleTimer === undefined ? 0 : 1);
      let watches = 0;
      for (const s of byTransaction.values()) watches += s.size;
      return { sockets: conns.size, watches, timers };
    },

    close() {
      closed = true;
      for (const c of [...conns.values()]) closeConn(c);
      byTransaction.clear();
    },
  };
}
