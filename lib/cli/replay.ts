// Replaying a capture: source → state → filter → format, as `sysdig -r`.

import { ScapEvent } from '../event/event';
import { EvalContext } from '../fields/types';
import { CaptureError } from '../sources/scap/reader';
import { openCapture } from '../sources/open';
import { StateEngine } from '../state/engine';
import { EC } from '../schema/types';
import { CliOptions } from './args';
import { Output } from './output';
import { Summary } from './summary';
import { buildFilter, buildFormatter, configureRendering, Formatter, Matcher } from './glue';

export interface ReplayResult { code: number; events: number }

import { DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, formatForPrintArg } from '../format/formatter';

export function outputFormat(opts: CliOptions): string {
  const p = opts.print;
  if (p === undefined) return process.stdout.isTTY ? DEFAULT_FORMAT_TTY : DEFAULT_FORMAT;
  return formatForPrintArg(p);
}

export async function replay(opts: CliOptions, out: Output, err: (line: string) => void): Promise<ReplayResult> {
  const file = opts.read!;
  const state = new StateEngine();
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  configureRendering(opts);
  let capture: Matcher | undefined;
  let display: Matcher | undefined;
  if (opts.filter) {
    const f = buildFilter(opts.filter);
    if (opts.displayFilter) display = f; else capture = f;
  }
  const formatter: Formatter | undefined = opts.quiet ? undefined : buildFormatter(outputFormat(opts), opts);
  const summary = opts.summary ? new Summary() : undefined;
  const limit = opts.numEvents ?? -1;
  const showInternal = opts.debug;
  let counted = 0;
  let firstSec = -1, firstNsec = 0;
  const maxNs = opts.seconds !== undefined ? opts.seconds * 1e9 : -1;
  let reader: ReturnType<typeof openCapture> | undefined;
  let stopped = false;
  let progressAt = 0;

  const filterFn = capture ? () => capture!.match(ctx) : undefined;
  const onEvent = (ev: ScapEvent): boolean | void => {
    ctx.ev = ev;
    if (!state.process(ev, filterFn)) return;
    if (limit >= 0 && counted === limit) { stopped = true; return false; }
    if (firstSec < 0) { firstSec = ev.sec; firstNsec = ev.nsec; }
    else if (maxNs >= 0 && (ev.sec - firstSec) * 1e9 + (ev.nsec - firstNsec) >= maxNs) { stopped = true; return false; }
    counted++;
    if (summary) summary.count(ev);
    if (opts.progress && counted - progressAt >= 100000) { progressAt = counted; err(`\r${counted} events`); }
    if (!formatter || out.closed) { if (out.closed) return false; return; }
    if (!showInternal && ev.info.category & EC.INTERNAL) return;
    const line = formatter.render(ctx);
    if (line === undefined) return;
    if (display && !display.match(ctx)) return;
    out.line(line);
  };

  let code = 0;
  try {
    reader = openCapture(file, state.sink(), onEvent, { from: opts.from, to: opts.to } as never);
    await reader.read();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    out.flush();
    err(`scry: ${e.file}: ${e.reason}${e.offset ? ` at byte ${e.offset}` : ''}\n`);
    code = 1;
  }
  void stopped;
  if (formatter?.finish) { const tail = formatter.finish(); if (tail) out.write(tail); }
  out.flush();
  if (summary) { out.write(summary.render()); out.flush(); }
  return { code, events: counted };
}
