// PaymentApi over fetch: one typed call per SensePass endpoint, a timeout per call, failures as catalogue codes.
// No retries in here (style rule 7): with-retries.ts wraps the calls that are safe to repeat.
import type { SensePassCredentials } from '../../config.js';
import { gwError, isGatewayError } from '../../errors.js';
import { maskId, maskJson, type Logger } from '../../log.js';
import { credentialFields, secretValues, subscriptionHeaders, withCredentials } from './credentials.js';
import { parseEntity, parseEntityList } from './parse-entity.js';
import type { CallOptions, CancelResult, PaymentApi, UpstreamCall, UpstreamResponse } from './payment-api.js';
import { failureFor, upstreamMessage } from './upstream-error.js';

export interface SensePassClientOptions {
  /** REST base ending in /api (config.derived.restBaseUrl). */
  readonly restBaseUrl: string;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
  /** Hosts besides the REST origin a commitLink may point at (SensePass examples use sensepass-api.com too). */
  readonly commitHosts?: readonly string[];
  /** log.captureMessages: at debug level, also log each request and answer body (masked with maskJson). */
  readonly captureMessages?: boolean;
}

interface Sent {
  readonly status: number;
  readonly body: unknown;
  /** false when a non-empty body was not JSON. */
  readonly json: boolean;
}

interface SendSpec {
  readonly method: string;
  readonly url: URL;
  readonly body?: Record<string, unknown> | undefined;
  readonly headers?: Record<string, string> | undefined;
}

