// Which SensePass credentials pay for a client's request: its own from config, the default ones for anonymous
// clients, never anything the POS sent (SensePass keys never live on the POS, and never in mapping files).
import type { Config, SensePassCredentials } from '../../config.js';
import { gwError } from '../../errors.js';
import type { ClientIdentity } from '../../route/message.js';

export function credentialsFor(identity: ClientIdentity, config: Config): SensePassCredentials {
  if (identity.method === 'none' && identity.name === 'anonymous') {
    const d = config.derived.defaultCredentials;
    if (d !== undefined) return d;
    throw gwError('GW_AUTH_NO_CREDENTIALS');
  }
  const own = Object.hasOwn(config.clients, identity.name) ? config.clients[identity.name]?.sensepass : undefined;
  if (own === undefined) throw gwError('GW_AUTH_NO_CREDENTIALS');
  return own;
}
