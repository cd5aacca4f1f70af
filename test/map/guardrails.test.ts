// Guardrails: a mapping expression can neither hang the gateway nor exhaust its stack or memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { loadMappings, type MappingRegistry } from '../../src/exchange/map/index.js';
import { anonymous, tempMappings, type TempMappings } from './temp-mappings.js';

const mapping = (id: string, op: string, key: string) => `
id: ${id}
answers: { soap: { service: S, operation: ${op} } }
key: ${JSON.stringify(key)}
reply: { Result: "$outcome" }
`;

let tmp: TempMappings;
let registry: MappingRegistry;
beforeAll(async () => {
  tmp = tempMappings({
    'pos/loop.yaml': mapping('loop', 'Loop', '( $f := function($n) { $f($n + 1) }; $f(0) )'),
    'pos/deep.yaml': mapping('deep', 'Deep', '( $f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000) )'),
    'pos/nested.yaml': mapping('nested', 'Nested', '$string($sum([1..900].($count([1..900].($ * 2)))))'),
    'pos/long.yaml': mapping('long', 'Long', '$string($count([1..5000000]))'),
    'pos/fine.yaml': mapping('fine', 'Fine', "( $f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $string($f(20)) & '/' & ReceiptNo )"),
  });
  registry = await loadMappings(tmp.dir, { limits: { steps: 20_000, stack: 150, sequence: 1000 } });
});
afterAll(() => tmp.remove());

async function failure(id: string): Promise<{ code: string; ms: number }> {
  const started = Date.now();
  try {
    await registry.byId(id)?.key({ message: { ReceiptNo: 'R1' }, identity: anonymous });
  } catch (err) {
    return { code: isGatewayError(err) ? err.code : 'not a catalogue error', ms: Date.now() - started };
  }
  return { code: 'no error', ms: Date.now() - started };
}

describe('expression guardrails', () => {
  it('stops an endless (tail-recursive) loop at the step budget', async () => {
    const r = await failure('loop');
    expect(r.code).toBe('GW_MAP_EXPRESSION_FAILED');
    expect(r.ms).toBeLessThan(5000);
  });

  it('stops a huge loop (each sequence within the limit, 810,000 steps in all) at the step budget', async () => {
    const r = await failure('nested');
    expect(r.code).toBe('GW_MAP_EXPRESSION_FAILED');
    expect(r.ms).toBeLessThan(5000);
  });

  it('stops deep recursion at the stack limit, quickly', async () => {
    const r = await failure('deep');
    expect(r.code).toBe('GW_MAP_EXPRESSION_FAILED');
    expect(r.ms).toBeLessThan(2000);
  });

  it('refuses sequences longer than the limit', async () => {
    expect((await failure('long')).code).toBe('GW_MAP_EXPRESSION_FAILED');
  });

  it('lets bounded recursion within the limits through', async () => {
    expect(await registry.byId('fine')?.key({ message: { ReceiptNo: 'R1' }, identity: anonymous })).toBe('20/R1');
  });

  it('keeps guardrails per evaluation: a runaway expression does not disturb a concurrent one', async () => {
    const [loop, fine] = await Promise.all([failure('loop'), registry.byId('fine')?.key({ message: { ReceiptNo: 'R2' }, identity: anonymous })]);
    expect(loop.code).toBe('GW_MAP_EXPRESSION_FAILED');
    expect(fine).toBe('20/R2');
  });
});
