// answers.*.when: one operation that carries several transactions (a transaction-type field, e.g. Redsys
// trataPeticion) is answered by several mappings, the first whose `when` is true, else the one without `when`.
import { afterAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { checkMappings, formatProblem, loadMappings } from '../../src/exchange/map/index.js';
import { createRouteTable } from '../../src/exchange/map/route-table.js';
import { anonymous, tempMappings, type TempMappings } from './temp-mappings.js';

const temps: TempMappings[] = [];
afterAll(() => temps.forEach((t) => t.remove()));
const make = (files: Record<string, string>) => {
  const t = tempMappings(files);
  temps.push(t);
  return t;
};
const mapping = (id: string, when?: string) => `id: ${id}
answers: { xml: { path: /xml/t, root: Tx${when === undefined ? '' : `, when: "${when}"`} } }
reply: { Handled: "'${id}'" }
`;
const input = (body: Record<string, unknown>) => ({ message: body, identity: anonymous });

describe('answers.when', () => {
  it('routes each message to the first mapping whose when is true, else to the fallback', async () => {
    const t = make({
      't/a-sale.yaml': mapping('t.sale', "Type = 'SALE'"),
      't/b-refund.yaml': mapping('t.refund', "$parseXml(Data).Tx.Type = 'REFUND'"),
      't/c-other.yaml': mapping('t.other'),
    });
    const routes = createRouteTable((await loadMappings(t.dir)).all());
    expect((await routes.pick('/xml/t', 'Tx', input({ Type: 'SALE' })))?.id).toBe('t.sale');
    expect((await routes.pick('/xml/t', 'Tx', input({ Data: '<Tx><Type>REFUND</Type></Tx>' })))?.id).toBe('t.refund');
    expect((await routes.pick('/xml/t', 'Tx', input({ Type: 'VOID' })))?.id).toBe('t.other');
    expect(await routes.pick('/xml/t', 'Other', input({}))).toBeUndefined();
  });

  it('only true selects (0, "" and "yes" do not), and no fallback means a clear GW_MAP_REJECTED', async () => {
    const t = make({ 't/sale.yaml': mapping('t.sale', 'Flag') });
    const routes = createRouteTable((await loadMappings(t.dir)).all());
    for (const Flag of [0, '', 'yes', 1]) {
      const err = await routes.pick('/xml/t', 'Tx', input({ Flag })).then(() => undefined, (e: unknown) => e);
      expect(isGatewayError(err) && err.code, String(Flag)).toBe('GW_MAP_REJECTED');
      expect(isGatewayError(err) && err.message).toMatch(/no mapping of Tx answers this request/);
    }
    expect((await routes.pick('/xml/t', 'Tx', input({ Flag: true })))?.id).toBe('t.sale');
  });

  it('refuses two mappings of one operation without when, naming the fix', async () => {
    const t = make({ 't/a.yaml': mapping('t.a'), 't/b.yaml': mapping('t.b') });
    const { registry, problems } = await checkMappings(t.dir);
    expect(registry).toBeUndefined();
    const text = problems.map((p) => formatProblem(p, t.dir)).join('\n');
    expect(text).toMatch(/b\.yaml:2:\d+: error: answers the same message as .*a\.yaml.*give each one answers\.xml\.when/);
  });

  it('accepts several mappings with when beside one fallback, and reports a bad when expression with its position', async () => {
    const ok = make({ 't/a.yaml': mapping('t.a', "Type = 'A'"), 't/b.yaml': mapping('t.b', "Type = 'B'"), 't/c.yaml': mapping('t.c') });
    expect((await checkMappings(ok.dir)).problems.filter((p) => p.severity === 'error')).toEqual([]);
    const bad = make({ 't/a.yaml': mapping('t.a', 'Type = ') });
    const { registry, problems } = await checkMappings(bad.dir);
    expect(registry).toBeUndefined();
    expect(problems.map((p) => formatProblem(p, bad.dir)).join('\n')).toMatch(/a\.yaml:2:\d+: error: answers\.xml\.when: expression syntax error/);
  });
});
