// Drop-in for SensePass's own adapters: `POST /api-soap/<path>` (SOAP 1.1, `<SensePass>` in and out) and
// `POST /api-xml/<path>` (`<data>` in, `<root>` out) for every SensePass REST path, plus `…/transactions/init/sync`.
// Elements become exactly the JSON SensePass expects (src/dialect/field-types.ts) and the JSON answer becomes XML.
import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../app.js';
import { REQUEST_FIELDS } from '../dialect/field-types.js';
import { elementToJson } from '../dialect/xml-to-json.js';
import { envelope, soapContentType } from '../egress/soap-envelope-xml.js';
import { encodeSoapFault } from '../egress/soap-fault.js';
import { encodeXmlDocument, xmlElement } from '../egress/xml-encode.js';
import { encodeXmlError, xmlContentType } from '../egress/xml-error.js';
import { gwError, toGatewayError, type GatewayError } from '../errors.js';
import { authenticate, understandsWsse, WSSE_SECURITY_KEY } from '../ingress/auth/index.js';
import { parseContentType } from '../ingress/content-type.js';
import { bodyLimitsFrom, readBody } from '../ingress/read-body.js';
import { openEnvelope } from '../ingress/soap-envelope.js';
import { parseXml } from '../ingress/xml-parse.js';
import type { XmlElement } from '../ingress/xml-tree.js';
import { dialectCall, idempotencyKeyOf } from './dialect-call.js';
import { passthroughExchangesFor } from './dialect-exchange.js';
import type { PassthroughReply } from './dialect-mapping.js';
import type { ClientIdentity } from './message.js';
import { clientGone, header, logFault, requestIdOf, sendPlain, sendReply } from './xml-http.js';

/** Endpoint names for `endpoints.<name>.auth` in the configuration. */
export const SOAP_DIALECT = 'sensepass-soap';
export const XML_DIALECT = 'sensepass-xml';

type Flavor = typeof SOAP_DIALECT | typeof XML_DIALECT;

interface Opened {
  readonly payload: XmlElement;
  readonly identity: ClientIdentity;
}

export function createDialectRouter(ctx: AppContext): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  if (!ctx.config.dialects.enabled) return router;
  const soapLimits = bodyLimitsFrom(ctx.config.limits, ['text/xml', 'application/soap+xml']);
  const xmlLimits = bodyLimitsFrom(ctx.config.limits, ['application/xml', 'text/xml']);

  const openSoap = async (req: Request): Promise<Opened> => {
    const { text } = await readBody(req, soapLimits);
    const understood = new Set(understandsWsse(SOAP_DIALECT, ctx.config) ? [WSSE_SECURITY_KEY] : []);
    const opened = openEnvelope(parseXml(text, ctx.config.limits), new Set(['1.1']), {
      contentType: header(req, 'content-type'),
      soapAction: header(req, 'soapaction'),
      understoodHeaders: understood,
    });
    const identity = authenticate({ headers: req.headers, socket: req.socket, soapHeaders: opened.headers }, SOAP_DIALECT, ctx.config, ctx.authDeps);
    return { payload: expectRoot(opened.operationElement, 'SensePass'), identity };
  };
  const openXml = async (req: Request): Promise<Opened> => {
    const { text } = await readBody(req, xmlLimits);
    const root = parseXml(text, ctx.config.limits);
    const identity = authenticate({ headers: req.headers, socket: req.socket }, XML_DIALECT, ctx.config, ctx.authDeps);
    return { payload: expectRoot(root, 'data'), identity };
  };

  router.post('/api-soap/*path', (req, res) => void handle(req, res, ctx, SOAP_DIALECT, openSoap));
  router.post('/api-xml/*path', (req, res) => void handle(req, res, ctx, XML_DIALECT, openXml));
  for (const [prefix, flavor] of [['/api-soap/*path', SOAP_DIALECT], ['/api-xml/*path', XML_DIALECT]] as const) {
    router.all(prefix, (req, res) => writeError(res, gwError('GW_ROUTE_METHOD_NOT_ALLOWED'), flavor, req, requestIdOf(res), ctx, { Allow: 'POST' }));
  }
  return router;
}

