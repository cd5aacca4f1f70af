// Commit metrics: a delivered approval whose first commit fails (SensePass down) counts one failed first attempt,
// then exactly one committed retry by the sweeper; the failed commit calls show as upstream errors.
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../src/admin/prometheus-metrics.js';
import { postSoap, sale, startTestGateway } from '../support/gateway.js';
import { waitFor } from '../e2e/helpers/e2e.js';

async function value(metrics: ReturnType<typeof createPrometheusMetrics>, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  // A histogram's count series is named <name>_count; a counter's values carry no metricName.
  const series = name.endsWith('_seconds') ? `${name}_count` : name;
  const values = (metric?.values ?? []) as ReadonlyArray<{ value: number; labels: Record<string, string | number | undefined>; metricName?: string }>;
  const hit = values.find((v) => (v.metricName ?? name) === series && Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return hit?.value ?? 0;
}

describe('commit metrics', () => {
  it('a failed first commit and the sweeper retry that commits it are counted once each', async () => {
    const metrics = createPrometheusMetrics({ processMetrics: false });
    const gw = await startTestGateway({ deps: { metrics }, config: { sensepass: { commitRetryMs: 200 } } });
    try {
      await gw.sim.control.setRules([{ then: 'approve', afterMs: 20 }]);
      await gw.sim.control.setFaults({ errorRate: 1, errorStatus: 503, errorRoutes: ['GET /transactions/commitPayment/:n'] });
      const r = await postSoap(gw.soapUrl, 'Sale', sale('R-MET-COMMIT'));
      expect(r.fields.Result).toBe('APPROVED');
      const n = r.fields.TransactionId as string;
      expect(await waitFor(() => value(metrics, 'spgw_commits_total', { attempt: 'first', result: 'failed' }), (v) => v === 1)).toBe(1);
      expect(await value(metrics, 'spgw_upstream_request_duration_seconds', { call: 'commit', result: 'error' })).toBeGreaterThanOrEqual(1);

      await gw.sim.control.resetFaults();
      await waitFor(async () => (await gw.sim.control.transaction(n)).committed, (c) => c, 10_000);
      expect(await waitFor(() => value(metrics, 'spgw_commits_total', { attempt: 'retry', result: 'committed' }), (v) => v === 1)).toBe(1);
      expect(await value(metrics, 'spgw_commits_total', { attempt: 'first', result: 'committed' })).toBe(0);
      expect(await value(metrics, 'spgw_commits_total', { attempt: 'first', result: 'failed' })).toBe(1);
    } finally {
      await gw.close();
    }
  });
});
