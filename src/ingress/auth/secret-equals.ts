// Constant-time comparison of secrets: hashing both sides first makes the time independent of length and content.
import { createHash, timingSafeEqual } from 'node:crypto';

export function secretEquals(a: string | Buffer, b: string | Buffer): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
