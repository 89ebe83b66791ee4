// Running chisels over a capture, in sysdig's order of things:
// chisels load (and take their arguments) as the command line is read, the
// capture filter is compiled, on_init runs, the capture opens,
// on_capture_start runs, then every event goes to every chisel (events the
// capture filter drops still drive on_interval), and on_capture_end runs at
// the end - also after an error, whose message then ends the run with exit
// code 1.

import { resetDnsNames } from '../fields/dns-names';
import { abortLine, EvaluationAbort } from '../fields/abort';
import { systemErrorLine } from '../util/system-error';
import { captureErrorLine } from '../cli/errors';
import { resetThreadState } from '../fields/thread-state';
import { ScapEvent } from '../event/event';
import type { EvalContext } from '../fields/types';
import { StateEngine } from '../state/engine';
import { openCapture } from '../sources/open';
import { CaptureError } from '../sources/scap/reader';
import { compileFilter, eventTypeMask } from '../filter';
import type { CompiledFilter } from '../filter';
import { compileFormat } from '../format/formatter';
import { setParamFormat, resetParamState, BufEnc } from '../format/params';
import type { TimeMode } from '../format/time';
import { textToBytes } from '../util/bytes';
import type { CliOptions } from '../cli/args';
import { isPrintPreset } from '../format/print-arg';
import { scanArgv } from './cliargs';
import { chiselDirs, chiselList, renderChiselInfo, renderChiselList } from './discovery';
import { CaptureInterrupt, Chisel, ChiselError, HostEnv, Matcher, RunState } from './host';
import { LuaExit } from './lua';
import { ByteOutput } from './output';
import { COLOR_RESET, endsWithColorReset } from '../cli/colors';
import { stdoutIsTTY } from '../util/tty';
import { teeSink, type CaptureSink } from '../event/records';
import type { CaptureWriter } from '../writers/types';
import type { CaptureOptions } from '../live/capture';
import { ProgressLine } from '../cli/progress';
import { openOutputWriter } from '../writers';
import { PendingWriter } from '../writers/pending';
import { cycleOptions, drawsProgress } from '../cli/args';
import { checkPrintFormats } from '../cli/glue';
import { SuppressedCommLimit } from '../sources/suppress';

const E_CONTAINER_JSON = 272, E_CONTAINER_JSON_2 = 273;

export interface ChiselRunIo {
  out: ByteOutput;
  err: ByteOutput;
  /** A capture of several (-r given more than once) has been read whole, but for the last: its events and when it began. */
  fileDone?: (events: number, startedNs: bigint) => void;
}

export interface ChiselRunResult {
  code: number;
  /** Arguments of a second run a chisel asked for with sysdig.run_app(). */
  nextRun?: string[];
  /**
   * Directory of the chisel that asked for it when it was named by a path:
   * the second run finds it by name there (wsysdig_summary relaunches itself
   * as `-c wsysdig_summary`, which sysdig finds in its installed directory).
   */
  nextRunDir?: string;
  /** Events the chisels were given, when the capture ran to its end (for -v's closing lines). */
  events?: number;
  /** When reading started (process.hrtime.bigint()). */
  startedNs?: bigint;
  /** The run ended without reaching sysdig's end of run: -cl or -i listed, or a chisel called os.exit(). */
  exited?: boolean;
}

function bufEnc(opts: CliOptions): BufEnc {
  return opts.base64 ? BufEnc.BASE64 : opts.hexAscii ? BufEnc.HEXASCII : opts.hex ? BufEnc.HEX : opts.ascii ? BufEnc.EOLS : BufEnc.DOTS;
}

/**
 * Runs the second run a chisel asked for (sysdig.run_app), if any, and gives
 * its result (undefined when none was asked for). The directory of a chisel
 * named by a path is on the search path (SCRY_CHISEL_PATH) during that run,
 * so the run finds it by name.
 */
export async function withNextRun<T>(r: ChiselRunResult, run: (args: string[]) => Promise<T>): Promise<T | undefined> {
  if (!r.nextRun || r.nextRun.length === 0) return undefined;
  const env = process.env, was = env.SCRY_CHISEL_PATH;
  if (r.nextRunDir !== undefined) env.SCRY_CHISEL_PATH = was ? `${was}:${r.nextRunDir}` : r.nextRunDir;
  try {
    return await run(r.nextRun);
  } finally {
    if (was === undefined) delete env.SCRY_CHISEL_PATH; else env.SCRY_CHISEL_PATH = was;
  }
}

