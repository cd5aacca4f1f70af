// The SOAP endpoint of one POS system at /soap/<endpoint>: serves its WSDL, turns each POST into an InboundMessage
// for the exchange, and writes the reply or fault. All per-request state lives in this function's closure.
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { encodeSoapFault, encodeSoapReply } from '../egress/soap-encode.js';
import { soapContentType } from '../egress/soap-envelope-xml.js';
import { gwError, toGatewayError, type ErrorCode, type GatewayError } from '../errors.js';
import { decodeSoapEnvelope } from '../ingress/soap-decode.js';
import { faultVersionFor } from '../ingress/soap-envelope.js';
import { bodyLimitsFrom, readBody, type BodyLimits } from '../ingress/read-body.js';
import { parseXml } from '../ingress/xml-parse.js';
import type { XmlElement, XmlLimits } from '../ingress/xml-tree.js';
import type { SoapService, SoapVersion } from '../ingress/wsdl-service.js';
import { maskXml, type Logger } from '../log.js';
import type { MappingInput } from '../exchange/map/index.js';
import type { ContractErrorReply } from './contract-error.js';
import type { ClientIdentity, MessageHandler } from './message.js';
import { deliver, type DeliveryCallbacks } from './soap-delivery.js';
import { documentRequest, endpointUrl, renderRequested } from './soap-wsdl-route.js';

/** The `limits` section of the configuration (body size and time, XML shape). */
export interface SoapLimits extends XmlLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

const SOAP_MEDIA_TYPES = ['text/xml', 'application/soap+xml'] as const;

export interface SoapRouterOptions {
  /** Endpoint name; the router answers at `/soap/<endpoint>`. */
  readonly endpoint: string;
  readonly service: SoapService;
  readonly handler: MessageHandler;
  readonly limits: SoapLimits;
  readonly logger: Logger;
  /** server.publicUrl: base written into the served WSDL instead of the Host header (behind a proxy). */
  readonly publicUrl?: string | undefined;
  /** Authenticates a request from its HTTP headers and SOAP header blocks; anonymous when absent. Throw GW_AUTH_*. */
  readonly authenticate?: (
    req: Request, soapHeaders: readonly XmlElement[], body: Record<string, unknown>,
  ) => ClientIdentity | Promise<ClientIdentity>;
  /** Element local names masked in raw message capture besides the usual secrets (e.g. a body password element). */
  readonly secretElements?: readonly string[];
  /** SOAP header blocks `{ns}local` that `authenticate` processes (mustUnderstand="1" on others faults). */
  readonly understoodHeaders?: ReadonlySet<string>;
  /** Whether a mapping answers the operation; an unmapped one gets GW_OPERATION_NOT_MAPPED (all mapped when absent). */
  readonly isMapped?: (operation: string) => boolean;
  /** log.captureMessages: at debug level, also log each request and reply text (masked with maskXml). */
  readonly captureMessages?: boolean | undefined;
  /** Contract-shaped errors: the reply body a mapping gives for a fault of a known operation (contract-error.ts). */
  readonly contractErrors?: ContractErrorReply | undefined;
  /** Hears every fault this endpoint answers with (a SOAP Fault or a contract error reply), for /metrics. */
  readonly onFault?: ((code: ErrorCode) => void) | undefined;
}

const ANONYMOUS: ClientIdentity = Object.freeze({ name: 'anonymous', method: 'none' });
// Every SOAP fault goes out as HTTP 500, SOAP 1.2 Sender faults included: .NET asmx and older Java clients only
// read a fault body on 500 (SOAP 1.2 part 2 suggests 400 for Sender; see docs/soap.md).
const FAULT_STATUS = 500;

