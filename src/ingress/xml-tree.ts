// The parsed XML shape every ingress path produces: an ordered element tree with resolved namespaces.
// Values stay strings here; only the schema (WSDL/XSD) or a mapping decides types.

export interface XmlElement {
  /** Qualified name as written, e.g. "soap:Envelope". */
  readonly name: string;
  /** Local name, e.g. "Envelope". */
  readonly local: string;
  /** Resolved namespace URI ('' when none). */
  readonly ns: string;
  /** Attributes by qualified name as written (xmlns declarations excluded). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct text content (CDATA included), untrimmed. */
  readonly text: string;
}

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  readonly maxAttributes: number;
  readonly maxTextLength: number;
}
