// Shared auth test material: a frozen config built by the real loader, WS-Security headers, a fixed clock.
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.js';
import { parseXml } from '../../src/ingress/xml-parse.js';
import type { XmlElement } from '../../src/ingress/xml-tree.js';
import { PASSWORD_DIGEST, PASSWORD_TEXT, passwordDigest, WSSE_NS, WSU_NS } from '../../src/ingress/auth/wsse.js';

export const NOW = Date.parse('2026-03-01T12:00:00Z');

export function testConfig(values: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: {},
    values: {
      clients: {
        'till-7': { password: 's3cret-till-7', sensepass: { deviceId: 'device0till7abcdefghijklmnopqrstuvwxyz0123456789' } },
        'till-8': { password: 'другой-пароль' },
        backoffice: { password: 'bo-pass', certificate: { subjectCN: 'backoffice' } },
      },
      endpoints: {
        strict: { auth: ['wsse', 'basic'] },
        open: { auth: ['none', 'wsse', 'basic'] },
        wsseOnly: { auth: ['wsse'] },
      },
      ...values,
    },
  });
}

export interface TokenOptions {
  user?: string;
  password?: string;
  type?: 'text' | 'digest';
  nonce?: string | null;
  created?: string | null;
  mustUnderstand?: boolean;
  twice?: boolean;
}

/** A SOAP 1.1 Header element carrying a UsernameToken, parsed by the real parser. */
export function wsseHeader(o: TokenOptions = {}): XmlElement {
  const user = o.user ?? 'till-7';
  const password = o.password ?? 's3cret-till-7';
  const nonce = o.nonce === undefined ? randomBytes(16).toString('base64') : o.nonce;
  const created = o.created === undefined ? new Date(NOW).toISOString() : o.created;
  const digest = o.type !== 'text';
  const pw = digest ? passwordDigest(nonce ?? '', created ?? '', password).toString('base64') : password;
  const token = `<wsse:UsernameToken>
      <wsse:Username>${user}</wsse:Username>
      <wsse:Password Type="${digest ? PASSWORD_DIGEST : PASSWORD_TEXT}">${pw}</wsse:Password>
      ${nonce === null ? '' : `<wsse:Nonce>${nonce}</wsse:Nonce>`}
      ${created === null ? '' : `<wsu:Created>${created}</wsu:Created>`}
    </wsse:UsernameToken>`;
  const xml = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>
    <wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}"${o.mustUnderstand === true ? ' soap:mustUnderstand="1"' : ''}>
    ${token}${o.twice === true ? token : ''}
    </wsse:Security></soap:Header><soap:Body/></soap:Envelope>`;
  const env = parseXml(xml, { maxDepth: 64, maxElements: 1000, maxAttributes: 64, maxTextLength: 65536 });
  return env.children[0] as XmlElement;
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
