// readBody against a real loopback server: content type, codings, caps (wire and decompressed), time, decoding.
import { connect } from 'node:net';
import { gzipSync, deflateSync, deflateRawSync, createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMITS, post, startBodyServer, type BodyServer } from './body-server.js';

const ENVELOPE = '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ping>é</Ping></s:Body></s:Envelope>';
const xml = (extra: Record<string, string> = {}) => ({ 'content-type': 'text/xml; charset=utf-8', ...extra });

let srv: BodyServer;
beforeAll(async () => {
  srv = await startBodyServer();
});
afterAll(() => srv.close());

describe('readBody: content type and coding', () => {
  it('reads a UTF-8 SOAP envelope and reports media type and charset', async () => {
    const r = await post(srv.url, xml(), Buffer.from(ENVELOPE));
    expect(r.status).toBe(200);
    expect(r.text).toBe(ENVELOPE);
    expect(r.root?.children[0]?.children[0]?.text).toBe('é');
  });
  it.each([
    ['text/html', 'GW_INGRESS_CONTENT_TYPE'],
    ['multipart/related; boundary=x', 'GW_INGRESS_CONTENT_TYPE'],
    ['text/xml; charset="unterminated', 'GW_INGRESS_CONTENT_TYPE'],
    ['text/xml; charset=utf-8; charset=latin1', 'GW_INGRESS_CONTENT_TYPE'],
  ])('refuses content type %s', async (ct, code) => {
    const r = await post(srv.url, { 'content-type': ct }, Buffer.from(ENVELOPE));
    expect(r).toMatchObject({ status: 415, code });
  });
  it('refuses a missing content type and does not echo control characters', async () => {
    expect((await post(srv.url, {}, Buffer.from(ENVELOPE))).code).toBe('GW_INGRESS_CONTENT_TYPE');
  });
  it.each(['br', 'compress', 'gzip, gzip', 'zstd'])('refuses content-encoding %s', async (enc) => {
    const r = await post(srv.url, xml({ 'content-encoding': enc }), gzipSync(ENVELOPE));
    expect(r).toMatchObject({ status: 415, code: 'GW_INGRESS_CONTENT_ENCODING' });
  });
  it.each([
    ['gzip', gzipSync(ENVELOPE)],
    ['deflate', deflateSync(ENVELOPE)],
    ['deflate', deflateRawSync(ENVELOPE)],
    ['identity', Buffer.from(ENVELOPE)],
  ])('inflates %s', async (enc, bytes) => {
    const r = await post(srv.url, xml({ 'content-encoding': enc }), bytes);
    expect(r.status).toBe(200);
    expect(r.text).toBe(ENVELOPE);
  });
  it('refuses a corrupt or truncated gzip stream', async () => {
    const gz = gzipSync(ENVELOPE);
    expect((await post(srv.url, xml({ 'content-encoding': 'gzip' }), gz.subarray(0, gz.length - 12))).code).toBe('GW_INGRESS_CONTENT_ENCODING');
    expect((await post(srv.url, xml({ 'content-encoding': 'gzip' }), Buffer.from('not gzip at all'))).code).toBe('GW_INGRESS_CONTENT_ENCODING');
  });
  it('refuses an empty or whitespace-only body', async () => {
    expect((await post(srv.url, xml(), Buffer.alloc(0))).code).toBe('GW_INGRESS_EMPTY_BODY');
    expect((await post(srv.url, xml(), Buffer.from('  \n '))).code).toBe('GW_INGRESS_EMPTY_BODY');
    expect((await post(srv.url, xml({ 'content-encoding': 'gzip' }), gzipSync(''))).code).toBe('GW_INGRESS_EMPTY_BODY');
  });
});

