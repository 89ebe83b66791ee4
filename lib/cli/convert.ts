// -r IN -w OUT: conversion between .scap and .scry, optionally filtered
// (only matching events, plus the state events readers need, as sysdig's -F).

import { resetDnsNames } from '../fields/dns-names';
import { resetThreadState } from '../fields/thread-state';
import { ScapEvent } from '../event/event';
import { CaptureSink, teeSink } from '../event/records';
import { EvalContext } from '../fields/types';
import { abortLine, EvaluationAbort } from '../fields/abort';
import { CaptureError } from '../sources/scap/reader';
import { openCapture } from '../sources/open';
import { parseTimeBound } from '../sources/window';
import { StateEngine } from '../state/engine';
import { openOutputWriter } from '../writers';
import type { CaptureWriter } from '../writers/types';
import { PendingWriter } from '../writers/pending';
import { CliOptions, cycleOptions } from './args';
import { buildFilters, checkPrintFormats } from './glue';
import { printCaptureStats } from './replay';
import { Summary } from './summary';
import { Output } from './output';
import { ProgressLine } from './progress';
import { RunLimits } from './limits';
import { ProcListFilter } from './filter-proclist';
import { COLOR_RESET, endsWithColorReset } from './colors';
import { stdoutIsTTY } from '../util/tty';
import { captureErrorLine } from './errors';
import { systemErrorLine } from '../util/system-error';
import { SuppressedCommLimit } from '../sources/suppress';

/** A failure of the output (a directory that is not there, a full disk), as opposed to the input's. */
function isOutputFailure(e: unknown): boolean {
  // (a reader of -w - that went away ends the run quietly: main.ts)
  return !(e instanceof CaptureError) && (e as NodeJS.ErrnoException).code !== 'EPIPE' && systemErrorLine(e) !== undefined;
}

/** What the files of one conversion share. */
interface ConvertRun {
  opts: CliOptions;
  out: Output;
  err: (s: string) => void;
  ctx: EvalContext;
  matcher?: { match(ctx: EvalContext): boolean };
  summary?: Summary;
  /** One line for all files (sysdig's is global). */
  progress: ProgressLine;
  /** How far the file being read has been read at an event. */
  percent: (ev: ScapEvent) => number;
}

export async function convert(opts: CliOptions, out: Output, err: (s: string) => void): Promise<number> {
  resetThreadState();
  resetDnsNames();
  const ctx: EvalContext = { ev: new ScapEvent(), state: StateEngine.forRun(opts) };
  // A display filter (-d) is compiled but filters nothing written; nor does
  // -p print anything here, but sysdig builds its formatters all the same
  // (after a display filter, before a capture filter).
  if (opts.displayFilter) buildFilters(opts);
  checkPrintFormats(opts);
  const matcher = opts.displayFilter ? undefined : buildFilters(opts).capture;
  // sysdig shows its progress whenever it reads a file into another
  const run: ConvertRun = {
    opts, out, err, ctx, matcher, summary: opts.summary ? new Summary() : undefined,
    progress: new ProgressLine(err, (ev) => run.percent(ev)), percent: () => 0,
  };
  // Several -r: sysdig reads the files in turn, each from a fresh state with
  // its own limits (-n, -M) and statistics, and writes each into the output
  // anew: what stays is the last file's. The -S table goes on across files.
  // A file that cannot be read ends the run.
  const files = opts.readFiles ?? [opts.read!];
  const commLimit = new SuppressedCommLimit(opts.suppressComm);
  let code = 0;
  for (let i = 0; i < files.length && code === 0; i++) {
    if (i > 0) ctx.state = StateEngine.forRun(opts);
    const refused = commLimit.open();
    if (refused !== undefined) { err(refused + '\n'); return 1; }
    code = await convertFile(files[i], ctx.state as StateEngine, run, i === 0);
  }
  if (run.summary) { out.write(run.summary.render()); out.flush(); }
  return code;
}

