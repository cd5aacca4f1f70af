// Standalone simulator (`npm run simulator`): SPGW_SIMULATOR__* settings, logs its URLs, stops on SIGINT/SIGTERM.
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { DEMO_API_KEY, DEMO_BRANCH_NUMBER, DEMO_DEVICE_ID } from './demo-merchant.js';
import { startSimulator } from './index.js';

const config = loadConfig();
const log = createLogger({ level: config.log.level === 'silent' ? 'info' : config.log.level });
const s = config.simulator;
const sim = await startSimulator({
  host: s.host,
  port: s.port,
  approveAfterMs: s.approveAfterMs,
  commitWindowSeconds: s.commitWindowSeconds,
  hmacSecret: s.hmacSecret,
  ...(s.seed === undefined ? {} : { deterministic: true, seed: s.seed }),
  logger: log.child({ component: 'simulator' }),
});
log.info(
  {
    restBaseUrl: sim.restBaseUrl,
    socketUrl: sim.url,
    controlUrl: `${sim.url}/_sim`,
    // The demo credentials are public simulator values, shown so a developer can curl right away.
    demoDeviceId: DEMO_DEVICE_ID,
    demoBranchNumber: DEMO_BRANCH_NUMBER,
    demoApiKeyHint: `${DEMO_API_KEY.slice(0, 8)}… (see src/simulator/demo-merchant.ts)`,
  },
  'SensePass simulator ready (this is NOT SensePass: no money moves)',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'simulator stopping');
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'simulator did not close cleanly');
        process.exit(1);
      },
    );
  });
}
