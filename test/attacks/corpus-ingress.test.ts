// Attack corpus, part 1: every file through readBody + parseXml on a real loopback server, asserting its code.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/errors.js';
import { post, startBodyServer, type BodyServer } from '../ingress/body-server.js';
import { bodyOf, CORPUS, CORPUS_FILES, nameOf, startCanary } from './corpus-load.js';

let srv: BodyServer;
let canary: Awaited<ReturnType<typeof startCanary>>;
beforeAll(async () => {
  srv = await startBodyServer();
  canary = await startCanary();
});
afterAll(async () => {
  await srv.close();
  await canary.close();
});

describe('attack corpus manifest', () => {
  it('has at least 40 hostile entries, every file listed once, every code in the catalogue', () => {
    const hostile = CORPUS.filter((e) => e.soap !== 'reply');
    expect(hostile.length).toBeGreaterThanOrEqual(40);
    const listed = CORPUS.flatMap((e) => (e.file === undefined ? [] : [e.file])).sort();
    expect(listed).toEqual(CORPUS_FILES);
    for (const e of CORPUS) {
      for (const code of [e.ingress, e.soap]) {
        if (code !== 'ok' && code !== 'reply') expect(Object.keys(catalogue)).toContain(code);
      }
      expect(e.why.length).toBeGreaterThan(10);
    }
  });
});

describe('canary listener', () => {
  it('counts connections (so "zero connections" below means something)', async () => {
    const probe = await startCanary();
    const [host, port] = probe.hostPort.split(':');
    await new Promise<void>((ok, fail) => {
      const s = connect(Number(port), host ?? '127.0.0.1', () => s.end());
      s.on('close', () => ok()).on('error', fail);
    });
    expect(probe.connections()).toBe(1);
    await probe.close();
  });
});

describe('attack corpus through readBody + parseXml', () => {
  it.each(CORPUS.map((e) => [nameOf(e), e] as const))('%s', async (_name, entry) => {
    const body = await bodyOf(entry, canary.hostPort);
    const headers: Record<string, string | number> = { ...entry.headers };
    const result = Buffer.isBuffer(body)
      ? await post(srv.url, headers, body)
      : await post(srv.url, { ...headers, 'content-length': body.length }, body.chunks);
    if (entry.ingress === 'ok') {
      expect(result.code).toBeUndefined();
      expect(result.status).toBe(200);
    } else {
      expect(result.code).toBe(entry.ingress);
      expect(result.status).toBe(catalogue[entry.ingress as keyof typeof catalogue].status);
      expect(result.message).not.toMatch(/at offset|line \d|column|Error:/i); // never parser text
    }
  });

  it('never connected to the canary listener (no DTD, entity, XInclude or schema fetch)', () => {
    expect(canary.connections()).toBe(0);
  });
});
