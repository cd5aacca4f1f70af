// Mutual TLS on a real loopback HTTPS server: certificates made at test time by openssl (CA, server, client, rogue).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { isGatewayError } from '../../src/errors.js';
import { authenticate, createAuthDeps, tlsServerOptions } from '../../src/ingress/auth/index.js';
import { testConfig } from './auth-fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'spgw-mtls-'));
const file = (n: string) => path.join(dir, n);
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function issue(name: string, cn: string, ext?: string) {
  ssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  const extArgs = ext === undefined ? [] : (writeFileSync(file(`${name}.ext`), ext), ['-extfile', `${name}.ext`]);
  ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...extArgs);
}
const pem = (n: string) => readFileSync(file(n), 'utf8');

let server: Server;
let port = 0;
let config: Config;
let fingerprint = '';

beforeAll(async () => {
  ssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=spgw-test-ca', '-days', '2');
  issue('server', 'localhost', 'subjectAltName=IP:127.0.0.1\n');
  issue('client', 'till-7');
  issue('other', 'till-99');
  ssl('req', '-x509', ...EC, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-subj', '/CN=till-7', '-days', '2');
  fingerprint = execFileSync('openssl', ['x509', '-in', file('other.crt'), '-noout', '-fingerprint', '-sha256']).toString().split('=')[1]?.trim() ?? '';
  config = testConfig({
    server: { tls: { cert: pem('server.crt'), key: pem('server.key'), clientCa: pem('ca.crt') } },
    clients: {
      'till-7': { certificate: { subjectCN: 'till-7' } },
      'till-99': { certificate: { fingerprint256: fingerprint.toLowerCase() } },
    },
    endpoints: { tls: { auth: ['mtls'] }, mixed: { auth: ['mtls', 'none'] } },
  });
  const tls = config.server.tls;
  if (tls === undefined) throw new Error('tls config missing');
  const deps = createAuthDeps(config);
  server = createServer(tlsServerOptions(tls), (req, res) => {
    const endpoint = (req.url ?? '/').slice(1);
    try {
      const id = authenticate({ headers: req.headers, socket: req.socket }, endpoint, config, deps);
      res.end(`${id.name}/${id.method}`);
    } catch (err) {
      res.statusCode = isGatewayError(err) ? err.status : 500;
      res.end(isGatewayError(err) ? err.code : 'UNEXPECTED');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

function call(endpoint: string, client?: 'client' | 'rogue' | 'other'): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1', port, path: `/${endpoint}`, method: 'GET', ca: pem('ca.crt'), agent: false,
        ...(client === undefined ? {} : { cert: pem(`${client}.crt`), key: pem(`${client}.key`) }),
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

describe('mutual TLS', () => {
  it('identifies a client by the subject CN of a certificate signed by clientCa', async () => {
    expect(await call('tls', 'client')).toBe('till-7/mtls');
  });
  it('identifies a client by SHA-256 fingerprint', async () => {
    expect(fingerprint).toMatch(/^[0-9A-F:]+$/);
    expect(await call('tls', 'other')).toBe('till-99/mtls');
  });
  it('refuses a self-signed certificate with the right CN', async () => {
    expect(await call('tls', 'rogue')).toBe('GW_AUTH_FAILED');
    expect(await call('mixed', 'rogue')).toBe('GW_AUTH_FAILED'); // never downgraded to anonymous
  });
  it('refuses a missing certificate where mTLS is required, admits anonymous where none is allowed', async () => {
    expect(await call('tls')).toBe('GW_AUTH_FAILED');
    expect(await call('mixed')).toBe('anonymous/none');
  });
  it('only asks for client certificates when clientCa is configured', () => {
    expect(tlsServerOptions({ cert: 'c', key: 'k' })).not.toHaveProperty('requestCert');
    expect(tlsServerOptions({ cert: 'c', key: 'k', clientCa: 'ca' })).toMatchObject({ requestCert: true, ca: 'ca' });
  });
});
