// Replaying a capture: source → state → filter → format, as `sysdig -r`.

import { resetDnsNames } from '../fields/dns-names';
import { abortLine, EvaluationAbort } from '../fields/abort';
import { resetThreadState } from '../fields/thread-state';
import { ScapEvent } from '../event/event';
import { EvalContext } from '../fields/types';
import { CaptureError } from '../sources/scap/reader';
import { openCapture } from '../sources/open';
import { StateEngine } from '../state/engine';

import { parseTimeBound } from '../sources/window';
import { EC } from '../schema/types';
import { E } from '../schema/ids';
import { CliOptions, wantsFilter } from './args';
import { Output } from './output';
import { Summary } from './summary';
import { COLOR_RESET, endsWithColorReset } from './colors';
import { ProgressLine } from './progress';
import { RunLimits } from './limits';
import type { Formatter } from './glue';
import { stdoutIsTTY } from '../util/tty';
import { captureErrorLine, GlueError } from './errors';
import { SuppressedCommLimit } from '../sources/suppress';

export interface ReplayResult { code: number; events: number }


/**
 * -v's lines at the end of a capture, as sysdig prints them on stderr: the
 * driver's counters (kernel drops recorded by a live capture; a file sysdig
 * wrote has none), the time taken and the events that went through.
 */
export function printCaptureStats(err: (s: string) => void, events: number, startedNs: bigint, drops?: number[] | null): void {
  const dropped = drops ? drops.reduce((a, b) => a + b, 0) : 0;
  err(`Driver Events:0\nDriver Drops:${dropped}\nSuppressed by Comm:0\n`);
  if (drops && dropped) err(`Drops per CPU: ${drops.join(' ')}\n`);
  const secs = Number(process.hrtime.bigint() - startedNs) / 1e9;
  err(`Elapsed time: ${secs.toFixed(3)}, Captured Events: ${events}, ${(events / (secs || 1e-9)).toFixed(2)} eps\n`);
}

export async function replay(opts: CliOptions, out: Output, err: (line: string) => void): Promise<ReplayResult> {
  resetThreadState(); // (slots are numbered per run, from the filters and formats compiled below)
  resetDnsNames();
  let state = StateEngine.forRun(opts);
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  // The formatter and the filter compiler (and the field catalog behind them)
  // load only when used: a quiet replay without a filter needs neither.
  const glue = wantsFilter(opts) || !opts.quiet || opts.print !== undefined ? await import('./glue') : undefined;
  // (in sysdig's order: a display filter, the formats, then a capture filter)
  const display = glue && opts.displayFilter ? glue.buildFilters(opts).display : undefined;
  if (glue && opts.quiet) glue.checkPrintFormats(opts);
  let formatter: Formatter | undefined;
  let pluginFormatter: Formatter | undefined;
  if (glue && !opts.quiet) {
    glue.configureRendering(opts);
    formatter = glue.buildFormatter(glue.outputFormat(opts), opts);
    // a formatter of its own even for the same text: fields that keep state
    // (evt.deltatime ...) keep it per formatter, as in sysdig
    pluginFormatter = glue.buildFormatter(glue.pluginOutputFormat(opts), opts);
  }
  const capture = glue && !opts.displayFilter ? glue.buildFilters(opts).capture : undefined;
  const run: ReplayRun = { ctx, capture, display, formatter, pluginFormatter, summary: opts.summary ? new Summary() : undefined, percent: () => 0 };
  if (opts.progress) run.progress = new ProgressLine(err, (ev) => run.percent(ev));
  // Several -r: sysdig reads the files in turn, each from a fresh state, with
  // its limits (-n, -M), progress and statistics of its own; the formatters
  // (their evt.deltatime ...) and the -S table go on across files. A file
  // that cannot be read ends the run.
  let result: ReplayResult = { code: 0, events: 0 };
  const files = opts.readFiles ?? [opts.read!];
  const commLimit = new SuppressedCommLimit(opts.suppressComm);
  try {
    for (let i = 0; i < files.length; i++) {
      if (i > 0) ctx.state = state = StateEngine.forRun(opts);
      const refused = commLimit.open();
      if (refused !== undefined) { out.flush(); err(refused + '\n'); result = { code: 1, events: 0 }; break; }
      result = await replayFile(files[i], state, opts, run, out, err);
      if (result.code !== 0) break;
    }
  } catch (e) {
    // an event sysdig cannot print ("wrong event type ..."): its run ends
    // there, with its failed run's end (100.00) and the -S table so far
    if (!(e instanceof GlueError && e.bare)) throw e;
    out.flush();
    if (e.message) err(e.message + '\n');
    run.progress?.endWithoutCapture();
    result = { code: 1, events: 0 };
  }
  if (run.summary) { out.write(run.summary.render()); out.flush(); }
  return result;
}

