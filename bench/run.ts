// `npm run bench` (add `-- --quick` for a smoke run, `--only=b1,b2`, `--k=1000`, `--runs=5`): runs the micro
// costs and B1–B3 in separate processes, prints the tables, writes bench/results/*.json, and always kills its children.
import { runB1 } from './b1-overhead.js';
import { runB2 } from './b2-ceiling.js';
import { runB3 } from './b3-waiting.js';
import { killAllNow, runForResult, stopAll } from './lib/children.js';
import { machineFacts } from './lib/machine.js';
import { printReport, writeReport, type BenchResults } from './lib/report.js';
import { gatewayAvailable, startGateway, startSimulator } from './lib/services.js';
import { parseSettings } from './lib/settings.js';
import { readSaleReply, soapHeaders, statusXml, ACME_PATH } from './lib/soap-messages.js';
import type { MicroInput, MicroResult } from './processes/micro-costs.js';

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

const settings = parseSettings(process.argv.slice(2));
const results: BenchResults = { machine: machineFacts(), settings, missing: [] };
const withGateway = gatewayAvailable();
if (!withGateway) results.missing.push('gateway rows of B1 and B2, and all of B3 (src/main.ts not found)');

/** The no-wait path must really answer NOT_FOUND, or B2 would time something else. */
async function checkNoWaitPath(url: string): Promise<void> {
  const body = statusXml('T-B2', 'no-such-receipt');
  const res = await fetch(`${url}${ACME_PATH}`, { method: 'POST', headers: soapHeaders('GetTransactionStatus'), body });
  const reply = readSaleReply(await res.text());
  if (res.status !== 200 || reply.result !== 'NOT_FOUND') throw new Error(`gateway no-wait path answered HTTP ${res.status} ${reply.result ?? ''}`);
}

try {
  if (settings.only.has('micro')) {
    process.stderr.write('micro: per-message costs\n');
    const input: MicroInput = { iterations: settings.micro.iterations, runs: Math.max(3, settings.runs) };
    results.micro = await runForResult<MicroResult>('bench/processes/micro-costs.ts', input, 'micro');
  }
  if (settings.only.has('b1') || settings.only.has('b2')) {
    const sim = await startSimulator();
    const gateway = withGateway ? await startGateway(sim, 'transaction') : undefined;
    try {
      if (settings.only.has('b1')) {
        process.stderr.write('B1: overhead against a direct JSON client\n');
        const gatewayTmpfs = withGateway ? await startGateway(sim, 'transaction', 'tmpfs') : undefined;
        try {
          results.b1 = await runB1(settings, sim, gateway, gatewayTmpfs);
        } finally {
          await gatewayTmpfs?.stop();
        }
      }
      if (settings.only.has('b2')) {
        process.stderr.write('B2: ceiling (bare Express) and the gateway no-wait path\n');
        if (gateway !== undefined) await checkNoWaitPath(gateway.url);
        results.b2 = await runB2(settings, gateway);
      }
    } finally {
      await gateway?.stop();
      await sim.stop();
    }
  }
  if (settings.only.has('b3') && withGateway) {
    process.stderr.write('B3: waiting payments\n');
    results.b3 = await runB3(settings);
  }
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  results.missing.push(`run aborted: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

printReport(results);
process.stdout.write(`\nresults: ${writeReport(results)}\n`);
