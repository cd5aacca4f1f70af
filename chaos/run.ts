// `npm run chaos`: N POSes send ≥1,000 Sales over SOAP to a gateway process that is killed with SIGKILL and
// restarted on the same data directory, against a simulator process with faults and outcome rules; at the end what
// every POS was last told is compared with SensePass's truth. Exit code 1 when any violation count is above 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAllNow, stopAll } from '../bench/lib/children.js';
import { seededRandom } from '../src/simulator/random.js';
import { parseOptions } from './lib/options.js';
import { runFleet } from './lib/pos.js';
import { GatewayProcess, startSimulatorProcess } from './lib/processes.js';
import { printReport } from './lib/report.js';
import { faultPhase, rules } from './lib/scenario.js';
import { readTruth } from './lib/truth.js';
import { judge, type KillWindow } from './lib/verdict.js';
import { settle } from './lib/settle.js';

const REQUEST_TIMEOUT_MS = 3_000;

const options = parseOptions(process.argv.slice(2));
process.on('SIGINT', () => {
  killAllNow();
  process.exit(130);
});

const started = Date.now();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spgw-chaos-'));
console.log(`chaos: ${options.sales} Sales, ${options.poses} POSes, ${options.kills} kills, seed "${options.seed}", socketMode ${options.socketMode}; data ${dataDir}`);

const sim = await startSimulatorProcess(options.seed);
const gateway = new GatewayProcess({ sim, dataDir, socketMode: options.socketMode, requestTimeoutMs: REQUEST_TIMEOUT_MS });
let exitCode = 1;
try {
  await gateway.start();
  await sim.control.setRules(rules());
  let phase = 0;
  await sim.control.setFaults(faultPhase(phase, REQUEST_TIMEOUT_MS).faults);
  console.log(`phase 0: ${faultPhase(0, REQUEST_TIMEOUT_MS).name}`);

  const stopAt = started + options.maxMinutes * 60_000;
  const fleet = runFleet({ soapUrl: () => gateway.soapUrl, poses: options.poses, sales: options.sales, random: seededRandom(`${options.seed}/pos`), stopAt });
  const kills: KillWindow[] = [];
  // Kills at evenly spaced fractions of the Sales; fault phases change at each third.
  const killAt = Array.from({ length: options.kills }, (_, k) => Math.round(((k + 1) * options.sales) / (options.kills + 1)));
  let running = true;
  const conductor = (async () => {
    while (running) {
      const finished = fleet.finished();
      if (killAt.length > 0 && finished >= (killAt[0] ?? Infinity)) {
        killAt.shift();
        const killedAt = Date.now();
        await gateway.kill9();
        console.log(`kill -9 of the gateway after ${finished} Sales (${Math.round((killedAt - started) / 1000)} s); restarting on the same data directory`);
        await gateway.start();
        kills.push({ killedAt, readyAt: Date.now() });
        console.log(`  ready again after ${Date.now() - killedAt} ms`);
      }
      const due = Math.min(2, Math.floor((3 * fleet.finished()) / options.sales));
      if (due > phase) {
        phase = due;
        await sim.control.setFaults(faultPhase(phase, REQUEST_TIMEOUT_MS).faults);
        console.log(`phase ${phase}: ${faultPhase(phase, REQUEST_TIMEOUT_MS).name}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const progress = setInterval(() => console.log(`  ${fleet.finished()}/${options.sales} Sales finished (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
  await fleet.done;
  running = false;
  await conductor;
  clearInterval(progress);
  const salesEnded = Date.now();

  // Faults off, then give the commit sweeper its chance before SensePass's truth is measured.
  const faultsHit = await sim.control.getFaults();
  await sim.control.resetFaults();
  const settled = await settle(sim.control, fleet.records, 30_000);
  const truth = await readTruth(sim.control);
  const verdict = judge(fleet.records, truth, kills);
  const stats = await sim.control.stats();
  // Every attempt of every Sale and the kill windows, for reading a failing run beside gateway.log.
  writeFileSync(path.join(dataDir, 'chaos-records.json'), JSON.stringify({ kills, records: fleet.records, violations: verdict.violations }, null, 1));
  printReport({
    options, records: fleet.records, truth, verdict, stats, kills,
    faultsHit: { answersDropped: faultsHit.answersDropped, answersDelayed: faultsHit.answersDelayed }, notSent: fleet.notSent(), cut: fleet.cut(),
    salesMs: salesEnded - started, settleMs: settled, totalMs: Date.now() - started, logFile: gateway.logFile,
  });
  // 1: a violation; 3: no violation, but the time bound left Sales unsent (the run proves less than asked).
  exitCode = Object.values(verdict.counts).some((n) => n > 0) ? 1 : fleet.notSent() + fleet.cut() > 0 ? 3 : 0;
} catch (err) {
  console.error('chaos run failed:', err);
  exitCode = 2;
} finally {
  await gateway.stop().catch(() => undefined);
  await sim.stop().catch(() => undefined);
  await stopAll();
}
// A clean run leaves nothing behind; a failing one keeps its journal and gateway log for reading.
if (exitCode === 0) rmSync(dataDir, { recursive: true, force: true });
else console.log(`kept for inspection: ${dataDir}`);
process.exit(exitCode);