describe('readBody: size caps', () => {
  it('accepts exactly maxBodyBytes and refuses one byte more', async () => {
    const small = await startBodyServer({ ...DEFAULT_BODY_LIMITS, maxBodyBytes: 100 });
    try {
      const exact = `<a>${'x'.repeat(100 - 7)}</a>`;
      expect((await post(small.url, xml(), Buffer.from(exact))).status).toBe(200);
      const over = await post(small.url, xml(), Buffer.from(`<a>${'x'.repeat(94)}</a>`));
      expect(over).toMatchObject({ status: 413, code: 'GW_INGRESS_BODY_TOO_LARGE', message: 'Message body exceeds 100 bytes' });
    } finally {
      await small.close();
    }
  });

  it('refuses a real 50 MB upload from its Content-Length without reading it, and the client gets the fault', async () => {
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const before = srv.seen.length;
    const started = Date.now();
    const r = await post(srv.url, xml({ 'content-length': String(total) }), async (write) => {
      for (let sent = 0; sent < total; sent += chunk.length) await write(chunk);
    });
    expect(r).toMatchObject({ status: 413, code: 'GW_INGRESS_BODY_TOO_LARGE' });
    const seen = srv.seen[before];
    // Refused before the cap's worth of body was read (only headers plus at most a socket buffer).
    expect(seen?.bytesReadAtSettle).toBeLessThan(1_048_576);
    expect(seen?.ms).toBeLessThan(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops a chunked (undeclared length) 50 MB upload at the cap', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const before = srv.seen.length;
    const r = await post(srv.url, xml({ 'transfer-encoding': 'chunked' }), async (write) => {
      for (let i = 0; i < 200; i++) await write(chunk);
    });
    expect(r).toMatchObject({ status: 413, code: 'GW_INGRESS_BODY_TOO_LARGE' });
    expect(srv.seen[before]?.bytesReadAtSettle).toBeLessThan(3 * 1_048_576);
  });

  it('stops a gzip bomb (1 GB of zeros) at the decompressed cap with bounded memory and time', async () => {
    const bomb = await gzipOfZeros(1024 ** 3);
    expect(bomb.length).toBeLessThan(1_048_576); // it fits under the wire cap: only the inflated cap can stop it
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const r = await post(srv.url, xml({ 'content-encoding': 'gzip' }), bomb);
    expect(r).toMatchObject({ status: 413, code: 'GW_INGRESS_BODY_TOO_LARGE' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('readBody: time and aborted bodies', () => {
  it('times out a slow-loris body', async () => {
    const slow = await startBodyServer({ ...DEFAULT_BODY_LIMITS, timeoutMs: 300 });
    try {
      const started = Date.now();
      const r = await post(slow.url, xml({ 'content-length': '1000' }), async (write) => {
        for (let i = 0; i < 50; i++) {
          await write(Buffer.from('<'));
          await new Promise((ok) => setTimeout(ok, 100));
        }
      });
      expect(r).toMatchObject({ status: 408, code: 'GW_INGRESS_BODY_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await slow.close();
    }
  });
  it('reports a body cut short by the client as incomplete', async () => {
    const before = srv.seen.length;
    const port = new URL(srv.url).port;
    const sock = connect(Number(port), '127.0.0.1');
    await new Promise((ok) => sock.once('connect', ok));
    sock.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<a>partial');
    await new Promise((ok) => setTimeout(ok, 50));
    sock.destroy();
    for (let i = 0; i < 50 && srv.seen.length === before; i++) await new Promise((ok) => setTimeout(ok, 20));
    expect(srv.seen[before]?.code).toBe('GW_INGRESS_BODY_INCOMPLETE');
  });
});

describe('readBody: encodings', () => {
  const decl = (enc: string) => `<?xml version="1.0" encoding="${enc}"?><a>é</a>`;
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const utf16be = (s: string) => Buffer.from(utf16le(s)).swap16();
  it.each([
    ['UTF-16LE with BOM', 'text/xml', utf16le(decl('UTF-16'))],
    ['UTF-16BE with BOM', 'text/xml', utf16be(decl('UTF-16'))],
    ['UTF-16 header + BOM', 'text/xml; charset=utf-16', utf16le('<a>é</a>')],
    ['ISO-8859-1 declared', 'text/xml', Buffer.from(decl('ISO-8859-1'), 'latin1')],
    ['latin1 in header', 'text/xml; charset=ISO-8859-1', Buffer.from('<a>é</a>', 'latin1')],
    ['UTF-8 BOM', 'text/xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(decl('utf-8'))])],
  ])('decodes %s', async (_n, ct, bytes) => {
    const r = await post(srv.url, { 'content-type': ct }, bytes);
    expect(r.status).toBe(200);
    expect(r.root?.text).toBe('é');
  });
  it.each([
    ['UTF-16 without BOM', 'text/xml', Buffer.from('<a>x</a>', 'utf16le'), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['header utf-8 vs declared latin1', 'text/xml; charset=utf-8', Buffer.from(decl('ISO-8859-1'), 'latin1'), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['UTF-16 BOM but declared UTF-8', 'text/xml', utf16le(decl('UTF-8')), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['UTF-8 BOM but header latin1', 'text/xml; charset=latin1', Buffer.from([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['unsupported declared encoding', 'text/xml', Buffer.from(decl('Shift_JIS')), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['unsupported header charset', 'text/xml; charset=ebcdic-cp-us', Buffer.from('<a/>'), 'GW_INGRESS_ENCODING_MISMATCH'],
    ['latin1 bytes declared UTF-8', 'text/xml', Buffer.from(decl('UTF-8'), 'latin1'), 'GW_INGRESS_INVALID_UTF8'],
    ['overlong UTF-8', 'text/xml', Buffer.from([0x3c, 0x61, 0x3e, 0xc0, 0xbc, 0x3c, 0x2f, 0x61, 0x3e]), 'GW_INGRESS_INVALID_UTF8'],
    ['high byte in US-ASCII', 'text/xml; charset=us-ascii', Buffer.from('<a>é</a>', 'latin1'), 'GW_INGRESS_INVALID_UTF8'],
    ['odd-length UTF-16', 'text/xml', Buffer.concat([utf16le('<a/>'), Buffer.from([0x41])]), 'GW_INGRESS_INVALID_UTF8'],
    ['JSON in latin1', 'application/json; charset=latin1', Buffer.from('{"a":1}'), 'GW_INGRESS_ENCODING_MISMATCH'],
  ])('refuses %s', async (_n, ct, bytes, code) => {
    expect((await post(srv.url, { 'content-type': ct }, bytes)).code).toBe(code);
  });
  it.each([
    ['plain', '<!DOCTYPE a><a/>'],
    ['after a comment and a PI', '<?xml version="1.0"?><!-- hi --><?pi x?><!DOCTYPE a [<!ENTITY x "y">]><a/>'],
    ['lower case with spacing', '<!\n  doctype a><a/>'],
    ['mixed case', '<!DocType a SYSTEM "file:///etc/passwd"><a/>'],
    ['bare ENTITY declaration', '<a><!ENTITY x "y"></a>'],
    ['inside a comment (refused on purpose)', '<a><!-- <!DOCTYPE x> --></a>'],
  ])('refuses a DOCTYPE %s before parsing', async (_n, body) => {
    expect((await post(srv.url, xml(), Buffer.from(body))).code).toBe('GW_INGRESS_DOCTYPE_FORBIDDEN');
  });
  it('refuses a DOCTYPE in UTF-16', async () => {
    const r = await post(srv.url, { 'content-type': 'text/xml' }, utf16le('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'));
    expect(r.code).toBe('GW_INGRESS_DOCTYPE_FORBIDDEN');
  });
  it('reads JSON as UTF-8 without XML checks', async () => {
    const r = await post(srv.url, { 'content-type': 'application/json' }, Buffer.from('{"note":"<!DOCTYPE is just text here"}'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('DOCTYPE');
  });
});

/** 1 GB of zeros, gzipped by streaming (never held in memory). */
async function gzipOfZeros(total: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((ok) => gz.on('end', ok));
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  for (let sent = 0; sent < total; sent += zeros.length) {
    if (!gz.write(zeros)) await new Promise((ok) => gz.once('drain', ok));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}
