// Nanosecond timestamps are u64 values that do not fit a double exactly.
// scry keeps them as (seconds, nanoseconds) pairs of plain numbers, split with
// exact integer arithmetic so no BigInt is allocated per event.

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




/** u64 nanoseconds as a decimal string, exact. */
export function nsToString(sec: number, nsec: number): string {
  if (sec === 0) return String(nsec);
  return String(sec) + String(nsec).padStart(9, '0');
}
