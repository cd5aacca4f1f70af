// A real loopback HTTP server that runs readBody (+ parseXml) and answers with the outcome as JSON, the way the
// SOAP layer will: status from the catalogue, the code, never parser detail. Shared by ingress and attack tests.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isGatewayError } from '../../src/errors.js';
import { readBody, type BodyLimits } from '../../src/ingress/read-body.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement, XmlLimits } from '../../src/ingress/xml-tree.js';

export const XML_TYPES = ['text/xml', 'application/soap+xml', 'application/xml', 'application/json'];
export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 10_000, maxAttributes: 64, maxTextLength: 65_536 };
export const DEFAULT_BODY_LIMITS: BodyLimits = { mediaTypes: XML_TYPES, maxBodyBytes: 1_048_576, timeoutMs: 10_000 };

export interface Outcome {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
  readonly root?: XmlElement;
  readonly text?: string;
}

export interface BodyServer {
  readonly url: string;
  readonly server: Server;
  /** Server-side observations, one per request, in order of completion. */
  readonly seen: { code: string | undefined; bytesReadAtSettle: number; ms: number }[];
  close(): Promise<void>;
}

export async function startBodyServer(
  body: BodyLimits = DEFAULT_BODY_LIMITS,
  xml: XmlLimits = DEFAULT_XML_LIMITS,
): Promise<BodyServer> {
  const seen: BodyServer['seen'] = [];
  const server = createServer((req, res) => {
    const started = Date.now();
    const reply = (status: number, payload: object, code?: string) => {
      seen.push({ code, bytesReadAtSettle: req.socket.bytesRead, ms: Date.now() - started });
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    readBody(req, body)
      .then((b) => {
        const isJson = b.mediaType === 'application/json';
        const root = isJson ? undefined : parseXml(b.text, xml);
        reply(200, { status: 200, root, text: b.text });
      })
      .catch((err: unknown) => {
        if (isGatewayError(err)) reply(err.status, { status: err.status, code: err.code, message: err.message }, err.code);
        else reply(500, { status: 500, code: 'UNEXPECTED', message: String(err) }, 'UNEXPECTED');
      });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** POSTs a buffer (or a chunk producer) with the given headers and returns the parsed JSON outcome. */
export function post(
  url: string,
  headers: Record<string, string | number>,
  body: Buffer | ((write: (chunk: Buffer) => Promise<void>) => Promise<void>),
): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Outcome), status: res.statusCode ?? 0 });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', () => {
      // Writing after the server refused can fail with EPIPE/ECONNRESET; the response (if any) still decides.
    });
    req.on('close', () => setTimeout(() => reject(new Error('no response')), 50).unref());
    if (Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    const write = (chunk: Buffer) =>
      new Promise<void>((ok, fail) => {
        if (req.destroyed) return fail(new Error('request destroyed'));
        if (req.write(chunk)) ok();
        else {
          const onDrain = () => (req.off('close', onClose), ok());
          const onClose = () => (req.off('drain', onDrain), fail(new Error('request closed')));
          req.once('drain', onDrain).once('close', onClose);
        }
      });
    body(write).then(
      () => req.end(),
      () => undefined,
    );
  });
}
