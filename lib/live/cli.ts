// `scry` without -r: live capture from this machine's kernel.
//   scry -w FILE [filter] [-- cmd args]   records (sysdig's -w, -s, -M, -n, -C/-W/-G/-e, -z, -q, -v, -S)
//   scry [filter] [-p fmt] [-- cmd args]  prints events as they happen
// Loaded by lib/cli/live.ts.

import { ScapEvent } from '../event/event';
import { EvalContext } from '../fields/types';
import { EC } from '../schema/types';
import { StateEngine } from '../state/engine';
import { CliOptions, cycleOptions } from '../cli/args';
import { buildFilter, buildFormatter, checkPrintFormats, configureRendering, Matcher, outputFormat } from '../cli/glue';
import { Output } from '../cli/output';
import { startCapture, CaptureError, CaptureOptions, CaptureResult } from './capture';
import { deliverRecord } from '../sources/scry/records';
import { SuppressedCommLimit } from '../sources/suppress';
import { GlueError } from '../cli/errors';
import { COLOR_RESET, endsWithColorReset } from '../cli/colors';
import { stdoutIsTTY } from '../util/tty';
import { Summary } from '../cli/summary';

function report(r: CaptureResult, verbose: boolean, err: (s: string) => void): void {
  if (r.error) err(`scry: capture failed: ${r.error}\n`);
  // loss is never silent: drops are always reported; the per-CPU detail with -v
  if (verbose || r.drops) {
    err(`scry: ${r.events} events captured${r.files.length ? ' into ' + r.files.join(', ') : ''}, ${r.drops} dropped by the kernel\n`);
    if (verbose) {
      r.cpus.forEach((c, i) => err(`scry: cpu ${i}: ${c.events} events, ${c.dropsFull} dropped (buffer full), ${c.dropsBig} too large\n`));
    }
  }
}

/**
 * What a live capture takes from the command line, for printing, writing
 * and chisel runs alike: -w (with -z and, only when writing, sysdig's
 * -C/-G/-W/-e splitting), -s, -n, -M, -U, -E, --page-faults,
 * --exit-only/--enter-events and the command after --.
 */
export function captureOptionsOf(opts: CliOptions): CaptureOptions {
  const co: CaptureOptions = {
    output: opts.write,
    // (sysdig keeps its default for 0; a negative snaplen is a huge unsigned one)
    snaplen: opts.snaplen === undefined || opts.snaplen === 0 ? undefined : opts.snaplen < 0 ? 65535 : opts.snaplen,
    maxEvents: opts.numEvents,
    maxSeconds: opts.seconds,
    gzip: opts.compress,
    enterEvents: opts.enterEvents,
    command: opts.command.length ? opts.command : undefined,
    suppressComms: opts.suppressComm,
    excludeUsers: opts.excludeUsers,
    pageFaults: opts.pageFaults,
  };
  if (opts.write && (opts.fileSize !== undefined || opts.fileLimit !== undefined || opts.rotateSeconds !== undefined || opts.eventLimit !== undefined)) {
    co.rotate = cycleOptions(opts);
  }
  return co;
}

export async function liveMain(opts: CliOptions, out: Output, err: (s: string) => void): Promise<number> {
  const refused = new SuppressedCommLimit(opts.suppressComm).open();
  if (refused !== undefined) { err(refused + '\n'); return 1; }
  // (sysdig's words; its run ends without a capture to end: main prints -S's table)
  if (opts.progress) throw new GlueError('the -P flag cannot be used with live captures.', true, true);
  const state = new StateEngine();
  state.live = true;
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  const stateSink = state.sink();
  // (sysdig compiles a display filter, then its formats, then a capture filter)
  if (!opts.displayFilter) checkPrintFormats(opts);
  const matcher: Matcher | undefined = opts.filter ? buildFilter(opts.filter) : undefined;
  if (opts.displayFilter) checkPrintFormats(opts);
  const filterFn = matcher ? () => matcher.match(ctx) : undefined;
  const co: CaptureOptions = { ...captureOptionsOf(opts), onState: (r) => deliverRecord(r, stateSink) };
  if (opts.verbose) co.log = (l) => err(l + '\n');
  // -S: sysdig counts the events its capture filter lets through, written or printed
  const summary = opts.summary ? new Summary() : undefined;

  if (opts.write) {
    // the filter needs the state: events go through the state engine as they are written
    if (filterFn) {
      co.filter = (ev) => {
        ctx.ev = ev;
        const passed = state.process(ev, filterFn);
        if (passed && summary) summary.count(ev);
        return passed;
      };
      co.fatfile = true;
    } else if (summary) co.onEvent = (ev) => summary.count(ev);
  } else {
    configureRendering(opts);
    const formatter = opts.quiet ? undefined : buildFormatter(outputFormat(opts), opts);
    const display = opts.displayFilter ? matcher : undefined;
    const capture = opts.displayFilter ? undefined : filterFn;
    co.onEvent = (ev) => {
      ctx.ev = ev;
      if (!state.process(ev, capture)) return;
      if (summary) summary.count(ev);
      if (!formatter || out.closed) return;
      if (!opts.debug && ev.info.category & EC.INTERNAL) return;
      const line = formatter.render(ctx);
      if (line === undefined) return;
      if (display && !display.match(ctx)) return;
      out.line(line);
    };
  }

  let cap;
  try {
    cap = await startCapture(co);
  } catch (e) {
    if (e instanceof CaptureError) { err(`scry: ${e.message}\n`); return 1; }
    throw e;
  }
  const flusher = opts.write ? undefined : setInterval(() => out.flush(), 100);
  const r = await cap.done;
  if (flusher) clearInterval(flusher);
  if (endsWithColorReset(opts.print, stdoutIsTTY())) out.write(COLOR_RESET);
  out.flush();
  report(r, opts.verbose, err);
  if (summary) { out.write(summary.render()); out.flush(); }
  if (r.error) return 1;
  if (co.command && typeof r.commandExit === 'number') return r.commandExit;
  return 0;
}
