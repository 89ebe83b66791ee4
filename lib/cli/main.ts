// scry's command line: dispatches to replay, conversion, listings, chisels
// and live capture. Every failure ends as one line on stderr and a non-zero
// exit code.

import { systemErrorLine } from '../util/system-error';
import * as fs from 'fs';
import * as path from 'path';
import { drawsProgress, parseArgs, UsageError, USAGE, CliOptions, RunClosing } from './args';
import { Output } from './output';
import { ProgressLine } from './progress';
import { replay } from './replay';
import { renderEventList } from '../schema/list';
import { GlueError } from './errors';
import { optionalModule } from './optional';
import { setPortResolution } from '../state/net';
import { resetSpanTracking } from '../state/tracers';
import { writeAllSync } from '../util/fdwrite';
import { textToBytes } from '../util/bytes';

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

/** What --libs-version prints: the event schema scry reads and writes. */
const LIBS_VERSION = 'falcosecurity/libs event schema: 0.1.1dev+git20220316.e5c53d64 (sysdig 0.29.3), with the events current libs added';

function stderr(s: string): void {
  try { writeAllSync(2, Buffer.from(s)); } catch { /* nothing left to tell */ }
}

export async function main(argv: string[]): Promise<number> {
  // fields compiled by an earlier run in this process do not ask for span state
  resetSpanTracking();
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError && e.bare) {
      const chiselOpts = e.closing?.chiselOptions;
      if (chiselOpts) return runChisel(chiselOpts, new Output(), e.message);
      stderr(e.message + '\n');
      if (e.closing) await printClosing(e.closing, new Output());
      return e.status;
    }
    if (e instanceof UsageError) { stderr(`scry: ${e.message} (see scry -h)\n`); return 2; }
    throw e;
  }
  const out = new Output();
  out.unbuffered = opts.unbuffered;
  setPortResolution(opts.resolvePorts);
  try {
    if (opts.showFormat !== undefined) { out.line(textToBytes(opts.showFormat)); out.flush(); return 0; }
    if (opts.help) { out.write(USAGE); out.flush(); return 0; }
    if (opts.version) { out.line(`scry version ${version()}`); out.flush(); return 0; }
    if (opts.listEvents) { out.write(renderEventList()); out.flush(); return 0; }
    if (opts.libsVersion) { out.line(LIBS_VERSION); out.flush(); return 0; }
    if (opts.list || opts.listMarkdown) { out.write((await import('./glue')).listFields(opts.verbose, opts.listMarkdown)); out.flush(); return 0; }
    if (opts.check) return await runCheck(opts.check, out);
    if (opts.listChisels && !opts.chisel.length) opts.chisel.push('l');
    // (sysdig ignores -u when it reads a file)
    if (opts.udig && !opts.read && !opts.listChisels && opts.chiselInfo === undefined) {
      throw new GlueError('-u: scry cannot open udig (userspace instrumentation) captures');
    }
    if (opts.chisel.length || opts.chiselInfo !== undefined) return await runChisel(opts, out);
    if (opts.plugin) throw new GlueError(`${opts.plugin[0]} ${opts.plugin[1]}: scry does not load sysdig plugins`);
    if (opts.filterProclist) {
      // (sysdig's words)
      if (!opts.filter) throw new GlueError('you must specify a filter if you use --filter-proclist.', true, true);
      if (!opts.read) throw new GlueError('--filter-proclist not supported with live captures.', true, true);
    }
    if (opts.read && opts.write) return await runConvert(opts, out);
    if (opts.read) {
      const r = await replay(opts, out, stderr);
      return r.code;
    }
    return await runLive(opts, out);
  } catch (e) {
    out.flush();
    if (e instanceof GlueError) {
      if (!e.bare) stderr(`scry: ${e.message}\n`); else if (e.message) stderr(e.message + '\n');
      // (sysdig's run failed where it reads files: -P and -w read a file into another draw their end)
      await printClosing({ progress: !e.beforeCapture && drawsProgress(opts), summary: opts.summary }, out);
      return 1;
    }
    if (e instanceof UsageError) { stderr(`scry: ${e.message}\n`); return 1; }
    // the reader of -w - went away: the end of output, as for printed events
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    const sys = systemErrorLine(e);
    if (sys !== undefined) { stderr(`scry: ${sys}\n`); return 1; }
    throw e;
  }
}

/** What a failed sysdig run still prints at its end: -P's 100.00 (on stderr), -S's table (empty). */
async function printClosing(c: RunClosing, out: Output): Promise<void> {
  if (c.progress) new ProgressLine(stderr, () => 0).endWithoutCapture();
  if (c.summary) {
    const { Summary } = await import('./summary');
    out.write(new Summary().render());
    out.flush();
  }
}

async function runCheck(file: string, out: Output): Promise<number> {
  const { checkCommand } = await import('./check');
  return checkCommand(file, out, stderr);
}

async function runConvert(opts: CliOptions, out: Output): Promise<number> {
  const { convert } = await import('./convert');
  return convert(opts, out, stderr);
}

/** refused: the message of an option value that ended the command line after opts' chisels were loaded. */
async function runChisel(opts: CliOptions, out: Output, refused?: string): Promise<number> {
  const mod = optionalModule<{ chiselCommand: typeof import('./chisel').chiselCommand }>('./chisel');
  if (!mod.chiselCommand) { stderr('scry: chisels are not available in this build\n'); return 1; }
  return mod.chiselCommand(opts, out, stderr, refused);
}

async function runLive(opts: CliOptions, out: Output): Promise<number> {
  const { liveCommand } = await import('./live');
  return liveCommand(opts, out, stderr);
}
