// Client authentication for every ingress: the public surface of src/ingress/auth.
export { ANONYMOUS, acceptedMethods, authenticate, createAuthDeps, understandsWsse } from './authenticate.js';
export type { AuthDeps, AuthMethod, AuthRequest } from './authenticate.js';
export { credentialsFor } from './credentials-for.js';
export { tlsServerOptions } from './mtls.js';
export { isWsseSecurityHeader, WSSE_NS, WSSE_SECURITY_KEY, WSU_NS } from './wsse.js';
