// A raw HTTP client for the XML, dialect and agent tests: node:http on loopback, so status, headers and body
// bytes are exactly what the gateway wrote (no fetch conveniences), and a request can be aborted mid-wait.
import http from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly signal?: AbortSignal;
}

export function send(url: string, req: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined) headers['content-length'] = String(body.length);
    const r = http.request(url, { method: req.method ?? 'POST', headers, signal: req.signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

export const postXml = (url: string, xml: string | Buffer, headers: Readonly<Record<string, string>> = {}, signal?: AbortSignal) =>
  send(url, { headers: { 'content-type': 'application/xml', ...headers }, body: xml, ...(signal === undefined ? {} : { signal }) });

/** Text of the first element with this local name (prefix ignored). */
export function field(xml: string, name: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1];
}

/** Polls until ok(value) or the time is up; returns the last value read. */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}
