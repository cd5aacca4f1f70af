// Machine facts printed next to every table: figures mean nothing without the CPU, cores, memory and limits.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { REPO } from './children.js';

export interface MachineFacts {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly openFilesLimit: string;
  readonly ephemeralPorts: string;
  readonly gitCommit: string;
  readonly runner: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAtStart: number;
}

export function machineFacts(): MachineFacts {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    openFilesLimit: openFilesLimit(),
    ephemeralPorts: readOr('/proc/sys/net/ipv4/ip_local_port_range', 'unknown').replace(/\s+/g, '–'),
    gitCommit: gitCommit(),
    runner: 'node --import tsx (TypeScript compiled on load; no runtime difference from dist/)',
    loadAtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

function openFilesLimit(): string {
  const line = readOr('/proc/self/limits', '').split('\n').find((l) => l.startsWith('Max open files'));
  const parts = line?.split(/\s{2,}/) ?? [];
  return parts.length >= 3 ? `${parts[1]} soft / ${parts[2]} hard` : 'unknown';
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (+ uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}