/** An Express router to mount with `app.use(router)`; it carries its own path `/soap/<endpoint>`. */
export function createSoapRouter(options: SoapRouterOptions): Router {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(options.endpoint)) throw gwError('GW_CONFIG_INVALID', { detail: `endpoint name ${options.endpoint}` });
  const path = `/soap/${options.endpoint}`;
  const bodyLimits = bodyLimitsFrom(options.limits, SOAP_MEDIA_TYPES);
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get(path, (req, res) => serveDocument(req, res, path, options));
  router.post(path, (req, res) => handlePost(req, res, options, bodyLimits));
  router.all(path, (req, res) => {
    sendFault(res, gwError('GW_ROUTE_METHOD_NOT_ALLOWED'), '1.1', requestIdOf(req), 405, { Allow: 'GET, POST' }, options);
  });
  return router;
}

function serveDocument(req: Request, res: Response, path: string, options: SoapRouterOptions): void {
  const requestId = requestIdOf(req);
  const which = documentRequest(req);
  try {
    if (which.kind === 'none') throw gwError('GW_ROUTE_METHOD_NOT_ALLOWED');
    const body = renderRequested(options.service, which, endpointUrl(req, path, options.publicUrl));
    deliver(res, { status: 200, contentType: 'text/xml; charset=utf-8', body, headers: { 'Cache-Control': 'no-cache' } }, {}, options.logger, requestId);
  } catch (err) {
    const error = toGatewayError(err);
    const allow: Record<string, string> = error.code === 'GW_ROUTE_METHOD_NOT_ALLOWED' ? { Allow: 'GET, POST' } : {};
    sendFault(res, error, '1.1', requestId, error.status, allow, options);
  }
}

async function handlePost(req: Request, res: Response, options: SoapRouterOptions, bodyLimits: BodyLimits): Promise<void> {
  const requestId = requestIdOf(req);
  const contentType = req.headers['content-type'];
  const { logger } = options;
  // The POS hanging up before the reply is written aborts the exchange (res 'close', not req 'close': Node 20 / Express 5).
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let version: SoapVersion | undefined;
  let operation: string | undefined;
  let input: MappingInput | undefined;
  let undelivered: ((reason?: GatewayError) => void) | undefined;
  try {
    const { text } = await readBody(req, bodyLimits);
    capture(options, requestId, 'soap request (captured)', text);
    const hints = { contentType, soapAction: headerValue(req, 'soapaction'), understoodHeaders: options.understoodHeaders ?? new Set<string>() };
    const decoded = decodeSoapEnvelope(options.service, parseXml(text, options.limits), hints, (op, v) => {
      operation = op;
      version = v;
    });
    const identity = options.authenticate === undefined ? ANONYMOUS : await options.authenticate(req, decoded.headers, decoded.body);
    input = { message: decoded.body, identity };
    if (options.isMapped !== undefined && !options.isMapped(decoded.operation)) {
      throw gwError('GW_OPERATION_NOT_MAPPED', { operation: decoded.operation });
    }
    const outbound = await options.handler({
      endpoint: options.endpoint,
      operation: decoded.operation,
      protocol: version === '1.1' ? 'soap11' : 'soap12',
      body: decoded.body,
      identity,
      requestId,
      signal: controller.signal,
    });
    if (outbound.kind === 'fault') {
      await answerError(res, outbound.error, decoded.version, requestId, options, decoded.operation, input);
      return;
    }
    undelivered = outbound.onUndelivered;
    const body = encodeSoapReply(options.service, decoded.operation, outbound.value, decoded.version);
    const callbacks: DeliveryCallbacks = { onDelivered: outbound.onDelivered, onUndelivered: outbound.onUndelivered };
    undelivered = undefined;
    logger.debug({ requestId, operation, version: decoded.version }, 'soap reply');
    capture(options, requestId, 'soap reply (captured)', body);
    deliver(res, { status: 200, contentType: soapContentType(decoded.version), body, headers: { 'X-Request-Id': requestId } }, callbacks, logger, requestId);
  } catch (err) {
    // A reply that could not be built is never delivered, so its payment must not be committed.
    const error = toGatewayError(err);
    const refused = undelivered;
    if (refused !== undefined) safely(() => refused(error), logger, requestId);
    if (error !== err) logger.error({ err, requestId, operation }, 'unexpected error in the SOAP endpoint');
    // A reply whose payment hooks ran as undelivered is not replaced by a contract error reply (it stays a fault).
    if (refused === undefined && version !== undefined && operation !== undefined) {
      await answerError(res, error, version, requestId, options, operation, input);
      return;
    }
    sendFault(res, error, version ?? faultVersionFor(error, contentType), requestId, FAULT_STATUS, {}, options, operation);
  }
}

