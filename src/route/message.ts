// The contract between ingress (SOAP, XML, JSON) and the exchange: one inbound message in, one outcome out.
import type { GatewayError } from '../errors.js';

export type Protocol = 'soap11' | 'soap12' | 'xml' | 'json';

/** Who sent the message (after authentication); the idempotency scope and the credentials key. */
export interface ClientIdentity {
  /** Config key under `clients`, or 'anonymous'. */
  readonly name: string;
  readonly method: 'none' | 'basic' | 'wsse' | 'mtls' | 'body';
}

export interface InboundMessage {
  /** Endpoint name, e.g. "acme-pos". */
  readonly endpoint: string;
  /** Operation (SOAP) or root element (XML) the message answers to. */
  readonly operation: string;
  readonly protocol: Protocol;
  /** The operation element's content as a plain object, typed by the schema (strings stay strings; declared arrays are arrays). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly identity: ClientIdentity;
  /** Request id for logs and faults. */
  readonly requestId: string;
  /** Aborted when the POS closes its connection before the reply is written. */
  readonly signal: AbortSignal;
}

export type OutboundMessage =
  | {
      readonly kind: 'reply';
      /** The response element's content as a plain object; egress orders and namespaces it by the schema. */
      readonly value: Readonly<Record<string, unknown>>;
      /** Called by egress once the whole reply was written to the POS connection (e.g. payment commit). */
      readonly onDelivered?: () => void;
      /** Called by egress when the reply could not be written completely (never commit then); reason when egress refused it. */
      readonly onUndelivered?: (reason?: GatewayError) => void;
    }
  | { readonly kind: 'fault'; readonly error: GatewayError };

/** What the exchange layer offers to every ingress. */
export type MessageHandler = (message: InboundMessage) => Promise<OutboundMessage>;