/** sysdig's split_nextrun_args: blanks separate, "…" groups (quotes removed). */
export function splitNextRunArgs(na: string): string[] {
  const res: string[] = [];
  let last = 0, inq = false, j = 0;
  for (; j < na.length; j++) {
    if (na[j] === '"') inq = !inq;
    else if (na[j] === ' ' && !inq) {
      res.push(na.slice(last, j).replace(/"/g, ''));
      last = j + 1;
    }
  }
  res.push(na.slice(last, j));
  return res;
}

/**
 * refused: the message of an option value sysdig threw on after loading
 * opts.chisel (the chisels named before it): the run loads those, then ends
 * as a failed one, with the message and their on_capture_end.
 */
export async function runChisels(opts: CliOptions, argv: string[], io: ChiselRunIo, refused?: string): Promise<ChiselRunResult> {
  resetThreadState();
  resetDnsNames();
  const { out, err } = io;
  const errLine = (s: string) => { err.text(s + '\n'); };
  const dirs = chiselDirs();
  const scanned = scanArgv(argv);
  let state = StateEngine.forRun(opts);
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  const userEnc = bufEnc(opts);
  resetParamState();
  setParamFormat({ enc: userEnc, json: opts.json, maxLen: opts.verbose ? 0 : 0 });
  const timeMode = (opts.timeType ?? 'h') as TimeMode;
  // sysdig.get_read_progress(): the percent of the file sysdig's reader would
  // have read at the current event (0 live), 100 once the file is read whole
  let readerDone = false;
  let percentAt: ((ev: ScapEvent) => number) | undefined;
  const run: RunState = {
    ctx, inputFile: opts.read ?? '', opened: false,
    firstHi: 0, firstLo: 0, hasFirst: false, lastHi: 0, lastLo: 0,
    progress: () => readerDone ? 100 : percentAt && ctx.ev ? percentAt(ctx.ev) : 0,
  };
  let globalFilter: Matcher | undefined;
  let globalFilterText = '';
  const printContainer = opts.print !== undefined && isPrintPreset(opts.print);
  const env: HostEnv = {
    out, err, dirs,
    isLive: !opts.read,
    printContainer,
    debugLog: opts.debug,
    json: opts.json,
    compileFilter: (bytes) => compileFilter(bytes, { bytes: true }),
    compileThreadTableFilter: (bytes) => compileFilter(bytes, { bytes: true, threadTable: true }),
    filterTypeMask: (f) => eventTypeMask(f as CompiledFilter),
    compileFormat: (text) => {
      const f = compileFormat(text, { json: opts.json, timeMode, escapes: false, bytes: true });
      return { render: (c) => f.render(c) };
    },
    setGlobalFilter: (text) => {
      if (globalFilter) throw new Error('filter can only be set once');
      globalFilter = compileFilter(text, { bytes: true });
      globalFilterText = text;
    },
    getGlobalFilter: () => globalFilterText,
    setSnaplen: () => undefined,
    setBufferFormat: (fmt) => {
      const map: Record<string, [BufEnc, boolean]> = {
        normal: [BufEnc.DOTS, false], json: [BufEnc.DOTS, true], simple: [BufEnc.DOTS, false],
        hex: [BufEnc.HEX, false], hexascii: [BufEnc.HEXASCII, false], ascii: [BufEnc.EOLS, false],
        base64: [BufEnc.BASE64, false], jsonbase64: [BufEnc.BASE64, true],
      };
      const m = map[fmt];
      if (!m) return false;
      if (userEnc !== BufEnc.DOTS || opts.json) return true;
      setParamFormat({ enc: m[0], json: m[1] });
      return true;
    },
    run,
  };

  const chisels: Chisel[] = [];
  let code = 0;
  let exitRequested: number | undefined;
  // sysdig decides on its closing color reset once the command line is read
  let colorsDecided = false;
  // -P, or a file read into another with -w: sysdig's progress line (one for all files, as its own is global)
  const progress = drawsProgress(opts)
    ? new ProgressLine((t) => { err.text(t); err.flush(); }, (ev) => (percentAt ? percentAt(ev) : 0)) : undefined;
  /**
   * sysdig's handle_end_of_file: the color reset, the progress line's end
   * (the file's when one was read to its end, else 100.00), then
   * on_capture_end of every chisel (its failures are ignored).
   */
  const endAll = (fileRead = false) => {
    if (colorsDecided && endsWithColorReset(opts.print, stdoutIsTTY())) out.text(COLOR_RESET);
    if (progress) { if (fileRead) progress.end(); else progress.endWithoutCapture(); }
    for (const c of chisels) {
      try { c.onCaptureEnd(); } catch (e) {
        if (e instanceof LuaExit) { exitRequested = e.code; break; }
        if (process.env.SCRY_CHISEL_DEBUG) errLine(`(ignored, as sysdig does) ${(e as Error).message}`);
      }
    }
  };
  const finish = (): ChiselRunResult => {
    out.flush();
    err.flush();
    if (exitRequested !== undefined) return { code: exitRequested, exited: true };
    let nextRun: string[] | undefined;
    let nextRunDir: string | undefined;
    for (const c of chisels) if (c.nextRunArgs !== undefined) { nextRun = splitNextRunArgs(c.nextRunArgs); nextRunDir = c.ownDir; }
    return { code, nextRun, nextRunDir };
  };
  const fail = (msg: string): ChiselRunResult => {
    out.flush();
    // (sysdig's error line goes out unbuffered, before the chisels' end output)
    errLine(msg);
    err.flush();
    code = 1;
    endAll();
    return finish();
  };

  // ---- the command line, in order ----
  let nFilterArgs = 0;
  try {
    for (const step of scanned.steps) {
      if (refused !== undefined && chisels.length === opts.chisel.length) break;
      if (step.kind === 'list') {
        out.text(renderChiselList(chiselList(dirs), true));
        return { ...finish(), exited: true };
      }
      if (step.kind === 'info') {
        const d = chiselList(dirs).find((c) => c.name === step.name);
        if (!d) return fail(`chisel ${step.name} not found - use -cl to list them.`);
        out.text(renderChiselInfo(d));
        return { ...finish(), exited: true };
      }
      const ch = new Chisel(step.name, env);
      const a = scanned.argv;
      const nargs = ch.nArgs, nreq = ch.nRequired;
      if (nargs !== 0) {
        if (step.next < a.length) {
          const word = a[step.next];
          if (nreq !== 0) {
            ch.setArgsString(word);
            nFilterArgs++;
          } else if (word[0] !== '-') {
            if (nargs === 1 && ch.args[0].type === 'filter') {
              ch.setArgsString(word);
              nFilterArgs++;
            } else {
              let ok = true;
              try { compileFilter(a.slice(step.next).join(' ')); } catch { ok = false; }
              if (!ok) { ch.setArgsString(word); nFilterArgs++; }
            }
          }
        } else if (nreq !== 0) {
          throw new ChiselError(`missing arguments for chisel ${step.name}`);
        }
      }
      chisels.push(ch);
    }
  } catch (e) {
    if (e instanceof LuaExit) { exitRequested = e.code; return finish(); }
    if (e instanceof ChiselError) return fail(e.message);
    throw e;
  }
  if (refused !== undefined) return fail(refused);

  // ---- capture filter, chisel initialisation, capture ----
  colorsDecided = true;
  const filterText = scanned.words.slice(nFilterArgs).join(' ');
  const limit = opts.numEvents ?? -1;
  const maxNs = opts.seconds !== undefined && opts.seconds > 0 ? BigInt(opts.seconds) * 1000000000n : -1n;
  /**
   * What sysdig does before opening each capture: the capture filter is set
   * (closing the previous capture dropped it, with any filter a chisel set),
   * then every chisel's on_init runs again on its Lua state. Returns a
   * result when the run ends there.
   */
  const commLimit = new SuppressedCommLimit(opts.suppressComm);
  const initCapture = (): ChiselRunResult | undefined => {
    // (a refused -U comm ends the run before the chisels hear of the capture)
    const refused = commLimit.open();
    if (refused !== undefined) { out.flush(); errLine(refused); code = 1; return finish(); }
    globalFilter = undefined;
    try {
      if (filterText !== '' && !opts.displayFilter) env.setGlobalFilter(textToBytes(filterText));
      for (const c of chisels) c.onInit();
    } catch (e) {
      if (e instanceof LuaExit) { exitRequested = e.code; return finish(); }
      return fail((e as Error).message);
    }
    capFilter = globalFilter ? filterFn : undefined;
    return undefined;
  };

  // -w: the capture is also written, as -w alone writes it, once it has opened
  let pendingOut: PendingWriter | undefined;
  let writer: CaptureWriter | undefined;
  /** Whether the event being written passed the capture filter (the rest is written only where it changes state). */
  let writerMatch = true;
  // What one capture's reading keeps (sysdig's do_inspect: -n and -M count per file).
  let counted = 0;
  let durStartSec = -1, durStartNsec = 0;
  let started = false;
  let firstPending = true;
  let capFilter: (() => boolean) | undefined;
  let rejected = false;
  const filterFn = () => {
    const r = globalFilter!.match(ctx);
    rejected = !r;
    return r;
  };
  const start = () => {
    started = true;
    run.opened = true;
    for (const c of chisels) c.onCaptureStart();
  };
  const timed = maxNs >= 0n;
  const list = chisels;
  const n = list.length;
  /** The capture file has given an event (an error before is one of opening it). */
  let delivered = false;
  /** The first and last event times the chisels see. */
  const takeTime = (ev: ScapEvent): void => {
    const hi = ev.tsHi, lo = ev.tsLo;
    if (firstPending && ev.type !== E_CONTAINER_JSON && ev.type !== E_CONTAINER_JSON_2) {
      firstPending = false;
      run.hasFirst = true; run.firstHi = hi; run.firstLo = lo;
    }
    run.lastHi = hi; run.lastLo = lo;
  };
  const onEvent = (ev: ScapEvent): boolean | void => {
    if (!delivered) {
      delivered = true;
      if (pendingOut !== undefined) writer = pendingOut.open();
    }
    if (counted === limit) return false;
    ctx.ev = ev;
    rejected = false;
    // sysdig runs on_capture_start once the capture is open: after its
    // initial state, before the first event changes anything
    const opening = state.opensCapture(ev);
    if (!started && !opening) { state.settleOpening(); start(); }
    let passed: boolean;
    try {
      passed = state.process(ev, capFilter);
    } catch (e) {
      // sysdig takes an event's time before its filter runs: the event a filter ends the run on counts
      if (e instanceof EvaluationAbort && !opening) takeTime(ev);
      throw e;
    }
    const initial = !passed && state.lastWasInitial;
    writerMatch = passed || !rejected || initial;
    if (writer !== undefined) writer.writeEvent(ev.original ?? ev);
    // Events sysdig reads while opening the capture (its initial container
    // events) never reach its event loop. The others do, also those that
    // only change state or that its parser drops (it calls them filtered
    // out): they draw the progress, move the first and last timestamps
    // and give the chisels' intervals a chance to run.
    if (initial) return;
    if (progress) progress.event(ev);
    takeTime(ev);
    if (!passed) {
      for (let i = 0; i < n; i++) if (list[i].needsTimeout) list[i].doTimeout(ev);
      return;
    }
    if (timed) {
      if (durStartSec < 0) { durStartSec = ev.sec; durStartNsec = ev.nsec; }
      else if ((BigInt(ev.sec - durStartSec) * 1000000000n + BigInt(ev.nsec - durStartNsec)) >= maxNs) { progress?.stopAt(ev); return false; }
    }
    // (sysdig stops right after the last event -n allows, before reading on)
    if (++counted === limit) progress?.stopAt(ev);
    for (let i = 0; i < n; i++) {
      const c = list[i];
      if (c.needsTimeout) c.doTimeout(ev);
      const line = c.run(ctx);
      if (line !== undefined) { out.latin1(line); out.latin1('\n'); }
    }
    if (out.closed) return false;
  };

  // Once, before the capture: with -d the filter is a display filter, which
  // sysdig does not apply to chisel runs but compiles; then sysdig's event
  // and plugin lines (a -p it cannot compile ends the run).
  try {
    if (filterText !== '' && opts.displayFilter) compileFilter(filterText);
    checkPrintFormats(opts);
  } catch (e) {
    return fail((e as Error).message);
  }
  const ended = initCapture();
  if (ended) return ended;
  if (!opts.read) return runLive();

  /** The state sink, also feeding the -w writer (now or once it opens). */
  function writeSink(): CaptureSink {
    return teeSink(state.sink(), () => pendingOut?.sink);
  }

  // Several -r: sysdig reads the files in turn, each from a fresh state and
  // with on_init, on_capture_start and on_capture_end run again for it on
  // the chisels' same Lua states (so a chisel's tables go on growing); -w
  // rewrites its output for each file. A file that cannot be read ends the run.
  const files = opts.readFiles ?? [opts.read];
  let result: ChiselRunResult = { code: 0 };
  for (let i = 0; i < files.length; i++) {
    if (i > 0) {
      ctx.state = state = StateEngine.forRun(opts);
      const ended = initCapture();
      if (ended) return ended;
      counted = 0; durStartSec = -1;
      started = false;
      run.opened = false;
      readerDone = false;
    }
    run.inputFile = files[i];
    delivered = false;
    const startedNs = process.hrtime.bigint();
    let reader: ReturnType<typeof openCapture> | undefined;
    try {
      reader = openCapture(files[i], writeSink(), onEvent, { from: opts.from, to: opts.to, suppressComms: opts.suppressComm } as never);
      // the capture's first event is found anew once it opened (a file that
      // cannot be opened leaves the last file's times to on_capture_end, as in sysdig)
      if (i > 0) { firstPending = true; run.hasFirst = false; }
      const opened = reader;
      percentAt = (ev) => opened.progressPercent(ev);
      // -w: made at the first event, or at the end of a capture without any (lib/writers/pending.ts)
      const write = opts.write;
      if (write) {
        pendingOut = new PendingWriter(() => openOutputWriter(write, {
          gzip: opts.compress, cycle: cycleOptions(opts), match: globalFilter ? () => writerMatch : undefined, excludeUsers: opts.excludeUsers,
        }));
      }
      await reader.read();
      if (pendingOut !== undefined && writer === undefined) writer = pendingOut.open();
      if (!started) start();
      readerDone = true;
    } catch (e) {
      // (damage: sysdig draws the file's end, then fails, drawing 100.00 once more)
      if (e instanceof CaptureError && delivered && progress) {
        const pct = reader?.damagePercent?.(e);
        if (pct !== undefined) progress.stopAtPercent(pct);
        progress.end();
      }
      await writer?.close().catch(() => undefined);
      return failure(e);
    }
    try {
      await writer?.close();
    } catch (e) {
      // the output failed as it was flushed (a full disk): as when it fails while written
      return failure(e);
    }
    writer = undefined;
    pendingOut = undefined;
    endAll(true);
    result = finish();
    if (exitRequested !== undefined) return result;
    result = { ...result, events: counted, startedNs };
    if (i < files.length - 1) io.fileDone?.(counted, startedNs);
  }
  return result;

  function failure(e: unknown): ChiselRunResult {
    if (e instanceof CaptureInterrupt) { endAll(); return finish(); }
    if (e instanceof LuaExit) { exitRequested = e.code; return finish(); }
    if (e instanceof CaptureError) return fail(captureErrorLine(e).trimEnd());
    if (e instanceof ChiselError) return fail(e.message);
    if (e instanceof EvaluationAbort) return fail(abortLine(e, run.inputFile ?? '-'));
    const sys = systemErrorLine(e);
    if (sys !== undefined) return fail('scry: ' + sys);
    return fail((e as Error).message);
  }

  /** Live capture from this machine (lib/live), when the build has it. */
  async function runLive(): Promise<ChiselRunResult> {
    let live: typeof import('../live/capture') | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      live = require('../live/capture');
    } catch { /* not in this build */ }
    if (!live) return fail('live capture is not available in this build; use -r FILE to read a capture');
    // (sysdig's words, after on_init; its run then ends without a capture to end)
    if (opts.progress) { out.flush(); errLine('the -P flag cannot be used with live captures.'); code = 1; return finish(); }
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { deliverRecord } = require('../sources/scry/records') as typeof import('../sources/scry/records');
    const { captureOptionsOf } = require('../live/cli') as typeof import('../live/cli');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const sink = state.sink();
    state.live = true;
    let failed: unknown;
    let capture: Awaited<ReturnType<typeof live.startCapture>> | undefined;
    const flusher = setInterval(() => out.flush(), 100);
    const chiselEvent = (ev: ScapEvent) => {
      if (failed !== undefined) return;
      try {
        if (onEvent(ev) === false) { failed = null; void capture?.stop(); }
      } catch (e) {
        failed = e;
        void capture?.stop();
      }
    };
    const co: CaptureOptions = { ...captureOptionsOf(opts), onState: (r) => deliverRecord(r, sink) };
    if (opts.write) {
      // -w: the capture is written as the chisel runs. The writer asks about
      // each event once, in order: the chisel runs on it there, and the
      // answer is whether it passed the capture filter (the events that
      // change state are kept whatever it says).
      co.fatfile = true;
      co.filter = (ev) => { writerMatch = true; chiselEvent(ev); return writerMatch; };
    } else co.onEvent = chiselEvent;
    try {
      capture = await live.startCapture(co);
      if (!started) start();
      const r = await capture.done;
      if (r.error && failed === undefined) failed = new Error(`capture failed: ${r.error}`);
    } catch (e) {
      failed = e;
    } finally {
      clearInterval(flusher);
    }
    if (failed) return failure(failed);
    endAll();
    return finish();
  }
}
