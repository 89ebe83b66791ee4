// Nanosecond timestamps are u64 values that do not fit a double exactly.
// scry keeps them as (seconds, nanoseconds) pairs of plain numbers, split with
// exact integer arithmetic so no BigInt is allocated per event.

const TWO32 = 4294967296;

/** Splits the u64 `hi*2^32+lo` nanoseconds into [seconds, nanoseconds]. Writes into out. */
export function splitNs(hi: number, lo: number, out: { sec: number; nsec: number }): void {
  // Long division by 1e9 over 16-bit limbs keeps every intermediate below 2^53.
  const l3 = hi >>> 16, l2 = hi & 0xffff, l1 = lo >>> 16, l0 = lo & 0xffff;
  let r = l3;
  const q3 = Math.floor(r / 1e9); r -= q3 * 1e9;
  r = r * 65536 + l2; const q2 = Math.floor(r / 1e9); r -= q2 * 1e9;
  r = r * 65536 + l1; const q1 = Math.floor(r / 1e9); r -= q1 * 1e9;
  r = r * 65536 + l0; const q0 = Math.floor(r / 1e9); r -= q0 * 1e9;
  out.sec = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
  out.nsec = r;
}

/** Reads a little-endian u64 nanosecond timestamp at off as [sec, nsec]. */
export function readNs(buf: Buffer, off: number, out: { sec: number; nsec: number }): void {
  splitNs(buf.readUInt32LE(off + 4), buf.readUInt32LE(off), out);
}

/** Nanosecond difference a-b, exact while it is below 2^53 ns (104 days). */
export function diffNs(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (aSec - bSec) * 1e9 + (aNsec - bNsec);
}

/** Converts (sec, nsec) back to hi/lo u32 words. */
export function joinNs(sec: number, nsec: number): { hi: number; lo: number } {
  // sec*1e9 + nsec computed in 16-bit limbs.
  const a = sec * 1e9 + nsec; // approximate, used only to get hi
  let hi = Math.floor(a / TWO32);
  // correct hi/lo exactly: lo = total - hi*2^32 computed via sec/nsec decomposition
  const secHi = Math.floor(sec / 65536), secLo = sec - secHi * 65536;
  // total = secHi*65536*1e9 + secLo*1e9 + nsec
  const p1 = secHi * 1e9; // < 2^53 for sane secs
  // p1*65536 mod 2^32 and div 2^32
  const p1Hi = Math.floor(p1 / 65536), p1Lo = p1 - p1Hi * 65536; // p1 = p1Hi*65536 + p1Lo
  // p1*65536 = p1Hi*2^32 + p1Lo*65536
  let low = p1Lo * 65536 + secLo * 1e9 + nsec;
  hi = p1Hi + Math.floor(low / TWO32);
  low = low - Math.floor(low / TWO32) * TWO32;
  return { hi, lo: low };
}

/** u64 nanoseconds as a decimal string, exact. */
export function nsToString(sec: number, nsec: number): string {
  if (sec === 0) return String(nsec);
  return String(sec) + String(nsec).padStart(9, '0');
}
