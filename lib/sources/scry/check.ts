// `scry --check FILE`: reads a whole capture (every chunk decompressed and
// verified) and reports what it holds and what is damaged.

import * as fs from 'fs';
import { CaptureError, ScapReader } from '../scap/reader';
import { detectFormat, CaptureFormat } from '../open';
import { STDIN_PATH } from '../input';
import { CaptureWarning, ScryReader, ScryReadStats } from './reader';
import { nsToString } from '../../util/time';

export interface CheckReport {
  file: string;
  format: CaptureFormat;
  /** File size in bytes. */
  bytes: number;
  /** scry: format version "major.minor". */
  version?: string;
  /** scry: chunks found. */
  chunks: number;
  /** Events read. */
  events: number;
  /** Events hidden from output (flagged state-only: sysdig -F files). */
  hiddenEvents: number;
  /** First and last event time, ns since the epoch (decimal strings). */
  firstTs?: string;
  lastTs?: string;
  /** Threads and fds in the initial state. */
  threads: number;
  fds: number;
  /** scry: the file has its chunk index (it was closed properly). */
  indexed: boolean;
  /** The file was cut short (writer killed, disk full). */
  truncated: boolean;
  /** Everything wrong, located by byte offset. */
  damage: CaptureWarning[];
  /** Faults read around, losing nothing (.scap: an interface list sysdig's -w sized wrong). */
  repairs: CaptureWarning[];
  /** Events known to be lost to damage. */
  eventsLost: number;
  /** Kernel drop counters recorded in the capture, per cpu (null when none). */
  drops: number[] | null;
  /** No damage at all. */
  ok: boolean;
}

export async function checkCapture(file: string): Promise<CheckReport> {
  // (it reports sizes and offsets in the file, and a .scry file's index: a file, not a pipe)
  if (file === STDIN_PATH) throw new CaptureError(file, 0, '--check reads a file, not standard input (save the stream to a file first)');
  const format = detectFormat(file);
  const rep: CheckReport = {
    file, format, bytes: fs.statSync(file).size, chunks: 0, events: 0, hiddenEvents: 0, threads: 0, fds: 0,
    indexed: false, truncated: false, damage: [], repairs: [], eventsLost: 0, drops: null, ok: true,
  };
  let minHi = -1, minLo = 0, maxHi = -1, maxLo = 0;
  const onEvent = (ev: { buf: Buffer; off: number; blockFlags: number }): void => {
    rep.events++;
    if (ev.blockFlags & 1) rep.hiddenEvents++;
    const lo = ev.buf.readUInt32LE(ev.off), hi = ev.buf.readUInt32LE(ev.off + 4);
    if (minHi < 0 || hi < minHi || (hi === minHi && lo < minLo)) { minHi = hi; minLo = lo; }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) { maxHi = hi; maxLo = lo; }
  };
  const sink = { thread: () => { rep.threads++; }, fd: () => { rep.fds++; } };
  if (format === 'scry') {
    const r = new ScryReader(file, sink, onEvent, { replaySkippedState: false, requireEvents: false });
    r.onWarning = (w) => rep.damage.push(w);
    r.onDrops = (d) => { rep.drops = d; };
    r.onHeader = (h) => { rep.version = `${h.major}.${h.minor}`; };
    const st: ScryReadStats = await r.read();
    rep.chunks = st.chunks;
    rep.indexed = st.indexed;
    rep.truncated = st.truncated;
    rep.eventsLost = st.eventsLost;
  } else {
    const r = new ScapReader(file, sink, onEvent);
    r.requireEvents = false;
    r.onRepair = (offset, message) => rep.repairs.push({ file, offset, message });
    r.onDrops = (d) => { rep.drops = d; };
    try {
      await r.read();
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      rep.damage.push({ file, offset: e.offset, message: e.reason });
      rep.truncated = /truncated|ends early/.test(e.reason);
    }
  }
  const ts = (hi: number, lo: number): string => {
    const v = BigInt(hi) * 4294967296n + BigInt(lo);
    return nsToString(Number(v / 1000000000n), Number(v % 1000000000n));
  };
  if (minHi >= 0) { rep.firstTs = ts(minHi, minLo); rep.lastTs = ts(maxHi, maxLo); }
  rep.ok = rep.damage.length === 0;
  return rep;
}

/** The report as the lines `scry --check` prints. */
export function formatCheckReport(r: CheckReport): string {
  const iso = (ns?: string): string => {
    if (!ns) return '-';
    const v = BigInt(ns);
    const d = new Date(Number(v / 1000000n)).toISOString().replace('Z', '');
    return `${d.slice(0, 19)}.${(v % 1000000000n).toString().padStart(9, '0')}Z (${ns})`;
  };
  const lines = [
    `file:      ${r.file}`,
    `format:    ${r.format}${r.version ? ' ' + r.version : ''}, ${r.bytes} bytes`,
  ];
  if (r.format === 'scry') {
    lines.push(`chunks:    ${r.chunks}${r.indexed ? ' (indexed)' : ' (no index)'}`);
  }
  lines.push(
    `events:    ${r.events}${r.hiddenEvents ? ` (${r.hiddenEvents} state-only)` : ''}` +
      (r.events ? `, ${(r.bytes / r.events).toFixed(2)} bytes/event` : ''),
    `from:      ${iso(r.firstTs)}`,
    `to:        ${iso(r.lastTs)}`,
    `state:     ${r.threads} threads, ${r.fds} fds`,
    `drops:     ${r.drops ? `${r.drops.reduce((a, b) => a + b, 0)} (${r.drops.join(' ')})` : 'none recorded'}`,
  );
  if (r.repairs.length) {
    lines.push(`repaired:  ${r.repairs.length} fault(s), nothing lost`);
    for (const d of r.repairs) lines.push(`  at byte ${d.offset}: ${d.message}`);
  }
  if (r.ok) lines.push('damage:    none');
  else {
    lines.push(`damage:    ${r.damage.length} problem(s)${r.eventsLost ? `, ${r.eventsLost} events lost` : ''}${r.truncated ? ', file cut short' : ''}`);
    for (const d of r.damage) lines.push(`  at byte ${d.offset}: ${d.message}`);
  }
  return lines.join('\n') + '\n';
}