async function handle(req: Request, res: Response, ctx: AppContext, flavor: Flavor, open: (req: Request) => Promise<Opened>): Promise<void> {
  const requestId = requestIdOf(res);
  const signal = clientGone(res);
  try {
    const call = dialectCall(segmentsOf(req), header(req, 'x-http-method-override'));
    const idempotencyKey = idempotencyKeyOf(header(req, 'idempotency-key'));
    const { payload, identity } = await open(req);
    const outbound = await passthroughExchangesFor(ctx).run({
      family: flavor,
      method: call.method,
      path: call.path,
      body: elementToJson(payload, REQUEST_FIELDS),
      sync: call.sync,
      idempotencyKey,
      identity,
      protocol: flavor === SOAP_DIALECT ? 'soap11' : 'xml',
      requestId,
      signal,
    });
    if (outbound.kind === 'fault') return writeError(res, outbound.error, flavor, req, requestId, ctx, {});
    const reply = outbound.value as unknown as PassthroughReply;
    const failed = sendReply(res, outbound, () => render(flavor, reply, req), ctx.logger, requestId);
    if (failed !== undefined) writeError(res, failed, flavor, req, requestId, ctx, {});
    else ctx.logger.debug({ requestId, flavor, method: call.method, path: call.path }, 'dialect reply');
  } catch (err) {
    const error = toGatewayError(err);
    if (error !== err) ctx.logger.error({ err, requestId, flavor }, 'unexpected error in a dialect endpoint');
    writeError(res, error, flavor, req, requestId, ctx, {});
  }
}

/** SOAP: `<SensePass>` in a SOAP 1.1 envelope, HTTP 200. XML: `<root>`, with SensePass's 2xx status. */
function render(flavor: Flavor, reply: PassthroughReply, req: Request): { status: number; contentType: string; body: string } {
  const content = replyContent(reply.body);
  if (flavor === SOAP_DIALECT) return { status: 200, contentType: soapContentType('1.1'), body: envelope('1.1', xmlElement('SensePass', content)) };
  const status = reply.status >= 200 && reply.status < 300 ? reply.status : 200;
  return { status, contentType: xmlContentType(parseContentType(header(req, 'content-type'))?.mediaType), body: encodeXmlDocument('root', content) };
}

/** A JSON object is the root's content; a list answer becomes repeated `<item>`; a bare value the root's text. */
function replyContent(body: unknown): unknown {
  if (Array.isArray(body)) return { item: body };
  if (body === undefined || body === null) return {};
  return body;
}

function writeError(
  res: Response, error: GatewayError, flavor: Flavor, req: Request, requestId: string, ctx: AppContext, headers: Readonly<Record<string, string>>,
): void {
  logFault(ctx.logger, error, { requestId, flavor, path: req.path }, 'dialect error');
  ctx.metrics.fault(error.code);
  // SOAP: a 1.1 Fault with HTTP 500, as SOAP 1.1 §6.2 requires; XML: the <error> body with the catalogue status.
  const payload =
    flavor === SOAP_DIALECT
      ? { status: error.code === 'GW_ROUTE_METHOD_NOT_ALLOWED' ? 405 : 500, contentType: soapContentType('1.1'), body: encodeSoapFault(error, '1.1', requestId) }
      : { status: error.status, contentType: xmlContentType(parseContentType(header(req, 'content-type'))?.mediaType), body: encodeXmlError(error, requestId) };
  sendPlain(res, payload, headers, ctx.logger, requestId);
}

function expectRoot(element: XmlElement, local: string): XmlElement {
  if (element.local !== local) throw gwError('GW_ROUTE_UNKNOWN_ROOT', { root: element.local.slice(0, 64) });
  return element;
}

function segmentsOf(req: Request): string[] {
  const p: unknown = (req.params as Record<string, unknown>).path;
  return Array.isArray(p) ? p.map(String) : typeof p === 'string' ? p.split('/') : [];
}
