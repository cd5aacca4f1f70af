// Loads the attack corpus (test/attacks/corpus.json + corpus/ files) and makes the generated entries
// (50 MB body, gzip and deflate bombs) at run time, streaming so the test itself stays within bounded memory.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createDeflate, createGzip, type Gzip, type Deflate } from 'node:zlib';

export interface CorpusEntry {
  readonly file?: string;
  readonly generate?: 'body-50mb' | 'gzip-bomb-1gb' | 'deflate-bomb-512mb';
  readonly headers: Readonly<Record<string, string>>;
  /** Expected outcome of readBody + parseXml: an error code, or 'ok'. */
  readonly ingress: string;
  /** Expected gw:code in the SOAP fault end to end, or 'reply' when the handler answers. */
  readonly soap: string;
  readonly why: string;
}

const DIR = new URL('./corpus/', import.meta.url);
export const CORPUS: readonly CorpusEntry[] = JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8')) as CorpusEntry[];
export const CORPUS_FILES: readonly string[] = readdirSync(DIR).sort();
export const nameOf = (e: CorpusEntry): string => e.file ?? `(generated) ${e.generate ?? '?'}`;

export type Body = Buffer | { readonly length: number; readonly chunks: (write: (c: Buffer) => Promise<void>) => Promise<void> };

/** The body to send: file bytes with __LISTENER__ replaced by the canary listener's host:port, or a generated body. */
export async function bodyOf(entry: CorpusEntry, listener: string): Promise<Body> {
  if (entry.file !== undefined) {
    const bytes = readFileSync(new URL(entry.file, DIR));
    return bytes.includes('__LISTENER__') ? Buffer.from(bytes.toString('utf8').replaceAll('__LISTENER__', listener)) : bytes;
  }
  switch (entry.generate) {
    case 'body-50mb': {
      const length = 50 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      return {
        length,
        chunks: async (write) => {
          for (let sent = 0; sent < length; sent += chunk.length) await write(chunk);
        },
      };
    }
    case 'gzip-bomb-1gb':
      return bomb(createGzip({ level: 9 }), 1024 ** 3);
    case 'deflate-bomb-512mb':
      return bomb(createDeflate({ level: 9 }), 512 * 1024 ** 2);
    default:
      throw new Error(`unknown generator ${String(entry.generate)}`);
  }
}

const bombs = new Map<string, Promise<Buffer>>();
function bomb(z: Gzip | Deflate, zeros: number): Promise<Buffer> {
  const key = `${z.constructor.name}:${zeros}`;
  let p = bombs.get(key);
  if (p === undefined) {
    p = (async () => {
      const out: Buffer[] = [];
      z.on('data', (c: Buffer) => out.push(c));
      const done = new Promise((ok) => z.on('end', ok));
      const block = Buffer.alloc(4 * 1024 * 1024);
      for (let sent = 0; sent < zeros; sent += block.length) {
        if (!z.write(block)) await new Promise((ok) => z.once('drain', ok));
      }
      z.end();
      await done;
      return Buffer.concat(out);
    })();
    bombs.set(key, p);
  }
  return p;
}

/** A loopback TCP listener that only counts connections: any fetch of a DTD, entity, XInclude or schema hits it. */
export async function startCanary(): Promise<{ readonly hostPort: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    hostPort: `127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
