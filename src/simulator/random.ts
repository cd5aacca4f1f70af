// Randomness for ids, tokens and fault decisions: crypto by default, a seeded stream in deterministic mode.
import { createHash, randomBytes } from 'node:crypto';

export interface Random {
  bytes(n: number): Buffer;
  /** Uniform in [0, 1). */
  float(): number;
  hex(chars: number): string;
  /** Lowercase letters and digits, the shape of SensePass device ids and tokens (reference §2.4). */
  alnum(chars: number): string;
  digits(chars: number): string;
  uuid(): string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Seeded: SHA-256 in counter mode, so a stream is reproducible and independent of other streams. */
export function seededRandom(seed: string): Random {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (n: number): Buffer => {
    while (pool.length < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return Buffer.from(out);
  };
  return fromBytes(bytes);
}

export function cryptoRandom(): Random {
  return fromBytes((n) => randomBytes(n));
}

/** One independent stream per purpose, so fault decisions never shift the ids of a seeded run. */
export function randomStream(deterministic: boolean, seed: string, purpose: string): Random {
  return deterministic ? seededRandom(`${seed}/${purpose}`) : cryptoRandom();
}

function fromBytes(bytes: (n: number) => Buffer): Random {
  const float = (): number => bytes(6).readUIntBE(0, 6) / 2 ** 48;
  const pick = (alphabet: string, chars: number): string => {
    let out = '';
    // Rejection sampling keeps every symbol equally likely.
    const limit = 256 - (256 % alphabet.length);
    while (out.length < chars) {
      for (const b of bytes(chars - out.length + 8)) {
        if (b < limit && out.length < chars) out += alphabet[b % alphabet.length];
      }
    }
    return out;
  };
  return {
    bytes,
    float,
    hex: (chars) => bytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars),
    alnum: (chars) => pick(ALNUM, chars),
    digits: (chars) => pick('0123456789', chars),
    uuid: () => {
      const h = bytes(16);
      h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
      h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
      const s = h.toString('hex');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}
