// One Socket.IO connection to SensePass for one room id (tr_<n> or id_<deviceId>) that stays connected:
// socket.io-client reconnects by itself after network drops, but NOT after "io server disconnect" or a refused
// handshake, so those are reconnected here explicitly, with back-off.
import { io, type Socket } from 'socket.io-client';
import type { Logger } from '../../log.js';

export interface SocketOptions {
  /** Socket.IO origin (config.derived.socketUrl). */
  readonly url: string;
  /** First reconnect delay; doubles up to maxReconnectMs, with jitter. */
  readonly minReconnectMs: number;
  readonly maxReconnectMs: number;
  /** How long to wait for the first connect before waiters stop waiting (a REST read covers the gap). */
  readonly connectWaitMs: number;
  /** Transports in order of preference; the engine falls back to the next one. */
  readonly transports: readonly ('websocket' | 'polling')[];
}

export interface ConnectionEvents {
  /** A "message" arrived; payload as sent (object or JSON string). */
  onMessage(payload: unknown): void;
  /** Connected: `first` for the initial connect, false for every reconnect (in-flight payments must be re-read). */
  onConnect(first: boolean): void;
  /** The first connect did not happen within connectWaitMs. */
  onConnectWaitOver(): void;
  /** A connection that was up went down (by the network, the server, or close()). */
  onDisconnect?(): void;
}

export class SocketConnection {
  readonly roomId: string;
  readonly #socket: Socket;
  readonly #options: SocketOptions;
  readonly #log: Logger;
  readonly #events: ConnectionEvents;
  #everConnected = false;
  #waitOver = false;
  #closed = false;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #waitTimer: NodeJS.Timeout | undefined;
  #waiters: (() => void)[] = [];

  constructor(roomId: string, options: SocketOptions, logger: Logger, events: ConnectionEvents) {
    this.roomId = roomId;
    this.#options = options;
    this.#log = logger;
    this.#events = events;
    // forceNew: the handshake query carries the room id, and a shared (multiplexed) Manager would reuse the first one's.
    this.#socket = io(options.url, {
      forceNew: true,
      query: { id: roomId },
      transports: [...options.transports],
      tryAllTransports: true,
      reconnectionDelay: options.minReconnectMs,
      reconnectionDelayMax: options.maxReconnectMs,
      timeout: Math.max(options.connectWaitMs, 1_000),
    });
    this.#socket.on('connect', this.#onConnect);
    this.#socket.on('disconnect', this.#onDisconnect);
    this.#socket.on('connect_error', this.#onConnectError);
    this.#socket.on('message', this.#onMessage);
    this.#waitTimer = setTimeout(this.#onWaitOver, options.connectWaitMs);
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Live timers (for the no-leak assertions in tests). */
  get timers(): number {
    return (this.#reconnectTimer === undefined ? 0 : 1) + (this.#waitTimer === undefined ? 0 : 1);
  }

  /** Resolves once connected, or once the first-connect wait is over (the caller falls back to REST reads). */
  whenReady(): Promise<void> {
    if (this.#everConnected || this.#waitOver || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    this.#flushWaiters();
    if (this.#socket.connected) this.#events.onDisconnect?.();
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  readonly #onConnect = (): void => {
    const first = !this.#everConnected;
    this.#everConnected = true;
    this.#attempt = 0;
    if (this.#waitTimer !== undefined) clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
    this.#flushWaiters();
    this.#log.debug({ room: this.#roomLabel(), first }, 'sensepass socket connected');
    this.#events.onConnect(first);
  };

  readonly #onDisconnect = (reason: Socket.DisconnectReason): void => {
    if (this.#closed) return;
    this.#events.onDisconnect?.();
    this.#log.debug({ room: this.#roomLabel(), reason }, 'sensepass socket disconnected');
    // Only a server-side disconnect ends the client's own reconnection loop; other reasons reconnect by themselves.
    if (reason === 'io server disconnect') this.#scheduleReconnect();
  };

  readonly #onConnectError = (): void => {
    // A handshake the server refused leaves the socket inactive: the Manager will not retry it.
    if (!this.#closed && !this.#socket.active) this.#scheduleReconnect();
  };

  readonly #onMessage = (payload: unknown): void => {
    if (!this.#closed) this.#events.onMessage(payload);
  };

  readonly #onWaitOver = (): void => {
    this.#waitTimer = undefined;
    this.#waitOver = true;
    this.#flushWaiters();
    if (!this.#closed && !this.#everConnected) {
      this.#log.warn({ room: this.#roomLabel() }, 'sensepass socket not connected yet; relying on status reads');
      this.#events.onConnectWaitOver();
    }
  };

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer !== undefined) return;
    const { minReconnectMs, maxReconnectMs } = this.#options;
    const base = Math.min(maxReconnectMs, minReconnectMs * 2 ** Math.min(this.#attempt, 16));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#closed && !this.#socket.connected) this.#socket.connect();
    }, delay);
  }

  #clearTimers(): void {
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    if (this.#waitTimer !== undefined) clearTimeout(this.#waitTimer);
    this.#reconnectTimer = undefined;
    this.#waitTimer = undefined;
  }

  #flushWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Room ids embed a device id (a credential): logged masked. */
  #roomLabel(): string {
    return this.roomId.startsWith('id_') ? `id_${this.roomId.slice(3, 7)}…` : this.roomId.slice(0, 11);
  }
}
