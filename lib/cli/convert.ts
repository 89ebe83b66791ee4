// -r IN -w OUT: conversion between .scap and .scry, optionally filtered
// (only matching events, plus the state events readers need, as sysdig's -F).

import { ScapEvent } from '../event/event';
import { CaptureSink } from '../event/records';
import { EvalContext } from '../fields/types';
import { CaptureError } from '../sources/scap/reader';
import { openCapture } from '../sources/open';
import { parseTimeBound } from '../sources/window';
import { StateEngine } from '../state/engine';
import { filteredWriter, formatOfName, openWriter, WriterOptions } from '../writers';
import { CycleOptions, CyclePlan, CycleWriter, isCycling } from '../writers/cycle';
import { CliOptions } from './args';
import { buildFilter } from './glue';
import { Output } from './output';
import { ProgressLine } from './progress';
import { ProcListFilter } from './filter-proclist';
import { COLOR_RESET, endsWithColorReset } from './colors';
import { textToBytes } from '../util/bytes';
import { stdoutIsTTY } from '../util/tty';

export async function convert(opts: CliOptions, out: Output, err: (s: string) => void): Promise<number> {
  const state = new StateEngine();
  state.dumping = true;
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  const matcher = opts.filter ? buildFilter(opts.filter) : undefined;
  const cycle: CycleOptions = { fileSizeMb: opts.fileSize, seconds: opts.rotateSeconds, fileLimit: opts.fileLimit, events: opts.eventLimit };
  const cycling = isCycling(cycle);
  // the format follows the name given (rotated files get suffixes after the extension)
  const wopts: WriterOptions = {
    gzip: opts.compress, format: formatOfName(opts.write!),
    // -C on gzip output measures compressed bytes: written out in small steps
    flushBytes: cycling && cycle.fileSizeMb && opts.compress ? 1 << 16 : undefined,
  };
  const base = cycling ? new CycleWriter(new CyclePlan(opts.write!, cycle), (p) => openWriter(p, wopts)) : openWriter(opts.write!, wopts);
  let lastMatch = true;
  const w = matcher ? filteredWriter(base, () => lastMatch, { fatfile: true }) : base;
  const stateSink = state.sink();
  // --filter-proclist: the process list is held back until the filter has gone over it
  const proclist = matcher && opts.filterProclist && !opts.displayFilter
    ? new ProcListFilter(state, (ev) => { ctx.ev = ev; return matcher.match(ctx); }) : undefined;
  const sink: CaptureSink = {
    machineInfo: (mi) => { stateSink.machineInfo!(mi); w.sink.machineInfo?.(mi); },
    thread: (t) => { if (proclist) proclist.thread(t); else { stateSink.thread!(t); w.sink.thread?.(t); } },
    fd: (tid, f) => { if (proclist) proclist.fd(tid, f); else { stateSink.fd!(tid, f); w.sink.fd?.(tid, f); } },
    interfaces: (l) => { if (proclist) proclist.later(() => stateSink.interfaces!(l)); else stateSink.interfaces!(l); w.sink.interfaces?.(l); },
    users: (u, g) => { if (proclist) proclist.later(() => stateSink.users!(u, g)); else stateSink.users!(u, g); w.sink.users?.(u, g); },
  };
  const limit = opts.numEvents ?? -1;
  let n = 0;
  const filterFn = matcher ? () => matcher.match(ctx) : undefined;
  // sysdig shows its progress whenever it reads a file into another
  let r: ReturnType<typeof openCapture> | undefined;
  const progress = new ProgressLine(err, (ev) => r?.progressPercent(ev) ?? 0);
  const onEvent = (ev: ScapEvent): boolean | void => {
    proclist?.flush(w.sink);
    if (limit >= 0 && n >= limit) return false;
    ctx.ev = ev;
    lastMatch = state.process(ev, filterFn);
    if (lastMatch || state.rejectedByFilter) progress.event(ev);
    if (lastMatch) n++;
    // a tracer event is saved as the write it came from
    w.writeEvent(ev.original ?? ev);
  };
  let code = 0;
  r = openCapture(opts.read!, sink, onEvent, {
    from: opts.from !== undefined ? parseTimeBound(opts.from) : undefined,
    to: opts.to !== undefined ? parseTimeBound(opts.to) : undefined,
    suppressComms: opts.suppressComm,
  });
  r.onDrops = (perCpu) => w.writeState({ kind: 'drops', perCpu });
  try {
    await r.read();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    const report = `scry: ${e.file}: ${e.reason}${e.offset ? ` at byte ${e.offset}` : ''}\n`;
    progress.endAround(() => err(report));
    code = 1;
  }
  proclist?.flush(w.sink);
  if (code === 0) progress.end();
  // (stdout is buffered in sysdig: its color reset comes out after the progress line)
  if (endsWithColorReset(opts.print, stdoutIsTTY())) { out.write(COLOR_RESET); out.flush(); }
  const st = await w.close();
  if (opts.verbose) { out.line(textToBytes(`${st.events} events written to ${opts.write} (${st.bytes} bytes)`)); out.flush(); }
  return code;
}
