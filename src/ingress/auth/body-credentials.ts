// Identity from the message body: contracts such as TurkPos (G/CLIENT_USERNAME, G/CLIENT_PASSWORD) or Mercury
// (`pw`) carry the POS's user and password in every request instead of a header. The password is taken OUT of the
// typed body as it is read, so it never reaches mappings, the journal or the idempotency fingerprint.

/** Dotted paths into the operation element's typed content (`endpoints.<name>.bodyCredentials`). */
export interface BodyCredentialsSpec {
  readonly user: string;
  readonly password: string;
}

export type BodyCredentials = { readonly username: string; readonly password: string } | 'invalid' | undefined;

/**
 * Reads the user and password named by `spec` and removes the password from `body`. Neither present → undefined
 * (the request simply carries no body credentials); one without the other, or a non-text value → 'invalid'.
 */
export function takeBodyCredentials(body: Record<string, unknown>, spec: BodyCredentialsSpec): BodyCredentials {
  const user = read(body, spec.user);
  const password = read(body, spec.password);
  removeAt(body, spec.password);
  if (user === undefined && password === undefined) return undefined;
  if (typeof user !== 'string' || typeof password !== 'string' || user === '') return 'invalid';
  return { username: user, password };
}

function read(body: Record<string, unknown>, dotted: string): unknown {
  let at: unknown = body;
  for (const step of dotted.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

function removeAt(body: Record<string, unknown>, dotted: string): void {
  const steps = dotted.split('.');
  const last = steps.pop() ?? '';
  const parent = steps.length === 0 ? body : read(body, steps.join('.'));
  if (typeof parent === 'object' && parent !== null && !Array.isArray(parent) && Object.hasOwn(parent, last)) {
    delete (parent as Record<string, unknown>)[last];
  }
}

/** The password element's local name, for masking raw message capture (`Credentials.Password` → `Password`). */
export function passwordElementName(spec: BodyCredentialsSpec): string {
  return spec.password.split('.').pop() ?? spec.password;
}
