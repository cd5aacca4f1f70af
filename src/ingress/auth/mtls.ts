// Mutual TLS: the peer certificate (verified against server.tls.clientCa) identifies a configured client by
// subject CN and/or SHA-256 fingerprint. The TLS layer requests but does not require a certificate, so endpoints
// that accept other methods still work and a wrong certificate gets a proper fault instead of a handshake abort.
import { TLSSocket, type TlsOptions } from 'node:tls';
import type { Config } from '../../config.js';

export interface PeerCertificate {
  readonly authorized: boolean;
  readonly subjectCN: string | undefined;
  readonly fingerprint256: string;
}

/** The client certificate on a TLS connection, or undefined when there is none (plain HTTP or no cert sent). */
export function peerCertificate(socket: unknown): PeerCertificate | undefined {
  if (!(socket instanceof TLSSocket)) return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === null || typeof cert !== 'object' || typeof cert.fingerprint256 !== 'string' || cert.fingerprint256 === '') {
    return undefined;
  }
  const cn: unknown = cert.subject?.CN;
  return { authorized: socket.authorized, subjectCN: typeof cn === 'string' ? cn : undefined, fingerprint256: cert.fingerprint256 };
}

/** Names of the clients whose configured certificate matches (every configured field must match). */
export function clientsForCertificate(cert: PeerCertificate, clients: Config['clients']): string[] {
  const out: string[] = [];
  for (const [name, client] of Object.entries(clients)) {
    const want = client.certificate;
    if (want === undefined || (want.subjectCN === undefined && want.fingerprint256 === undefined)) continue;
    if (want.subjectCN !== undefined && want.subjectCN !== cert.subjectCN) continue;
    if (want.fingerprint256 !== undefined && hex(want.fingerprint256) !== hex(cert.fingerprint256)) continue;
    out.push(name);
  }
  return out;
}

/** TLS server options from server.tls; a clientCa turns on client-certificate requests. */
export function tlsServerOptions(tls: NonNullable<Config['server']['tls']>): TlsOptions {
  const mutual = tls.clientCa !== undefined;
  return {
    cert: tls.cert,
    key: tls.key,
    ...(mutual ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
    minVersion: 'TLSv1.2',
  };
}

function hex(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
}
