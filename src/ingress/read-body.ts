// Reads one request body under hard limits: allowed content type, supported coding, size capped on the wire and
// after streaming decompression (a gzip bomb stops at the cap), a total deadline, strict decoding, no DTD.
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, createInflateRaw, type Inflate } from 'node:zlib';
import { gwError, type GatewayError } from '../errors.js';
import { decodeJsonBody, decodeXmlBody, type BodyEncoding } from './body-decode.js';
import { isXmlMediaType, parseContentType, printable } from './content-type.js';

export interface BodyLimits {
  /** Allowed media types, lower case (e.g. text/xml, application/soap+xml). */
  readonly mediaTypes: readonly string[];
  /** Cap on the body after decompression (GW_INGRESS_BODY_TOO_LARGE). */
  readonly maxBodyBytes: number;
  /** Cap on the bytes on the wire; defaults to maxBodyBytes. */
  readonly maxRawBytes?: number;
  /** The whole body must arrive within this time (GW_INGRESS_BODY_TIMEOUT). */
  readonly timeoutMs: number;
  /** After a refusal, bytes still read and discarded so the client can read the fault before we close (default 1 MiB). */
  readonly drainBytes?: number;
  /** After a refusal, how long we keep discarding before closing the connection (default 2 s). */
  readonly drainMs?: number;
}

export interface ReadBody {
  readonly text: string;
  /** The body after decompression (before decoding). */
  readonly bytes: Buffer;
  readonly mediaType: string;
  /** charset parameter of the Content-Type, lower case, if any. */
  readonly charset: string | undefined;
  /** The Content-Type header as received. */
  readonly contentType: string;
  /** Content-Type parameters (e.g. SOAP 1.2 `action`), lower-cased names. */
  readonly params: Readonly<Record<string, string>>;
  /** The encoding the text was decoded from. */
  readonly encoding: BodyEncoding;
}

/** What readBody needs from a request; node's IncomingMessage satisfies it. */
export type BodySource = Readable & { readonly headers: IncomingHttpHeaders; readonly socket?: Socket | null };

/** Limits from the configuration for a set of media types. */
export function bodyLimitsFrom(
  limits: { readonly maxBodyBytes: number; readonly bodyTimeoutMs: number },
  mediaTypes: readonly string[],
): BodyLimits {
  return { mediaTypes, maxBodyBytes: limits.maxBodyBytes, timeoutMs: limits.bodyTimeoutMs };
}

export async function readBody(req: BodySource, limits: BodyLimits): Promise<ReadBody> {
  try {
    const contentType = headerValue(req.headers['content-type']);
    const ct = parseContentType(contentType);
    if (ct === undefined || !limits.mediaTypes.includes(ct.mediaType)) {
      throw gwError('GW_INGRESS_CONTENT_TYPE', { contentType: printable(ct?.mediaType ?? contentType ?? '(none)') });
    }
    const coding = contentCoding(headerValue(req.headers['content-encoding']));
    const maxRaw = limits.maxRawBytes ?? limits.maxBodyBytes;
    const declared = headerValue(req.headers['content-length']);
    if (declared !== undefined && Number(declared) > maxRaw) tooLarge(limits);
    const bytes = await collect(req, coding, limits, maxRaw);
    if (bytes.length === 0) throw gwError('GW_INGRESS_EMPTY_BODY');
    const charset = Object.hasOwn(ct.params, 'charset') ? ct.params.charset?.toLowerCase() : undefined;
    const { text, encoding } = isXmlMediaType(ct.mediaType) ? decodeXmlBody(bytes, charset) : decodeJsonBody(bytes, charset);
    if (text.trim() === '') throw gwError('GW_INGRESS_EMPTY_BODY');
    return { text, bytes, mediaType: ct.mediaType, charset, contentType: contentType ?? '', params: ct.params, encoding };
  } catch (err) {
    abandon(req, limits);
    throw err;
  }
}

