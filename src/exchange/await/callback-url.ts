// The callbackURL the gateway passes in /transactions/init when callbacks are on (config sensepass.callbacks).
import type { Config } from '../../config.js';

/** publicUrl + callbackPath, without a double slash. */
export function buildCallbackUrl(publicUrl: string, callbackPath: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${callbackPath.replace(/^\/+/, '')}`;
}

/** Fields to merge into the init body: `{ callbackURL }` when callbacks are enabled, `{}` otherwise (the default). */
export function callbackInitFields(config: Pick<Config, 'sensepass' | 'server'>): { callbackURL?: string } {
  const { callbacks, callbackPath } = config.sensepass;
  const publicUrl = config.server.publicUrl;
  if (!callbacks || publicUrl === undefined) return {};
  return { callbackURL: buildCallbackUrl(publicUrl, callbackPath) };
}
