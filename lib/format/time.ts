// Event time texts for evt.outputtime under sysdig's -t modes:
//   h  wall clock of the day, local time, with nanoseconds (default)
//   a  absolute seconds.nanoseconds since the epoch (nanoseconds not padded, as sysdig prints them)
//   r  relative to the first event of the capture
//   d  latency: exit time minus the thread's last enter time (0 on enter events)
//   D  delta since the previous event this output line was built for

import { timeString } from '../fields/render';

export type TimeMode = 'h' | 'a' | 'r' | 'd' | 'D';

export function isTimeMode(s: string): s is TimeMode {
  return s === 'h' || s === 'a' || s === 'r' || s === 'd' || s === 'D';
}

// Consecutive events mostly fall in the same second: its "HH:MM:SS." is kept.
let clockSec = -1;
let clockPrefix = '';
const ZEROS = ['', '00000000', '0000000', '000000', '00000', '0000', '000', '00', '0', ''];

/** Clock time of the day with nanoseconds (the 'h' mode and evt.time). */
export function clockText(sec: number, nsec: number): string {
  if (sec !== clockSec) {
    const full = timeString(sec, 0, false, true);
    clockPrefix = full.slice(0, full.length - 9);
    clockSec = sec;
  }
  if (nsec >= 100000000) return clockPrefix + nsec;
  const d = '' + nsec;
  return clockPrefix + ZEROS[d.length] + d;
}

/** "S.NNNNNNNNN" of a non-negative (sec, nsec) interval. */
export function secNsText(sec: number, nsec: number): string {
  return sec + '.' + (nsec < 100000000 ? String(nsec).padStart(9, '0') : String(nsec));
}

/** "S.NNNNNNNNN" of (aSec, aNsec) - (bSec, bNsec), wrapping like u64 arithmetic when negative. */
export function diffText(aSec: number, aNsec: number, bSec: number, bNsec: number): string {
  let s = aSec - bSec, n = aNsec - bNsec;
  if (n < 0) { n += 1e9; s -= 1; }
  if (s >= 0) return secNsText(s, n);
  const total = BigInt.asUintN(64, BigInt(s) * 1000000000n + BigInt(n));
  return secNsText(Number(total / 1000000000n), Number(total % 1000000000n));
}

/** Nanoseconds as "S.NNNNNNNNN". */
export function nsText(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return secNsText(s, ns - s * 1e9);
}
