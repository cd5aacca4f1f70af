// Plain XML over HTTP: `POST <answers.xml.path>` with a document whose root element a mapping answers. Same
// exchange (journal, await, outcome rules, commit after delivery) as SOAP; replies are `<{root}Response>`, errors
// the documented `<error>` body with the catalogue's HTTP status.
import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../app.js';
import { encodeXmlError, xmlContentType } from '../egress/xml-error.js';
import { gwError, toGatewayError, type GatewayError } from '../errors.js';
import { authenticate } from '../ingress/auth/index.js';
import { parseContentType } from '../ingress/content-type.js';
import { bodyLimitsFrom, readBody } from '../ingress/read-body.js';
import { parseXml } from '../ingress/xml-parse.js';
import type { CompiledMapping, MappingInput } from '../exchange/map/index.js';
import { renderContractError } from './contract-error.js';
import { documentOf, encodeXmlReply } from './xml-document.js';
import { clientGone, header, logFault, requestIdOf, sendPlain, sendReply } from './xml-http.js';

export const XML_MEDIA_TYPES = ['application/xml', 'text/xml'] as const;

/** One route per distinct `answers.xml.path` of the loaded mappings; the path's folder names its auth settings. */
export function createXmlRouter(ctx: AppContext): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const endpoints = new Map<string, string>(); // path → endpoint name (the mapping's pos-system folder)
  for (const m of ctx.mappings.all()) {
    if (m.answers.kind === 'xml' && !endpoints.has(m.answers.path)) endpoints.set(m.answers.path, m.posSystem);
  }
  const limits = bodyLimitsFrom(ctx.config.limits, XML_MEDIA_TYPES);
  for (const [path, endpoint] of endpoints) {
    router.post(path, (req, res) => void handlePost(req, res, ctx, path, endpoint, limits));
    router.all(path, (req, res) => {
      const requestId = requestIdOf(res);
      writeError(res, gwError('GW_ROUTE_METHOD_NOT_ALLOWED'), req, requestId, ctx, { Allow: 'POST' });
    });
  }
  return router;
}

async function handlePost(
  req: Request, res: Response, ctx: AppContext, path: string, endpoint: string, limits: ReturnType<typeof bodyLimitsFrom>,
): Promise<void> {
  const requestId = requestIdOf(res);
  const signal = clientGone(res);
  let root: string | undefined;
  let mapping: CompiledMapping | undefined;
  let input: MappingInput | undefined;
  try {
    const { text } = await readBody(req, limits);
    const document = documentOf(parseXml(text, ctx.config.limits));
    root = document.root;
    mapping = ctx.mappings.forXml(path, root);
    const identity = authenticate({ headers: req.headers, socket: req.socket }, endpoint, ctx.config, ctx.authDeps);
    if (mapping === undefined) throw gwError('GW_ROUTE_UNKNOWN_ROOT', { root: root.slice(0, 64) });
    input = { message: document.body, identity };
    const outbound = await ctx.handle({
      endpoint: path,
      operation: root,
      protocol: 'xml',
      body: document.body,
      identity,
      requestId,
      signal,
    });
    if (outbound.kind === 'fault') return await answerError(res, outbound.error, req, requestId, ctx, root, mapping, input);
    const contentType = xmlContentType(parseContentType(header(req, 'content-type'))?.mediaType);
    const requestRoot = root;
    const failed = sendReply(res, outbound, () => ({ status: 200, contentType, body: encodeXmlReply(requestRoot, outbound.value) }), ctx.logger, requestId);
    if (failed !== undefined) writeError(res, failed, req, requestId, ctx, {}, root);
    else ctx.logger.debug({ requestId, path, root }, 'xml reply');
  } catch (err) {
    const error = toGatewayError(err);
    if (error !== err) ctx.logger.error({ err, requestId, path }, 'unexpected error in the XML endpoint');
    await answerError(res, error, req, requestId, ctx, root, mapping, input);
  }
}

/** Contract-shaped errors: the mapping's own reply document (HTTP 200) for a fault of a known root, else `<error>`. */
async function answerError(
  res: Response, error: GatewayError, req: Request, requestId: string, ctx: AppContext, root: string | undefined,
  mapping: CompiledMapping | undefined, input: MappingInput | undefined,
): Promise<void> {
  const value = root === undefined || res.headersSent ? undefined : await renderContractError(mapping, error, input, ctx.logger);
  if (value === undefined || root === undefined) return writeError(res, error, req, requestId, ctx, {}, root);
  ctx.logger.info({ requestId, path: req.path, root, code: error.code }, 'gateway error answered with the contract reply');
  const contentType = xmlContentType(parseContentType(header(req, 'content-type'))?.mediaType);
  sendPlain(res, { status: 200, contentType, body: encodeXmlReply(root, value) }, {}, ctx.logger, requestId);
}

function writeError(
  res: Response, error: GatewayError, req: Request, requestId: string, ctx: AppContext,
  headers: Readonly<Record<string, string>>, root?: string,
): void {
  logFault(ctx.logger, error, { requestId, path: req.path, root }, 'xml error');
  ctx.metrics.fault(error.code);
  const contentType = xmlContentType(parseContentType(header(req, 'content-type'))?.mediaType);
  sendPlain(res, { status: error.status, contentType, body: encodeXmlError(error, requestId) }, headers, ctx.logger, requestId);
}