/** Reads one file into the output; returns the exit code. */
async function convertFile(file: string, state: StateEngine, run: ConvertRun, first: boolean): Promise<number> {
  const { opts, out, err, ctx, matcher, summary, progress } = run;
  state.dumping = true;
  const started = process.hrtime.bigint();
  let lastMatch = true;
  // made once the capture has opened (lib/writers/pending.ts)
  const pending = new PendingWriter(() => openOutputWriter(opts.write!, {
    gzip: opts.compress, cycle: cycleOptions(opts), match: matcher ? () => lastMatch : undefined, excludeUsers: opts.excludeUsers,
  }));
  let w!: CaptureWriter;
  /** Making the output failed (a directory that is not there, ...): what it threw. */
  let cannotWrite: unknown;
  /** Opens the writer; false when it cannot be made. */
  const openWriter = (): boolean => {
    try { w = pending.open(); return true; } catch (e) { if (!isOutputFailure(e)) throw e; cannotWrite = e; return false; }
  };
  const stateSink = state.sink();
  const proclist = matcher && opts.filterProclist && !opts.displayFilter
    ? new ProcListFilter(state, (ev) => { ctx.ev = ev; return matcher.match(ctx); }) : undefined;
  // --filter-proclist: the process list is held back until the filter has gone over it
  const sink: CaptureSink = !proclist ? teeSink(stateSink, pending.sink) : {
    machineInfo: (mi) => { stateSink.machineInfo!(mi); pending.sink.machineInfo!(mi); },
    thread: (t) => proclist.thread(t),
    fd: (tid, f) => proclist.fd(tid, f),
    interfaces: (l) => { proclist.later(() => stateSink.interfaces!(l)); pending.sink.interfaces!(l); },
    users: (u, g) => { proclist.later(() => stateSink.users!(u, g)); pending.sink.users!(u, g); },
  };
  const filterFn = matcher ? () => matcher.match(ctx) : undefined;
  let r: ReturnType<typeof openCapture> | undefined;
  run.percent = (ev) => r?.progressPercent(ev) ?? 0;
  const limits = new RunLimits(opts.numEvents, opts.seconds, progress);
  /** The capture has given an event (damage before is an error of opening it). */
  let delivered = false;
  const onEvent = (ev: ScapEvent): boolean | void => {
    if (!delivered) { delivered = true; if (!openWriter()) return false; }
    proclist?.flush(w.sink);
    if (limits.full) return false;
    ctx.ev = ev;
    lastMatch = state.process(ev, filterFn);
    if (lastMatch || state.rejectedByFilter) progress.event(ev);
    if (lastMatch) {
      if (!limits.admit(ev)) return false;
      summary?.count(ev);
    }
    // a tracer event is saved as the write it came from
    w.writeEvent(ev.original ?? ev);
  };
  let code = 0;
  try {
    r = openCapture(file, sink, onEvent, {
      from: opts.from !== undefined ? parseTimeBound(opts.from) : undefined,
      to: opts.to !== undefined ? parseTimeBound(opts.to) : undefined,
      suppressComms: opts.suppressComm,
    });
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    err(captureErrorLine(e));
    progress.endWithoutCapture();
    return 1;
  }
  r.onDrops = (perCpu) => pending.with((w) => w.writeState({ kind: 'drops', perCpu }));
  try {
    await r.read();
  } catch (e) {
    if (e instanceof EvaluationAbort) {
      // the events written so far stay in the file
      err(abortLine(e, file) + '\n');
      progress.endWithoutCapture();
      code = 1;
    } else if (isOutputFailure(e)) {
      cannotWrite = e;
    } else {
      if (!(e instanceof CaptureError)) throw e;
      const report = captureErrorLine(e);
      // (sysdig's end of a capture it could not open: the error, then 100.00;
      // of damage further on: the file's end where it stopped, the error, 100.00)
      if (!delivered) { err(report); progress.endWithoutCapture(); } else {
        const pct = r!.damagePercent?.(e);
        if (pct !== undefined) progress.stopAtPercent(pct);
        progress.endAround(() => err(report));
      }
      code = 1;
    }
  }
  if (code === 0 && cannotWrite === undefined && !delivered && !openWriter()) code = 1;
  // a capture that could not be opened: no file, no statistics (the summary comes all the same)
  const opened = cannotWrite === undefined && (delivered || code === 0);
  if (opened) {
    proclist?.flush(w.sink);
    // closed before the progress ends: a write that fails here is reported as one while reading
    try { await w.close(); } catch (e) { if (!isOutputFailure(e)) throw e; cannotWrite = e; }
  }
  if (cannotWrite !== undefined) {
    // (sysdig's order: the line, then its closing 100.00)
    out.flush();
    const line = `scry: ${systemErrorLine(cannotWrite)}\n`;
    progress.failAround(() => err(line));
    // (sysdig's writer fails as it opens, with its capture's state: nothing of the file was counted)
    if (summary && first) run.summary = new Summary();
    return 1;
  }
  if (code === 0) progress.end();
  // (stdout is buffered in sysdig: its color reset comes out after the progress line)
  if (endsWithColorReset(opts.print, stdoutIsTTY())) { out.write(COLOR_RESET); out.flush(); }
  if (opened && opts.verbose) printCaptureStats(err, limits.count, started);
  return code;
}
