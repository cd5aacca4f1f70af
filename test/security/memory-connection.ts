// An in-memory keep-alive HTTP/1.1 connection into a real http.Server: the server's own parser, Express app and SOAP
// router run unchanged, only the TCP socket is replaced by a Duplex, so 10,000 messages fit in a few seconds.
import type http from 'node:http';
import { Duplex } from 'node:stream';

export interface MemoryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface MemoryConnection {
  /** One request at a time; rejects when the server closed the connection before answering. */
  request(method: string, path: string, headers: Readonly<Record<string, string>>, body: Buffer): Promise<MemoryResponse>;
  readonly closed: boolean;
  close(): void;
}

export function openMemoryConnection(server: http.Server, remoteAddress = '127.0.0.1'): MemoryConnection {
  let received = Buffer.alloc(0);
  let waiting: { ok: (r: MemoryResponse) => void; fail: (e: Error) => void } | undefined;
  let closed = false;
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      received = Buffer.concat([received, chunk]);
      deliver();
      cb();
    },
    final(cb) {
      finish();
      cb();
    },
    destroy(err, cb) {
      finish();
      cb(err);
    },
  });
  // What http.Server and the gateway read from a net.Socket.
  Object.assign(socket, { remoteAddress, remotePort: 1, encrypted: false, setTimeout: () => socket, setNoDelay: () => socket, setKeepAlive: () => socket });

  function finish(): void {
    if (closed) return;
    closed = true;
    deliver();
    waiting?.fail(new Error('connection closed by the server without a complete answer'));
    waiting = undefined;
  }

  function deliver(): void {
    if (waiting === undefined) return;
    const parsed = parseResponse(received);
    if (parsed === undefined) return;
    received = received.subarray(parsed.consumed);
    const w = waiting;
    waiting = undefined;
    w.ok(parsed.response);
  }

  server.emit('connection', socket);
  return {
    get closed() {
      return closed;
    },
    request(method, path, headers, body) {
      if (closed) return Promise.reject(new Error('connection closed'));
      return new Promise((ok, fail) => {
        waiting = { ok, fail };
        const lines = [`${method} ${path} HTTP/1.1`, 'host: memory', `content-length: ${body.length}`];
        for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
        socket.push(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
      });
    },
    close() {
      socket.push(null);
      socket.destroy();
    },
  };
}

/** One complete response at the start of `buf` (Content-Length or chunked framing), or undefined when incomplete. */
function parseResponse(buf: Buffer): { response: MemoryResponse; consumed: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...headerLines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`bad status line ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  let at = end + 4;
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
      if (buf.length < eol + 2 + size + 2) return undefined;
      parts.push(buf.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
      if (size === 0) return { response: { status, headers, body: Buffer.concat(parts) }, consumed: at };
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < at + length) return undefined;
  return { response: { status, headers, body: buf.subarray(at, at + length) }, consumed: at + length };
}
