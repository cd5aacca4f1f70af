// The text of one scaffolded mapping: answers filled in, every element listed, and a starting key, call and reply
// whose open decisions are `$TODO('…')` calls — an unknown function, so `check` and start-up refuse the file, with
// file:line:col for each one, until the author has made every decision.
import type { OperationInfo, SoapService } from '../ingress/wsdl-service.js';
import type { ElementDecl } from '../ingress/wsdl-schema-model.js';
import { commentBlock, jsonataName } from './scaffold-elements.js';

type Kind = 'payment' | 'refund' | 'cancel' | 'status' | 'other';

export interface ScaffoldTarget {
  readonly posSystem: string;
  readonly service: SoapService;
  readonly operation: OperationInfo;
}

/** `GetTransactionStatus` → `get-transaction-status`. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

export function scaffoldText(t: ScaffoldTarget): string {
  const op = t.operation;
  const fields = childNames(op.input).map(jsonataName);
  const kind = kindOf(op.name, fields);
  const refs = fields.filter((f) => /terminal|receipt|invoice|order|reference|ref(no)?$|ticket|trans(action)?.?(id|no)|pos.?id|store|lane|register|till/i.test(f));
  const refHint = refs.length > 0 ? `e.g. ${refs.slice(0, 3).join(', ')}` : 'e.g. a terminal id and a receipt number';
  const amount = fields.find((f) => /amount|total/i.test(f));
  const currency = fields.find((f) => /currenc/i.test(f));
  const lines: string[] = [
    `# ${op.name} (${t.service.name}), scaffolded from wsdl/${t.posSystem}: replace every $TODO('…'), then run`,
    `#   npx sensepass-gateway check   and   npx sensepass-gateway try ${t.posSystem}.${kebab(op.name)} request.xml`,
    `# check lists each $TODO left as "unknown function $TODO" with its line and column. docs/mapping-format.md`,
    `# explains every section; docs/transaction.md lists what transaction.* and response.* hold.`,
    '#',
    ...commentBlock(`Request <${op.input.name}> (expressions read these paths)`, op.input).map(oneLine),
    '#',
    ...commentBlock(`Reply <${op.output.name}> (the keys of reply:)`, op.output).map(oneLine),
    `id: ${t.posSystem}.${kebab(op.name)}`,
    `answers: { soap: { service: ${t.service.name}, operation: ${op.name} } }`,
    ...plan(kind, refs, refHint, amount, currency),
    'reply:',
    ...replyLines(op.output, kind),
    ...whenExample(kind, firstChild(op.output) ?? 'Result'),
  ];
  return `${lines.join('\n')}\n`;
}

function plan(kind: Kind, refs: readonly string[], refHint: string, amount: string | undefined, currency: string | undefined): string[] {
  const key = `key: "$key($TODO('the request fields that identify ONE ${kind === 'payment' ? 'payment' : 'request'}, ${refHint}'))"`;
  const lookup = `lookup: { key: "$key($TODO('the fields that made the ORIGINAL payment key, ${refHint}'))", required: true }`;
  const amountExpr = amount ?? "$TODO('the amount field, a decimal such as 12.50')";
  const currencyExpr = currency ?? "$TODO('the currency field, or a literal such as USD in quotes')";
  switch (kind) {
    case 'payment':
      return [
        '# The same key again is the same payment, never a second one: a POS retry after a lost reply is safe.',
        key,
        'call:',
        '  sensepass: POST /transactions/init',
        '  body:',
        `    amount: "$cents(${amountExpr}, ${currencyExpr})"   # exact integer minor units, never a float`,
        '    isCent: true',
        `    currency: "${currencyExpr}"`,
        '    timeOut: 100                # SensePass gives up after 100 s, before our deadline below',
        `    # posData: "{ ${(refs.length > 0 ? refs.slice(0, 2) : ['TerminalId', 'ReceiptNo']).map((r) => `'${r.replaceAll('`', '')}': ${r}`).join(', ')} }"   # optional: POS references shown in SensePass`,
        '# Keep the deadline below the POS\'s own timeout and above timeOut.',
        'await: { until: final, deadline: 110s, onDeadline: cancel }',
        'context:                        # stored with the payment: what a later refund or void needs',
        `  amount: "$cents(${amountExpr}, ${currencyExpr})"`,
        `  currency: "${currencyExpr}"`,
      ];
    case 'refund':
      return [
        key,
        lookup,
        'call:',
        '  sensepass: POST /transactions/refund',
        '  body:',
        "    transactionNumber: \"original.outcome = 'APPROVED' ? $required(original.transactionNumber, 'original transaction number') : $reject('the original is not an approved payment')\"",
        '    isPartial: false           # partial: isPartial: true and refundAmount: "$cents(Amount, original.context.currency)"',
        '# A refund is answered at once: its outcome comes from the response, not from a final status.',
        "outcome: \"response.errorCode = 0 ? 'APPROVED' : 'DECLINED'\"",
      ];
    case 'cancel':
      return [
        `key: "$key('cancel', $TODO('the request fields that identify this cancellation, ${refHint}'))"`,
        lookup,
        'call:',
        "  sensepass: \"POST /transactions/cancel/{$required(original.transactionNumber, 'transaction number')}\"",
        '# SensePass confirms with {"status": 200}; anything else is not a confirmation.',
        "outcome: \"response.status = 200 ? 'CANCELLED' : 'UNKNOWN'\"",
      ];
    case 'status':
      return [
        lookup,
        'call:',
        "  sensepass: \"GET /transactions/{$required(original.transactionNumber, 'transaction number')}\"",
        '# Pending statuses read as UNKNOWN (docs/transaction.md has every status).',
        'outcome: "$outcomeOf(response.status)"',
      ];
    default:
      return [
        `# ${'No money moves here, so no key and no call: the reply is built from the request alone.'}`,
        '# If this operation does take a payment, start from a Sale skeleton instead.',
      ];
  }
}

function replyLines(output: ElementDecl, kind: Kind): string[] {
  if (output.type.kind !== 'complex' || output.type.sequence.length === 0) return ['  {}'];
  return output.type.sequence.map((d) => {
    const optional = d.minOccurs === 0 ? ' (optional: delete the line to leave it out)' : '';
    return `  ${d.name}: "$TODO('${hintFor(d.name, kind)}')"${optional ? `   #${optional}` : ''}`;
  });
}

function hintFor(name: string, kind: Kind): string {
  const money = kind !== 'other';
  if (/^(result|status|outcome|state)$/i.test(name) && money) return 'e.g. $outcome: APPROVED DECLINED FAILED CANCELLED TIMED_OUT UNKNOWN';
  if (/code$/i.test(name) && /result|response|status|error/i.test(name) && money) return 'e.g. $lookup of $outcome to the contract codes';
  if (/trans.*(id|number|no|ref)/i.test(name) && money) return 'e.g. transaction.TransactionNumber, a 56-hex string';
  if (/auth|approval/i.test(name) && money) return 'e.g. transaction.confirmations[0].confirmationNumber';
  if (/amount|total/i.test(name) && money) return 'e.g. $decimal of transaction.amount with the currency';
  if (/message|text|description/i.test(name)) return 'a text for the POS, a literal in quotes';
  return 'an expression or a literal in quotes';
}

/** A commented `when:` whose key can fire for this kind of operation. */
function whenExample(kind: Kind, element: string): string[] {
  if (kind === 'other') return [];
  const looksUp = kind !== 'payment';
  return [
    `# Overlay the reply for one outcome or one gateway error (a SOAP fault otherwise), for example:`,
    '# when:',
    looksUp ? `#   GW_MAP_ORIGINAL_NOT_FOUND: { ${element}: "'NOT_FOUND'" }` : `#   DECLINED: { ${element}: "'DECLINED'" }`,
  ];
}

function kindOf(operation: string, fields: readonly string[]): Kind {
  if (/refund|return/i.test(operation)) return 'refund';
  if (/void|cancel|revers/i.test(operation)) return 'cancel';
  if (/status|query|inquir|^get|find|lookup/i.test(operation)) return 'status';
  if (/sale|pay|purchase|charge|auth|debit/i.test(operation) || fields.some((f) => /amount|total/i.test(f))) return 'payment';
  return 'other';
}

function childNames(decl: ElementDecl): string[] {
  return decl.type.kind === 'complex' ? decl.type.sequence.map((d) => d.name) : [];
}

function firstChild(decl: ElementDecl): string | undefined {
  return childNames(decl)[0];
}

function oneLine(line: string): string {
  return line.replace(/[\r\n]+/g, ' ');
}
