// Writers: choose by extension, convert between formats, write filtered captures.

import { DF_STATE_ONLY, ScapEvent } from '../event/event';
import { CaptureSink } from '../event/records';
import { openCapture, OpenOptions } from '../sources/open';
import { ScapWriter } from './scap-writer';
import { ScryWriter } from './scry-writer';
import { isFatfileType, isInternalType } from './state-events';
import { CaptureWriter, sinkFor, StateRecord, WriterOptions, WriteStats } from './types';
import { CycleOptions, CyclePlan, CycleWriter, isCycling } from './cycle';

export { ScapWriter, ScryWriter };
export type { CaptureWriter, StateRecord, WriterOptions, WriteStats };

/** The format a file name asks for: .scry files get the scry format, anything else .scap. */
export function formatOfName(path: string): 'scry' | 'scap' {
  return /\.scry$/i.test(path) ? 'scry' : 'scap';
}

/** Opens a writer in the format its name asks for (opts.format overrides; gzip with opts.gzip). */
export function openWriter(path: string, opts: WriterOptions = {}): CaptureWriter {
  const fmt = opts.format ?? formatOfName(path);
  return fmt === 'scry' ? new ScryWriter(path, opts) : new ScapWriter(path, opts);
}

/**
 * The writer of a -w output: its format from the name (gzip for .scap on
 * request), split as `cycle` says (-C/-G/-W/-e); with `match` (a capture
 * filter), the matching events plus the events that change state, flagged
 * (sysdig's -F); with `excludeUsers` (-E), without user and group tables.
 */
export function openOutputWriter(path: string,
  o: { gzip?: boolean; cycle: CycleOptions; match?: () => boolean; excludeUsers?: boolean }): CaptureWriter {
  const cycling = isCycling(o.cycle);
  // the format follows the name given (rotated files get suffixes after the extension)
  const wopts: WriterOptions = {
    gzip: o.gzip, format: formatOfName(path),
    // -C on gzip output measures compressed bytes: written out in small steps
    flushBytes: cycling && o.cycle.fileSizeMb && o.gzip ? 1 << 16 : undefined,
  };
  let w = cycling ? new CycleWriter(new CyclePlan(path, o.cycle), (p) => openWriter(p, wopts)) : openWriter(path, wopts);
  if (o.excludeUsers) w = withoutUsers(w);
  return o.match ? filteredWriter(w, o.match, { fatfile: true }) : w;
}

/** A writer that drops the user and group tables it is handed (sysdig's set_import_users(false) leaves them out of its dump). */
function withoutUsers(w: CaptureWriter): CaptureWriter {
  const writeState = (r: StateRecord): void => { if (r.kind !== 'users') w.writeState(r); };
  return {
    path: w.path,
    sink: sinkFor(writeState),
    get written() { return w.written; },
    writeState,
    writeEvent: (ev) => w.writeEvent(ev),
    flush: () => w.flush(),
    close: () => w.close(),
  };
}

/**
 * Wraps a writer so that only events for which `match` is true are written,
 * the way sysdig writes with a filter: state records always; internal events
 * (container, procinfo, ...) always; with fatfile (default true, sysdig's -F)
 * the non-matching events that change state (clone, execve, procexit, open,
 * close, socket, connect, dup, ...) too, flagged DF_STATE_ONLY so readers
 * update their state with them but do not show them. The filtered file thus
 * still resolves process and fd names.
 */
export function filteredWriter(w: CaptureWriter, match: (ev: ScapEvent) => boolean, opts: { fatfile?: boolean } = {}): CaptureWriter {
  const fat = opts.fatfile !== false;
  return {
    path: w.path,
    sink: w.sink,
    get written() { return w.written; },
    writeState: (r) => w.writeState(r),
    flush: () => w.flush(),
    close: () => w.close(),
    writeEvent(ev: ScapEvent): void {
      if (match(ev)) { w.writeEvent(ev); return; }
      if (isInternalType(ev.type)) { w.writeEvent(ev); return; }
      if (fat && isFatfileType(ev.type)) {
        const saved = ev.blockFlags;
        ev.blockFlags = saved | DF_STATE_ONLY;
        try { w.writeEvent(ev); } finally { ev.blockFlags = saved; }
      }
    },
  };
}

export interface ConvertOptions extends WriterOptions, OpenOptions {
  /** Keep only matching events (plus the state they need: see filteredWriter). */
  filter?: (ev: ScapEvent) => boolean;
  fatfile?: boolean;
}

export interface ConvertStats extends WriteStats {
  /** Events read from the input. */
  read: number;
}

/** Copies a capture into another file (format by the output's extension), optionally filtered. */
export async function convertCapture(input: string, output: string, opts: ConvertOptions = {}): Promise<ConvertStats> {
  const base = openWriter(output, opts);
  const w = opts.filter ? filteredWriter(base, opts.filter, { fatfile: opts.fatfile }) : base;
  let read = 0;
  const sink: CaptureSink = w.sink;
  const r = openCapture(input, sink, (ev) => { read++; w.writeEvent(ev); }, opts);
  r.onDrops = (perCpu) => w.writeState({ kind: 'drops', perCpu });
  r.onUnknownBlock = (type, body) => w.writeState({ kind: 'block', type, body: Buffer.from(body) });
  try {
    await r.read();
  } catch (e) {
    // keep what was read before the damage, then report it
    await w.close().catch(() => undefined);
    throw e;
  }
  const st = await w.close();
  return { ...st, read };
}