/** What the files of one replay share. */
interface ReplayRun {
  ctx: EvalContext;
  capture?: { match(ctx: EvalContext): boolean };
  display?: { match(ctx: EvalContext): boolean };
  formatter?: Formatter;
  pluginFormatter?: Formatter;
  summary?: Summary;
  /** -P: one line for all files (sysdig's is global: after a first file's 100.00, the next draws nothing new). */
  progress?: ProgressLine;
  /** How far the current file has been read at an event. */
  percent: (ev: ScapEvent) => number;
}

async function replayFile(file: string, state: StateEngine, opts: CliOptions, run: ReplayRun, out: Output,
  err: (line: string) => void): Promise<ReplayResult> {
  const { ctx, capture, display, formatter, pluginFormatter, summary } = run;
  const showInternal = opts.debug;
  let reader: ReturnType<typeof openCapture> | undefined;
  const progress = run.progress;
  if (progress) run.percent = (ev) => reader?.progressPercent(ev) ?? 0;
  const limits = new RunLimits(opts.numEvents, opts.seconds, progress);
  let drops: number[] | undefined;
  const started = process.hrtime.bigint();

  const filterFn = capture ? () => capture!.match(ctx) : undefined;
  /** The file has given an event (damage before is an error of opening it). */
  let delivered = false;
  const onEvent = (ev: ScapEvent): boolean | void => {
    delivered = true;
    ctx.ev = ev;
    const passed = state.process(ev, filterFn);
    // sysdig draws the progress after the events its filter drops, too
    // (and after the events that only change state, which it also counts as filtered out)
    if (progress && !passed && !state.lastWasInitial) progress.event(ev);
    if (!passed) {
      // With -D, internal events the filter rejects still come through (sysdig).
      if (!(showInternal && state.rejectedByFilter && ev.info.category & EC.INTERNAL)) return;
    }
    if (limits.full || !limits.admit(ev)) return false;
    if (summary) summary.count(ev);
    if (progress) progress.event(ev);
    if (!formatter || out.closed) { if (out.closed) return false; return; }
    if (!showInternal && ev.info.category & EC.INTERNAL) return;
    const line = (ev.type === E.PLUGINEVENT_E ? pluginFormatter! : formatter).render(ctx);
    if (line === undefined) return;
    if (display && !display.match(ctx)) return;
    out.line(line);
  };

  let code = 0;
  let damage: string | undefined;
  try {
    reader = openCapture(file, state.sink(), onEvent, {
      from: opts.from !== undefined ? parseTimeBound(opts.from) : undefined,
      to: opts.to !== undefined ? parseTimeBound(opts.to) : undefined,
      suppressComms: opts.suppressComm,
    });
    reader.onDrops = (perCpu) => { drops = perCpu; };
    await reader.read();
  } catch (e) {
    if (e instanceof EvaluationAbort) {
      // sysdig aborts on the event where the comparison cannot be made.
      out.flush();
      err(abortLine(e, file) + '\n');
      return { code: 1, events: limits.count };
    }
    if (!(e instanceof CaptureError)) throw e;
    out.flush();
    damage = captureErrorLine(e);
    if (!progress) err(damage);
    else if (delivered) { const pct = reader?.damagePercent?.(e); if (pct !== undefined) progress.stopAtPercent(pct); }
    code = 1;
  }
  if (endsWithColorReset(opts.print, stdoutIsTTY())) out.write(COLOR_RESET);
  out.flush();
  if (progress) {
    const report = damage;
    // (sysdig's end of a capture it could not open: the error, then 100.00)
    if (report === undefined) progress.end();
    else if (!delivered) { err(report); progress.endWithoutCapture(); } else progress.endAround(() => err(report));
  }
  // (a capture sysdig could not open ends it before its statistics)
  if (opts.verbose && (damage === undefined || delivered)) printCaptureStats(err, limits.count, started, drops);
  return { code, events: limits.count };
}
