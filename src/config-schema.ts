// The configuration schema: every key, its type and its default, in one place.
import { z } from 'zod';
import { patternProblem } from './exchange/authorize/allow-list.js';

// Env values arrive as strings, so numbers and booleans coerce; "false" must not become true.
const num = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) =>
  z
    .preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean())
    .default(def);

/** A secret is a literal, or a reference to an environment variable or a file (preferred). */
export const SecretRef = z.union([
  z.string().min(1),
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** SensePass credentials for one POS identity (reference §3): exactly one of deviceId / apiKey / merchantApiKey. */
export const SensePassCredentialsSchema = z
  .strictObject({
    deviceId: SecretRef.optional(),
    apiKey: SecretRef.optional(),
    merchantApiKey: SecretRef.optional(),
    branchNumber: z.string().min(1).optional(),
  })
  .refine((c) => [c.deviceId, c.apiKey, c.merchantApiKey].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of deviceId, apiKey or merchantApiKey',
  });

/** Integer minor units, e.g. 5000 = 50.00 USD. */
const minorUnits = z.coerce.number().int().nonnegative();

/**
 * What an identity may do (docs/security.md "Authorization"): allow-list of mapped operations and pass-through paths,
 * ceilings for money going out, payments in flight. Omitted keys take the safe defaults in src/exchange/authorize/.
 */
export const PolicyShape = {
  /** Mapping ids (`acme-pos.*`) and pass-through paths (`/api/transactions/{n}`, optionally with a method first); a leading `!` denies. */
  allow: z
    .array(z.string().min(1).max(200).superRefine((p, ctx) => {
      const problem = patternProblem(p);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }))
    .max(200)
    .optional(),
  /** POST …/transactions/pay with card data instead of a token (a card-testing oracle when open). */
  rawCardPay: bool(false),
  /** Largest amount per request, in minor units; unset = no ceiling beyond the refund bound. */
  ceilings: z
    .strictObject({ refund: minorUnits.optional(), credit: minorUnits.optional(), capture: minorUnits.optional(), void: minorUnits.optional() })
    .prefault({}),
  /** Payments this identity may have in flight at once (beyond: GW_CLIENT_BUSY, nothing started). */
  maxInFlight: z.coerce.number().int().positive().optional(),
};
export const PolicySchema = z.strictObject(PolicyShape);

// Names are journal scopes and the prefix of posData.gatewayKey (`<name>/<key>`, read for ownership): no '/'.
const CLIENT_NAME = /^[A-Za-z0-9_.@:-]{1,128}$/;

export const ClientSchema = z.strictObject({
  ...PolicyShape,
  /** SensePass credentials used for this POS identity's payments. */
  sensepass: SensePassCredentialsSchema.optional(),
  /** HTTP Basic / WS-Security UsernameToken password for this identity. */
  password: SecretRef.optional(),
  /** mTLS: the client certificate's subject CN or SHA-256 fingerprint that identifies this client. */
  certificate: z
    .strictObject({ subjectCN: z.string().optional(), fingerprint256: z.string().optional() })
    .optional(),
});

const BodyPath = z.string().regex(/^[A-Za-z_][\w.-]*(?:\.[A-Za-z_][\w.-]*)*$/, 'a dotted element path such as G.CLIENT_USERNAME');

export const EndpointSchema = z.strictObject({
  /** Accepted authentication methods; 'none' lets anonymous clients use the default credentials. */
  auth: z.array(z.enum(['none', 'basic', 'wsse', 'mtls'])).default(['none']),
  /**
   * Identity from the message body (contracts that carry a user and password in every request): dotted paths into
   * the operation element's content. Verified against clients.<user>.password like WS-Security; see docs/mapping-format.md.
   */
  bodyCredentials: z.strictObject({ user: BodyPath, password: BodyPath }).optional(),
});

export const ConfigSchema = z.strictObject({
  server: z
    .strictObject({
      /** Loopback by default: only this machine can reach the gateway until someone decides otherwise. */
      host: z.string().default('127.0.0.1'),
      port: num(8080),
      /** Accept anonymous callers (an endpoint whose auth includes 'none') on a non-loopback address with sandbox or
       *  production credentials. Refused at start-up otherwise; warned at every start when set. */
      allowAnonymousOnNetwork: bool(false),
      /** Public base URL of this gateway (WSDL addresses behind a proxy, SensePass callbacks). */
      publicUrl: z.url().optional(),
      /** SIGTERM: how long waiting exchanges may still finish before the deadline ladder runs. */
      shutdownGraceMs: num(30_000),
      tls: z
        .strictObject({
          cert: SecretRef,
          key: SecretRef,
          /** CA bundle for client certificates; setting it turns on mTLS. */
          clientCa: SecretRef.optional(),
        })
        .optional(),
    })
    .prefault({}),
  /** The admin listener (/metrics; see docs/operations.md): separate from the POS port, loopback by default. */
  admin: z
    .strictObject({
      enabled: bool(true),
      host: z.string().default('127.0.0.1'),
      port: num(9464),
      /** Optional HTTP Basic credentials for every admin route (compared in constant time). */
      basicAuth: z.strictObject({ user: z.string().min(1), password: SecretRef }).optional(),
    })
    .prefault({}),
  sensepass: z
    .strictObject({
      environment: z.enum(['simulator', 'sandbox', 'production']).default('simulator'),
      /** Override of the REST base (…/api); defaults follow `environment`. */
      restBaseUrl: z.url().optional(),
      /** Override of the Socket.IO origin; defaults follow `environment`. */
      socketUrl: z.url().optional(),
      requestTimeoutMs: num(10_000),
      /** Retry interval for commits of delivered approvals that failed (SensePass reverses uncommitted ones). */
      commitRetryMs: num(15_000),
      /** Socket.IO subscription: one connection per transaction (tr_<n>) or per device (id_<deviceId>). */
      socketMode: z.enum(['transaction', 'device']).default('transaction'),
      /** Credentials used when a request carries no authenticated identity. */
      credentials: SensePassCredentialsSchema.optional(),
      /** The merchant's HMAC secret for verifying callbacks. */
      hmacSecret: SecretRef.optional(),
      /** Pass our own callbackURL (needs server.publicUrl) and accept signed callbacks. */
      callbacks: bool(false),
      /** A callback's HMAC-Random-Key is remembered this long; the same key again is refused as a replay. */
      callbackReplayWindowSeconds: num(86_400),
      /** Callback keys remembered at most (bounded memory); when full, new callbacks are refused (fail closed). */
      maxCallbackKeys: num(100_000),
      /** Path (under server.publicUrl) where SensePass callbacks are received when callbacks are on. */
      callbackPath: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be a path starting with /').default('/sensepass/callback'),
      /** Device socket mode: a device connection with no payment in flight closes after this many ms. */
      socketIdleMs: num(60_000),
    })
    .prefault({}),
  simulator: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: num(8081),
      /** Consumer plays approve this many ms after a payment is created (0 = never by itself). */
      approveAfterMs: num(2_000),
      /** Seconds an approved payment waits for its commit before it is reversed. */
      commitWindowSeconds: num(7_200),
      hmacSecret: z.string().default('simulator-hmac-secret'),
      seed: z.string().optional(),
    })
    .prefault({}),
  paths: z
    .strictObject({
      mappings: z.string().default('mappings'),
      wsdl: z.string().default('wsdl'),
      data: z.string().default('data'),
    })
    .prefault({}),
  journal: z
    .strictObject({
      /** SQLite file; defaults to <paths.data>/journal.sqlite. */
      file: z.string().optional(),
      retentionHours: num(24),
      /** How long a write waits for a lock held by another process. better-sqlite3 is synchronous, so this blocks
       *  every payment in flight for that long: keep it short; a payment then fails closed (GW_JOURNAL_UNAVAILABLE). */
      busyTimeoutMs: num(1_000),
      /** 'full' (default) fsyncs every commit: an entry survives power loss. 'normal' (WAL) survives a process crash but
       *  not an OS crash or power loss: the entry written before a payment may be lost and a retry pay twice.
       *  Opt-in only; see docs/lifecycle.md "Journal durability". */
      synchronous: z.enum(['full', 'normal']).default('full'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** At debug level, also log inbound and outbound messages (masked). */
      captureMessages: bool(false),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Cap on the body after decompression; the raw (on-the-wire) body is capped at the same size. */
      maxBodyBytes: num(1_048_576),
      /** The whole body must arrive within this time (slow-loris protection). */
      bodyTimeoutMs: num(10_000),
      maxDepth: num(64),
      maxElements: num(10_000),
      maxAttributes: num(64),
      maxTextLength: num(65_536),
      /** Exchanges one gateway works on at once (bounded memory); beyond it a request gets GW_SERVER_BUSY, nothing started. */
      maxConcurrentExchanges: num(20_000),
      /** Every payment created (pass-through and mapped init) gets timeOut ≤ this many seconds (also when none is sent). */
      maxPaymentTimeoutSeconds: z.coerce.number().int().positive().default(300),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** WS-Security Created must be within this many seconds of now. */
      timestampWindowSeconds: num(300),
      /** Failed attempts per client address per minute before GW_AUTH_RATE_LIMITED. */
      maxFailuresPerMinute: num(10),
      /** Failed attempts per configured user name per minute (from any address) before GW_AUTH_RATE_LIMITED. */
      maxFailuresPerUserPerMinute: num(10),
      /** Client addresses tracked for failure counting (oldest dropped beyond this; bounds memory). */
      maxTrackedAddresses: num(10_000),
      /** WS-Security nonces remembered for replay detection; when full, new tokens are refused (fail closed). */
      maxNonces: num(100_000),
      /** Allow basic / wsse on a non-loopback address without server.tls (passwords cross the network in clear). */
      allowPasswordsOverPlainHttp: bool(false),
    })
    .prefault({}),
  /** SensePass dialect (/api-soap, /api-xml) and Terminal Agent (/api) endpoints; see docs/xml-and-dialects.md. */
  dialects: z
    .strictObject({
      enabled: bool(true),
      /** A synchronous init waits for SensePass's own timeOut plus this grace before the deadline ladder runs. */
      syncGraceMs: num(15_000),
      /** The timeOut (seconds) assumed for a synchronous init that sends none (SensePass's default). */
      defaultTimeOutSeconds: num(600),
      /** GET /api/devices answers the real deviceId (a credential) instead of an opaque per-client handle. */
      revealDeviceId: bool(false),
    })
    .prefault({}),
  /** POS identities: user name / certificate / terminal → SensePass credentials and what they may do. Names are
   *  journal scopes and the prefix of posData.gatewayKey (ownership), so no '/' and not the reserved 'anonymous'. */
  clients: z
    .record(z.string(), ClientSchema)
    .superRefine((clients, ctx) => {
      for (const name of Object.keys(clients)) {
        if (name === 'anonymous') ctx.addIssue({ code: 'custom', path: [name], message: '"anonymous" is reserved: put its policy in the top-level anonymous block' });
        else if (!CLIENT_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'client names use 1-128 letters, digits and _ . @ : - (no "/")' });
      }
    })
    .default({}),
  /** Policy for callers admitted by auth 'none' (allow, rawCardPay, ceilings, maxInFlight; see docs/security.md). */
  anonymous: PolicySchema.prefault({}),
  /** Per-endpoint settings keyed by endpoint name (e.g. "acme-pos"). */
  endpoints: z.record(z.string(), EndpointSchema).default({}),
});

export type ConfigInput = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigSchema>;