/** A fault of a known operation: the contract's own reply when its mapping gives one (HTTP 200), else the fault. */
async function answerError(
  res: Response, error: GatewayError, version: SoapVersion, requestId: string, options: SoapRouterOptions, operation: string,
  input: MappingInput | undefined,
): Promise<void> {
  const value = await options.contractErrors?.(operation, error, input);
  let body: string | undefined;
  if (value !== undefined) {
    try {
      body = encodeSoapReply(options.service, operation, value, version);
    } catch (err) {
      options.logger.warn({ requestId, operation, code: error.code, renderCode: toGatewayError(err).code }, 'contract error reply does not fit the schema; answering with a fault');
    }
  }
  if (body === undefined) {
    sendFault(res, error, version, requestId, FAULT_STATUS, {}, options, operation);
    return;
  }
  options.onFault?.(error.code);
  options.logger.info({ requestId, operation, code: error.code, version }, 'gateway error answered with the contract reply');
  capture(options, requestId, 'soap reply (captured)', body);
  deliver(res, { status: 200, contentType: soapContentType(version), body, headers: { 'X-Request-Id': requestId } }, {}, options.logger, requestId);
}

function sendFault(
  res: Response, error: GatewayError, version: SoapVersion, requestId: string, status: number,
  headers: Readonly<Record<string, string>>, options: Pick<SoapRouterOptions, 'logger' | 'onFault'>, operation?: string,
): void {
  const { logger } = options;
  options.onFault?.(error.code);
  const line = { requestId, operation, code: error.code, version };
  if (error.fault === 'server') logger.warn(line, 'soap fault');
  else logger.info(line, 'soap fault');
  const body = encodeSoapFault(error, version, requestId);
  const payload = { status, contentType: soapContentType(version), body, headers: { ...headers, 'X-Request-Id': requestId } };
  deliver(res, payload, {}, logger, requestId);
}

/** Raw message capture: masked before it reaches the logger, and only built when debug is on. */
function capture(options: SoapRouterOptions, requestId: string, what: string, text: string): void {
  if (options.captureMessages === true && options.logger.isLevelEnabled('debug')) {
    options.logger.debug({ requestId, raw: maskElements(maskXml(text), options.secretElements ?? []) }, what);
  }
}

/** Blanks the content of elements named in `names` (any prefix), e.g. a contract's own password element. */
function maskElements(text: string, names: readonly string[]): string {
  let out = text;
  for (const re of maskPatterns(names)) out = out.replace(re, (_m, tag: string, attrs = '') => `<${tag}${attrs}>[redacted]</${tag}>`);
  return out;
}

const patternCache = new WeakMap<readonly string[], readonly RegExp[]>();
// Element content as maskXml reads it: text and CDATA sections (a CDATA password must not slip through).
const CONTENT = '(?:[^<]|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)*';

/** Compiled once per router configuration, not per captured message. */
function maskPatterns(names: readonly string[]): readonly RegExp[] {
  let patterns = patternCache.get(names);
  if (patterns === undefined) {
    const escaped = names.map((n) => n.replace(/[.\\-]/g, '\\$&'));
    patterns = escaped.map((name) => new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?${name})(\\s[^>]*)?>${CONTENT}</\\1\\s*>`, 'g'));
    patternCache.set(names, patterns);
  }
  return patterns;
}

function requestIdOf(req: Request): string {
  const fromLocals: unknown = req.res?.locals.requestId;
  return typeof fromLocals === 'string' && fromLocals !== '' ? fromLocals : randomUUID();
}

function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safely(fn: () => void, logger: Logger, requestId: string): void {
  try {
    fn();
  } catch (err) {
    logger.error({ err, requestId }, 'onUndelivered hook failed');
  }
}