const DEFAULT_COMMIT_HOSTS = ['sensepass.com', 'sensepass-api.com'];
// A 400 from cancel whose text says the payment is past cancelling (the 501 of the old page, reference §6.4).
const ALREADY_FINAL = /(already|final|not pending|cannot be cancel|can't be cancel|approved|declined|expired|in progress|consumer activity)/i;

const CANCEL_PATH = /^\/transactions\/cancel(ByDeviceId)?\//;

/** Cancel answers may carry their real status in the body ({"status": 501, …} with HTTP 200). */
function cancelStatus(sent: Sent): number {
  const bodyStatus = (sent.body as { status?: unknown } | undefined)?.status;
  return sent.status >= 200 && sent.status < 300 && typeof bodyStatus === 'number' && bodyStatus >= 400 ? bodyStatus : sent.status;
}

/** Past cancelling: consumer activity or already final (501 / 409, or a 400 that says so). */
function isTooLate(sent: Sent, status: number): boolean {
  return status === 501 || status === 409 || (status === 400 && ALREADY_FINAL.test(upstreamMessage(sent.body) ?? ''));
}

export function createSensePassClient(options: SensePassClientOptions): PaymentApi {
  const base = options.restBaseUrl.replace(/\/+$/, '');
  const baseOrigin = new URL(base).origin;
  const commitHosts = options.commitHosts ?? DEFAULT_COMMIT_HOSTS;
  const log = options.logger;

  const urlFor = (path: string) => new URL(base + (path.startsWith('/') ? path : `/${path}`));

  /** One HTTP exchange under a per-call timeout joined with the caller's signal; network failures become catalogue errors. */
  async function send(spec: SendSpec, callOptions: CallOptions | undefined): Promise<Sent> {
    const caller = callOptions?.signal;
    caller?.throwIfAborted();
    const controller = new AbortController();
    let timedOut = false;
    // A plain timer (not AbortSignal.timeout) so it is cleared the moment the call ends and never outlives it.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.requestTimeoutMs);
    const onAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(spec.url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
        redirect: 'error',
      });
      const text = await res.text();
      log.debug({ method: spec.method, path: logPath(spec.url.pathname), status: res.status, ms: Date.now() - started }, 'sensepass call');
      if (options.captureMessages === true && log.isLevelEnabled('debug')) {
        // Masked before logging; headers and query strings (credentials on GET) are never captured.
        const request = spec.body === undefined ? undefined : maskJson(JSON.stringify(spec.body));
        log.debug({ method: spec.method, path: logPath(spec.url.pathname), request, response: maskJson(text) }, 'sensepass exchange (captured)');
      }
      if (text.trim() === '') return { status: res.status, body: undefined, json: true };
      try {
        return { status: res.status, body: JSON.parse(text) as unknown, json: true };
      } catch {
        return { status: res.status, body: text.slice(0, 500), json: false };
      }
    } catch (err) {
      if (caller?.aborted === true) throw caller.reason;
      if (timedOut) {
        log.warn({ method: spec.method, path: logPath(spec.url.pathname), ms: Date.now() - started }, 'sensepass call timed out');
        throw gwError('GW_UPSTREAM_TIMEOUT', {}, err);
      }
      if (isGatewayError(err)) throw err;
      log.warn({ method: spec.method, path: logPath(spec.url.pathname), cause: (err as Error).name }, 'sensepass unreachable');
      throw gwError('GW_UPSTREAM_UNAVAILABLE', {}, err);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  /** 2xx JSON body, or the mapped failure. */
  function ok(sent: Sent, credentials: SensePassCredentials | undefined): unknown {
    if (sent.status < 200 || sent.status >= 300) {
      throw failureFor(sent.status, sent.body, credentials === undefined ? [] : secretValues(credentials));
    }
    if (!sent.json) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
    return sent.body;
  }

  const post = (path: string, body: Readonly<Record<string, unknown>> | undefined, credentials: SensePassCredentials, o?: CallOptions) =>
    send({ method: 'POST', url: urlFor(path), body: withCredentials(body, credentials, path) }, o);

  /**
   * GET /transactions/{n}: the reference lists the credentials as a body of a GET (§6.2), which fetch cannot send.
   * They go as query parameters AND headers, so either reading works; the gateway never logs query strings.
   */
  function get(path: string, credentials: SensePassCredentials, o?: CallOptions): Promise<Sent> {
    const url = urlFor(path);
    const fields = credentialFields(credentials, path);
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
    return send({ method: 'GET', url, headers: fields }, o);
  }

  const api: PaymentApi = {
    async request(call: UpstreamCall, credentials, o): Promise<UpstreamResponse> {
      let sent: Sent;
      if (call.path.startsWith('/subscription')) {
        sent = await send({ method: call.method, url: urlFor(call.path), body: call.body === undefined ? undefined : { ...call.body }, headers: subscriptionHeaders(credentials) }, o);
      } else if (call.method === 'GET') {
        sent = await get(call.path, credentials, o);
      } else {
        sent = await send({ method: call.method, url: urlFor(call.path), body: withCredentials(call.body, credentials, call.path) }, o);
      }
      // A cancel that comes too late is SensePass's documented answer (501, §6.4), not an outage: hand it to the
      // mapping like cancel() does, instead of reporting SensePass unavailable.
      if (CANCEL_PATH.test(call.path) && isTooLate(sent, cancelStatus(sent))) return { status: cancelStatus(sent), body: sent.body };
      return { status: sent.status, body: ok(sent, credentials) };
    },

    async init(body, credentials, o) {
      return parseEntity(ok(await post('/transactions/init', body, credentials, o), credentials));
    },

    async getTransaction(transactionNumber, credentials, o) {
      const sent = await get(`/transactions/${encodeURIComponent(transactionNumber)}`, credentials, o);
      return parseEntity(ok(sent, credentials));
    },

    async listTransactions(filter, credentials, o) {
      return parseEntityList(ok(await post('/transactions', filter, credentials, o), credentials));
    },

    async cancel(transactionNumber, credentials, o): Promise<CancelResult> {
      const sent = await post(`/transactions/cancel/${encodeURIComponent(transactionNumber)}`, undefined, credentials, o);
      const status = cancelStatus(sent);
      if (status >= 200 && status < 300) return { kind: 'cancelled' };
      if (isTooLate(sent, status)) return { kind: 'too-late', status };
      throw failureFor(status, sent.body, secretValues(credentials));
    },

    async commit(commitLink, o) {
      let url: URL;
      try {
        url = new URL(commitLink);
      } catch {
        throw gwError('GW_UPSTREAM_BAD_RESPONSE');
      }
      // The link comes from an upstream answer: only follow it to SensePass itself, never to an arbitrary host.
      const trusted = url.origin === baseOrigin || (url.protocol === 'https:' && commitHosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`)));
      if (!trusted) throw gwError('GW_UPSTREAM_BAD_RESPONSE');
      const sent = await send({ method: 'GET', url }, o);
      if (sent.status < 200 || sent.status >= 300) throw failureFor(sent.status, sent.body, []);
    },
  };
  return api;
}

/** A device id in a path (cancelByDeviceId/<id>) is a credential: logged masked like everywhere else. */
function logPath(pathname: string): string {
  return pathname.replace(/(\/cancelByDeviceId\/)([^/]+)/, (_m, prefix: string, id: string) => prefix + maskId(decodeURIComponent(id)));
}
