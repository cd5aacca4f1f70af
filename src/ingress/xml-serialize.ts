// XmlElement → XML text for content the gateway carries without typing it (xsd:any, .NET DataSets): each element
// declares its own namespace, so the text is a self-contained fragment a mapping can hand to $parseXml.
import { escapeAttr, escapeText } from '../egress/xml-escape.js';
import type { XmlElement } from './xml-tree.js';

/** The children of `el` as one XML fragment (text between elements dropped, as the tree keeps it per element). */
export function serializeChildren(el: XmlElement): string {
  const out: string[] = [];
  for (const child of el.children) write(child, undefined, out);
  if (el.children.length === 0) out.push(escapeText(el.text));
  return out.join('');
}

function write(el: XmlElement, parentNs: string | undefined, out: string[]): void {
  let start = `<${el.local}`;
  if (el.ns !== parentNs) start += ` xmlns="${escapeAttr(el.ns)}"`;
  // Prefixed attributes (msdata:, diffgr:, xsi:) lost their declarations in the tree; only plain ones travel.
  for (const [name, value] of Object.entries(el.attrs)) if (!name.includes(':')) start += ` ${name}="${escapeAttr(value)}"`;
  if (el.children.length === 0 && el.text === '') {
    out.push(`${start}/>`);
    return;
  }
  out.push(`${start}>`);
  if (el.children.length === 0) out.push(escapeText(el.text));
  for (const child of el.children) write(child, el.ns, out);
  out.push(`</${el.local}>`);
}
