// The routes that depend on the contracts (one SOAP endpoint per WSDL folder, one XML route per mapped path),
// built once per contract set and looked up per request, so a reload changes them with a single reference swap.
import express, { type Router } from 'express';
import type { AppContext } from '../app.js';
import { authenticate, understandsWsse, WSSE_SECURITY_KEY } from '../ingress/auth/index.js';
import { soapContractErrors } from '../route/contract-error.js';
import { createSoapRouter } from '../route/soap-router.js';
import { passwordElementName } from '../ingress/auth/body-credentials.js';
import type { Config } from '../config.js';
import { createXmlRouter } from '../route/xml-router.js';
import type { ContractSet } from './contract-set.js';

/** Builds every contract route of `set`; throws (GW_CONFIG_INVALID) when one cannot be built, before any swap. */
export function createContractRouter(set: ContractSet, context: AppContext): Router {
  const { config, logger } = context;
  const router = express.Router({ caseSensitive: true, strict: true });
  for (const [endpoint, service] of set.soapServices) {
    router.use(
      createSoapRouter({
        endpoint,
        service,
        handler: context.handle,
        limits: config.limits,
        logger,
        publicUrl: config.server.publicUrl,
        understoodHeaders: understandsWsse(endpoint, config) ? new Set([WSSE_SECURITY_KEY]) : undefined,
        captureMessages: config.log.captureMessages,
        contractErrors: soapContractErrors(set.mappings, endpoint, logger),
        onFault: (code) => context.metrics.fault(code),
        isMapped: (operation) => set.mappings.forSoap(service.name, operation) !== undefined,
        secretElements: bodyPasswordElements(endpoint, config),
        authenticate: (req, soapHeaders, body) =>
          authenticate({ headers: req.headers, socket: req.socket, soapHeaders, body }, endpoint, config, context.authDeps),
      }),
    );
  }
  // The XML router reads its paths and roots from the mappings it is given: this set's, not the start-up ones.
  router.use(createXmlRouter({ ...context, soapServices: set.soapServices, mappings: set.mappings }));
  return router;
}

/** Body credentials' password element, masked in captured messages like the usual secrets. */
function bodyPasswordElements(endpoint: string, config: Config): string[] {
  const spec = Object.hasOwn(config.endpoints, endpoint) ? config.endpoints[endpoint]?.bodyCredentials : undefined;
  return spec === undefined ? [] : [passwordElementName(spec)];
}
