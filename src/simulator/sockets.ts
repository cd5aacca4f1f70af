// The Socket.IO side of SensePass (reference §8.1): rooms tr_<n> and id_<deviceId>, event "message" = entity.
import type { Server as HttpServer } from 'node:http';
import { Server as IoServer } from 'socket.io';
import type { Logger } from 'pino';
import type { FaultSwitches } from './faults.js';
import type { Scheduler } from './scheduler.js';
import type { Counters } from './store.js';

export class SocketHub {
  readonly io: IoServer;

  constructor(
    http: HttpServer,
    private readonly faults: FaultSwitches,
    private readonly scheduler: Scheduler,
    private readonly counters: () => Counters,
    private readonly log: Logger,
  ) {
    // Default path /socket.io/ and both transports, as a stock Socket.IO client expects [GAP: not documented].
    this.io = new IoServer(http, { serveClient: false, cors: { origin: '*' } });
    this.io.on('connection', (socket) => {
      const raw = socket.handshake.query.id;
      const id = Array.isArray(raw) ? raw[0] : raw;
      // Only the documented prefixes join a room; any other client stays connected and hears nothing.
      if (typeof id === 'string' && /^(tr|id)_.+/.test(id)) void socket.join(id);
      this.log.debug({ room: typeof id === 'string' ? id.slice(0, 12) : undefined }, 'simulator socket connected');
    });
  }

  get connected(): number {
    return this.io.of('/').sockets.size;
  }

  /** One status change → one "message" to every socket in either room (a socket in both hears it once). */
  emit(rooms: readonly string[], entity: unknown): void {
    const f = this.faults.socket;
    if (this.faults.chance(f.drop)) {
      this.counters().socketEventsDropped++;
      return;
    }
    const send = (): void => {
      this.counters().socketEvents++;
      this.io.to([...rooms]).emit('message', entity);
      if (f.duplicate === true) this.io.to([...rooms]).emit('message', entity);
    };
    if (f.delayMs !== undefined && f.delayMs > 0) this.scheduler.after(f.delayMs, send);
    else send();
  }

  /** Server-initiated disconnect (client sees reason "io server disconnect"); returns how many. */
  disconnect(room?: string): number {
    const target = room === undefined ? this.io.of('/').sockets : this.io.of('/').adapter.rooms.get(room);
    if (target === undefined) return 0;
    const ids = [...(target instanceof Map ? target.keys() : target)];
    let count = 0;
    for (const id of ids) {
      const socket = this.io.of('/').sockets.get(id);
      if (socket !== undefined) {
        socket.disconnect(true);
        count++;
      }
    }
    return count;
  }

  close(): Promise<void> {
    this.io.disconnectSockets(true);
    // io.close() also closes the http server; index.ts closes that itself, so only the engine is closed here.
    this.io.engine.close();
    return Promise.resolve();
  }
}
