// Who can reach the gateway, and what they may do without proving who they are: the one rule that start-up (refuse)
// and `check` (report) share, so a gateway that moves real money is never open to anonymous callers on a network.
import type { Config } from '../../config.js';
import { acceptedMethods } from './authenticate.js';

export type ExposureSeverity = 'error' | 'warning';

export interface ExposureFinding {
  readonly severity: ExposureSeverity;
  /** One line, plain text, naming the setting that fixes it. */
  readonly message: string;
}

/** The parts of the configuration the rule reads (tests pass a Config). */
export type ExposureConfig = Pick<Config, 'server' | 'sensepass' | 'auth' | 'endpoints'> & Partial<Pick<Config, 'admin'>>;

/**
 * true for addresses only this machine can reach: 127.0.0.0/8, ::1, the IPv4-mapped loopback and `localhost`.
 * Everything else (0.0.0.0, ::, a LAN address, any other host name) counts as a network address.
 */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Real money moves unless SensePass is the simulator (the environment decides, not the URL). */
export function movesRealMoney(config: Pick<Config, 'sensepass'>): boolean {
  return config.sensepass.environment !== 'simulator';
}

/**
 * Every finding for a gateway listening on `host` with these endpoints (SOAP services, XML routes, dialect and
 * Terminal Agent endpoints). Errors are the combinations start-up refuses; warnings are printed by `check` and logged
 * at start.
 */
export function exposureFindings(config: ExposureConfig, endpoints: readonly string[], host: string): ExposureFinding[] {
  const out: ExposureFinding[] = [];
  const network = !isLoopback(host);
  const real = movesRealMoney(config);
  const env = config.sensepass.environment;
  const anonymous = endpoints.filter((e) => acceptedMethods(e, config).includes('none'));
  const passwords = endpoints.filter((e) => acceptedMethods(e, config).some((m) => m === 'basic' || m === 'wsse'));
  const plainHttp = config.server.tls === undefined;

  if (network && anonymous.length > 0) {
    const where = `listens on ${host} with ${env} credentials while endpoint(s) ${anonymous.join(', ')} accept anonymous callers`;
    const fix = `set endpoints.<name>.auth to [basic], [wsse] or [mtls] for each (see docs/security.md "Deploying on a LAN")`;
    if (real && !config.server.allowAnonymousOnNetwork) {
      out.push({ severity: 'error', message: `refusing to start: the gateway ${where}; ${fix}, or set server.allowAnonymousOnNetwork: true to accept that anyone on the network can move money` });
    } else if (real) {
      out.push({ severity: 'warning', message: `server.allowAnonymousOnNetwork is true: anyone who can reach ${host} can move money through ${anonymous.join(', ')}; ${fix}` });
    } else {
      out.push({ severity: 'warning', message: `simulator mode on ${host}: endpoint(s) ${anonymous.join(', ')} accept anonymous callers; with real credentials the gateway refuses to start until you ${fix} or set server.allowAnonymousOnNetwork: true` });
    }
  }
  if (network && plainHttp && passwords.length > 0) {
    const where = `endpoint(s) ${passwords.join(', ')} accept passwords (basic/wsse) over plain HTTP on ${host}`;
    const fix = 'configure server.tls (or use mtls), or set auth.allowPasswordsOverPlainHttp: true';
    if (real && !config.auth.allowPasswordsOverPlainHttp) {
      out.push({ severity: 'error', message: `refusing to start: ${where}, where anyone on the network can read them; ${fix}` });
    } else {
      out.push({ severity: 'warning', message: `${where}: anyone on the network can read them; ${fix}` });
    }
  }
  if (network && config.server.publicUrl === undefined) {
    out.push({ severity: 'warning', message: `server.publicUrl is not set on ${host}: WSDL addresses follow the caller's Host header; set server.publicUrl to the address tills should use` });
  }
  const sp = config.sensepass;
  if (sp.callbacks && sp.hmacSecret === undefined) {
    out.push({ severity: 'warning', message: 'sensepass.callbacks is true without sensepass.hmacSecret: callbacks are checked against the simulator secret only; set sensepass.hmacSecret' });
  }
  if (sp.callbacks && config.server.publicUrl !== undefined && !config.server.publicUrl.startsWith('https:')) {
    out.push({ severity: 'warning', message: `sensepass.callbacks is true but server.publicUrl (${config.server.publicUrl}) is not https: callbacks cross the internet in clear` });
  }
  const mtls = endpoints.filter((e) => acceptedMethods(e, config).includes('mtls'));
  if (mtls.length > 0 && config.server.tls?.clientCa === undefined) {
    out.push({ severity: 'warning', message: `endpoint(s) ${mtls.join(', ')} accept mtls but server.tls.clientCa is not set: no client certificate can ever be verified` });
  }
  for (const name of Object.keys(config.endpoints)) {
    if (!endpoints.includes(name)) {
      out.push({ severity: 'warning', message: `endpoints.${name} matches no endpoint of this gateway (known: ${endpoints.join(', ')}); a misspelt name leaves the real endpoint at its default` });
    }
  }
  const admin = config.admin;
  if (admin?.enabled === true && !isLoopback(admin.host) && admin.basicAuth === undefined) {
    out.push({ severity: 'warning', message: `the admin listener (/metrics) listens on ${admin.host}:${admin.port} without admin.basicAuth: anyone on the network can read the gateway's metrics; set admin.basicAuth or admin.host: 127.0.0.1` });
  }
  return out;
}

/** The refusals as the one plain-text line start-up prints, or undefined when there is none. */
export function refusalLine(findings: readonly ExposureFinding[]): string | undefined {
  const errors = findings.filter((f) => f.severity === 'error').map((f) => f.message);
  return errors.length === 0 ? undefined : errors.join('; also ');
}
