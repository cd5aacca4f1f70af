// Reads the gateway's bench probe (bench/processes/gateway-probe.ts): memory, open fds, event-loop delay.
import type { ProbeReading } from '../processes/gateway-probe.js';

export type { ProbeReading };

export async function probe(probeUrl: string, action: 'read' | 'reset' | 'gc' = 'read'): Promise<ProbeReading> {
  const res = await fetch(action === 'read' ? `${probeUrl}/probe` : `${probeUrl}/probe/${action}`, { method: action === 'read' ? 'GET' : 'POST' });
  return (await res.json()) as ProbeReading;
}