type Coding = 'identity' | 'gzip' | 'deflate';

function contentCoding(header: string | undefined): Coding {
  const c = (header ?? 'identity').trim().toLowerCase();
  if (c === '' || c === 'identity') return 'identity';
  if (c === 'gzip' || c === 'x-gzip') return 'gzip';
  if (c === 'deflate') return 'deflate';
  throw gwError('GW_INGRESS_CONTENT_ENCODING'); // includes stacked codings ("gzip, gzip")
}

/** Streams the body, inflating as it goes; every cap is checked per chunk so nothing beyond it is ever held. */
function collect(req: BodySource, coding: Coding, limits: BodyLimits, maxRaw: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let size = 0;
    let inflater: Inflate | undefined;
    let done = false;
    const timer = setTimeout(() => fail(gwError('GW_INGRESS_BODY_TIMEOUT', { limit: limits.timeoutMs })), limits.timeoutMs);

    const finish = (err: GatewayError | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort).off('close', onClose);
      if (inflater !== undefined) {
        inflater.removeAllListeners('data');
        inflater.on('error', () => {}); // a late zlib error after we settled is irrelevant
        inflater.destroy();
      }
      if (err !== undefined) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const fail = (err: GatewayError) => finish(err);
    const onOutput = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) return fail(tooLargeError(limits));
      chunks.push(chunk);
    };
    const onData = (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > maxRaw) return fail(tooLargeError(limits));
      if (coding === 'identity') return onOutput(chunk);
      inflater ??= startInflater(coding, chunk);
      if (!inflater.write(chunk)) {
        req.pause(); // zlib is behind: stop reading the socket until it drains (bounded memory)
        inflater.once('drain', () => !done && req.resume());
      }
    };
    const onEnd = () => {
      if (inflater === undefined) return finish(undefined);
      inflater.end();
    };
    const onAbort = () => fail(gwError('GW_INGRESS_BODY_INCOMPLETE'));
    const onClose = () => {
      if (!req.readableEnded) onAbort();
    };
    const startInflater = (c: Exclude<Coding, 'identity'>, first: Buffer): Inflate => {
      const z = c === 'gzip' ? createGunzip() : isZlibHeader(first) ? createInflate() : createInflateRaw();
      z.on('data', onOutput);
      z.once('end', () => finish(undefined));
      z.once('error', (e) => fail(gwError('GW_INGRESS_CONTENT_ENCODING', {}, e)));
      return z as Inflate;
    };

    req.on('data', onData).once('end', onEnd).once('error', onAbort).once('aborted', onAbort).once('close', onClose);
    if (req.readableEnded) finish(undefined);
    else req.resume();
  });
}

/** HTTP "deflate" is meant to be zlib-wrapped (RFC 9110) but some clients send raw deflate; accept both. */
function isZlibHeader(b: Buffer): boolean {
  const cmf = b[0];
  const flg = b[1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * After a refusal the client may still be sending. Closing at once can reset the connection before it reads our
 * fault, so keep reading (and discarding) for a bounded number of bytes and time, then close. Never buffers.
 */
function abandon(req: BodySource, limits: BodyLimits): void {
  if (req.readableEnded || req.destroyed) return;
  const maxBytes = limits.drainBytes ?? 1_048_576;
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    req.off('data', onData);
    if (req.readableEnded) return;
    if (req.socket) req.socket.destroy();
    else req.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) close();
  };
  const timer = setTimeout(close, limits.drainMs ?? 2_000);
  timer.unref();
  req.on('data', onData);
  req.once('end', () => clearTimeout(timer));
  req.once('error', () => clearTimeout(timer));
  req.resume();
}

function tooLarge(limits: BodyLimits): never {
  throw tooLargeError(limits);
}

function tooLargeError(limits: BodyLimits): GatewayError {
  return gwError('GW_INGRESS_BODY_TOO_LARGE', { limit: limits.maxBodyBytes });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
