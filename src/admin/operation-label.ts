// The `operation` label of an exchange. SOAP operations and XML roots are names from the loaded contracts; a
// pass-through call (dialect and Terminal Agent endpoints) is "METHOD /path", whose path can carry a transaction
// number or a device id: those segments become {id}, so the label set stays bounded and holds no identifier.
import { TRANSACTION_ACTIONS } from '../route/dialect-call.js';

/** Path words kept as they are: SensePass's resources and actions (anything else is an identifier). */
const PATH_WORDS: ReadonlySet<string> = new Set([
  ...TRANSACTION_ACTIONS,
  'transactions', 'subscription', 'devices', 'create', 'match', 'readyForPayment', 'closeAuth', 'commit', 'tokenize', 'Capture', 'sync', 'last',
]);
const PASS_THROUGH = /^(GET|POST|PATCH) (\/\S*)$/;
const MAX_SEGMENTS = 4;

export function operationLabel(operation: string): string {
  const m = PASS_THROUGH.exec(operation);
  if (m === null) return operation;
  const segments = (m[2] as string).split('/').filter((s) => s !== '');
  const kept = segments.slice(0, MAX_SEGMENTS).map((s) => (PATH_WORDS.has(s) ? s : '{id}'));
  if (segments.length > MAX_SEGMENTS) kept.push('…');
  return `${m[1] as string} /${kept.join('/')}`;
}
