// Certificates made at test time by openssl (P-256, two days): a CA, the gateway's server certificate for 127.0.0.1,
// a client certificate per CN signed by the CA, and a self-signed "rogue" one that copies a trusted CN.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestCerts {
  readonly ca: string;
  readonly server: KeyPair;
  /** A client certificate signed by the CA. */
  client(cn: string): KeyPair;
  /** Self-signed, not chained to the CA, with the given CN. */
  rogue(cn: string): KeyPair;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(path.join(tmpdir(), 'spgw-certs-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const pair = (name: string): KeyPair => ({ cert: read(`${name}.crt`), key: read(`${name}.key`) });
  let serial = 0;
  const issue = (cn: string, ext?: string): KeyPair => {
    const name = `c${++serial}`;
    ssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    const extArgs: string[] = [];
    if (ext !== undefined) {
      writeFileSync(path.join(dir, `${name}.ext`), ext);
      extArgs.push('-extfile', `${name}.ext`);
    }
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...extArgs);
    return pair(name);
  };
  ssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=spgw-security-test-ca', '-days', '2');
  const server = issue('localhost', 'subjectAltName=IP:127.0.0.1\n');
  return {
    ca: read('ca.crt'),
    server,
    client: (cn) => issue(cn),
    rogue(cn) {
      const name = `r${++serial}`;
      ssl('req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${cn}`, '-days', '2');
      return pair(name);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
