// Command line parsing with sysdig's flags. Options may come before or after
// the filter words, as with sysdig's getopt; the words that are not options
// form one filter expression.

import * as fs from 'fs';
import { DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, formatForPrintArg, isPrintPreset } from '../format/print-arg';
import { stdoutIsTTY } from '../util/tty';
import { Command, CommanderError, Option } from 'commander';
import { parseTimeBound } from '../sources/window';
import type { CycleOptions } from '../writers/cycle';

export interface CliOptions {
  read?: string;
  /** Several -r: every file, in order (read holds the last). */
  readFiles?: string[];
  write?: string;
  numEvents?: number;
  quiet: boolean;
  print?: string;
  /**
   * The last -p that is not a preset (-pc, -pk, -pm): sysdig's line for
   * plugin events, which it compiles whether or not a plugin event comes.
   */
  pluginPrint?: string;
  json: boolean;
  ascii: boolean;
  hex: boolean;
  hexAscii: boolean;
  base64: boolean;
  verbose: boolean;
  timeType?: string;
  summary: boolean;
  debug: boolean;
  list: boolean;
  listEvents: boolean;
  progress: boolean;
  version: boolean;
  help: boolean;
  displayFilter: boolean;
  snaplen?: number;
  compress: boolean;
  chisel: string[];
  chiselInfo?: string;
  seconds?: number;
  fileSize?: number;
  fileLimit?: number;
  rotateSeconds?: number;
  eventLimit?: number;
  fatfile: boolean;
  check?: string;
  from?: string;
  to?: string;
  /** Live capture: write syscall enter events (--enter-events) or not (--exit-only); default by output format. */
  enterEvents?: boolean;
  /** Filter words joined by spaces ('' when none). */
  filter: string;
  /** Words after `--`: a command to capture. */
  command: string[];
  /** The arguments as given (chisels re-split them the way sysdig does). */
  argv: string[];
  /** --list-chisels (same as -cl). */
  listChisels: boolean;
  /** -l as markdown tables (--list-markdown, which implies -l as in sysdig). */
  listMarkdown: boolean;
  /** --libs-version */
  libsVersion: boolean;
  /** --unbuffered: each event line is written as it is made. */
  unbuffered: boolean;
  /** -U/--suppress-comm: events of processes with these comms are dropped before anything sees them. */
  suppressComm: string[];
  /** -E/--exclude-users: no user and group tables are taken in (from a capture or the OS), nor written. */
  excludeUsers: boolean;
  /** --page-faults: a live capture records page faults too. */
  pageFaults: boolean;
  /** -R: ports shown by their service names. */
  resolvePorts: boolean;
  /** --filter-proclist: a conversion's process list holds only what the filter keeps. */
  filterProclist: boolean;
  /** -u/--udig: sysdig's userspace-instrumentation source, opened only when no file is read. */
  udig: boolean;
  /** -H/--plugin and -I/--input (sysdig plugins, which scry does not load): the flag and its value. */
  plugin?: [string, string];
  /** Filter words were given (perhaps only empty ones: a display filter is compiled even then). */
  filterGiven?: boolean;
  /** -pp: print this event line (the one the options before it chose) and exit. */
  showFormat?: string;
}

/** Whether a run compiles its filter words (glue's buildFilters): any, or with -d, even empty ones. */
export function wantsFilter(opts: CliOptions): boolean {
  return opts.filter !== '' || (opts.displayFilter && opts.filterGiven === true);
}

/**
 * Thrown by the options sysdig acts on as it meets them (-h, --version, -L,
 * -pp, -cl, -i): reading the command line ends there, so later options, good or bad,
 * do not count.
 */
class OptionsEnd extends Error {}

export class UsageError extends Error {
  /** bare: sysdig's own wording, printed without scry's prefix, with sysdig's exit status (`status`). */
  constructor(message: string, readonly bare = false, readonly status = 1) { super(message); }
  /**
   * For a value sysdig refuses by throwing (its -n, -C, -e, -G, -M and -W):
   * its run then ends as any failed run does, drawing -P's 100.00 and
   * printing -S's table when those options came before.
   */
  closing?: RunClosing;
}

/** What a failed sysdig run still prints at its end. */
export interface RunClosing {
  progress: boolean;
  summary: boolean;
  /**
   * The options read before the refused value, when they loaded chisels:
   * sysdig loads a chisel at its -c, so an option that throws later still
   * ends the run through on_capture_end of the chisels loaded so far.
   */
  chiselOptions?: CliOptions;
}

/** A value sysdig refuses by throwing (see UsageError.closing). */
class ThrownValueError extends UsageError {
  constructor(message: string) { super(message, true); }
}

// Option values are read as sysdig reads them (C's atoi, strtoul, sscanf),
// and refused with its messages (exit status 1), as the options come.

const SPACE = /^[ \t\n\v\f\r]*/;

/** --plugin-config-file: sysdig (yaml-cpp) refuses a file it cannot open with these words. */
function readablePluginConfig(file: string): void {
  let dir = false;
  try {
    fs.accessSync(file, fs.constants.R_OK);
    dir = fs.statSync(file).isDirectory();
  } catch {
    throw new ThrownValueError(`could not read or find configuration file ${file}: bad file: ${file}`);
  }
  // (yaml-cpp opens a directory, then libstdc++ fails reading it)
  if (dir) throw new ThrownValueError(`could not read or find configuration file ${file}: basic_filebuf::underflow error reading the file: Is a directory`);
}

/** sysdig's sinsp_numparser::parsed64: sscanf("%ld%c") must read the number and nothing after it. */
function parsed64(v: string): void {
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(v)) throw new ThrownValueError(v + ' is not a valid number');
}

/** C's strtol over the leading number of s (0 when there is none), saturated to a long. */
function strtol(s: string): bigint {
  const m = /^([+-]?)(\d+)/.exec(s.replace(SPACE, ''));
  if (!m) return 0n;
  let v = BigInt(m[2]);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  return v > max ? max : v < -max - 1n ? -max - 1n : v;
}

/** C's atoi: strtol cut to an int. */
function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtol(s)));
}

/** C's strtoul(s, NULL, 0): 0x hex, 0 octal, else decimal; a minus sign negates modulo 2^64. */
function strtoul0(s: string): bigint {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s.replace(SPACE, ''));
  if (!m) return 0n;
  const t = m[2];
  let v = /^0[xX]/.test(t) ? BigInt(t) : t.length > 1 && t[0] === '0' ? BigInt('0o' + t.slice(1)) : BigInt(t);
  if (v >= 1n << 64n) v = (1n << 64n) - 1n;
  return m[1] === '-' ? BigInt.asUintN(64, -v) : v;
}

/** An int option sysdig refuses at 0 and below, with its message (no space before the value, as sysdig). */
function atoiPositive(message: string) {
  return (v: string): number => {
    const n = atoi(v);
    if (n <= 0) throw new ThrownValueError(message + v);
    return n;
  };
}

/** -n: sscanf("%lu%c") must read a number and nothing after it; 0 is refused; a negative count wraps (no limit). */
function eventCount(v: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(v);
  if (!m) throw new ThrownValueError("can't parse the -n argument, make sure it's a number");
  let n = BigInt(m[2]);
  if (n >= 1n << 64n) n = (1n << 64n) - 1n;
  if (m[1] === '-') n = BigInt.asUintN(64, -n);
  if (n === 0n) throw new ThrownValueError('invalid event count ' + v);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(n); // (-1: no limit)
}

/** -e: strtoul, base 0; only 0 is refused. */
function eventLimit(v: string): number {
  const n = strtoul0(v);
  if (n === 0n) throw new ThrownValueError("invalid parameter 'number of events' " + v);
  return Number(n);
}

// sysdig's long options (getopt_long): name, argument (n none, r required,
// o optional) and the option they stand for. A unique prefix of a name is
// that option; a prefix of several different ones is ambiguous. glibc counts
// two names as one when argument and value agree (--cr is --cri).
const SYSDIG_LONG = ('print-ascii n A|print-base64 n b|bpf o B|chisel r c|list-chisels n 0|cri r 0|cri-timeout r 0|' +
  'displayflt n d|debug n D|exclude-users n E|event-limit r e|fatfile n F|filter-proclist n 0|seconds r G|help n h|' +
  'plugin r H|input r I|chisel-info r i|file-size r C|json n j|k8s-api r k|node-name r N|k8s-api-cert r K|' +
  'large-environment n 0|list n l|list-events n L|list-markdown n 0|libs-version n 0|mesos-api r m|numevents r n|' +
  'page-faults n 0|plugin-config-file r 0|progress r P|print r p|quiet n q|resolve-ports n R|readfile r r|snaplen r s|' +
  'summary n S|suppress-comm r U|udig r u|timetype r t|force-tracers-capture r T|unbuffered n 0|verbose n v|' +
  'version n 0|writefile r w|limit r W|print-hex n x|print-hex-ascii n X|compress n z').split('|').map((e) => e.split(' '));

interface OptionShape { short?: string; long?: string; required: boolean; optional: boolean }

/**
 * The arguments with abbreviated long options written out (--read=F is
 * --readfile=F, as getopt_long reads it); sysdig's names are matched first,
 * then scry's own (--fr is --from).
 */
function expandLongOptions(args: string[], options: OptionShape[], seen: { unknownBeforeEnd?: string } = {}): string[] {
  const byLong = new Map<string, OptionShape>();
  const byShort = new Map<string, OptionShape>();
  for (const o of options) { if (o.long) byLong.set(o.long.slice(2), o); if (o.short) byShort.set(o.short.slice(1), o); }
  const out: string[] = [];
  // The first unknown option met before an option that ends the command
  // line: getopt reports it, where commander would report it only after.
  let ended = false;
  const unknown = (word: string) => { if (!ended && seen.unknownBeforeEnd === undefined) seen.unknownBeforeEnd = word; };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    out.push(a);
    if (a === '--') { out.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      let full = name;
      if (!byLong.has(name)) {
        const hits = SYSDIG_LONG.filter(([n]) => n.startsWith(name));
        // (glibc lists the first match and those that differ from it)
        const others = hits.filter(([, arg, v]) => arg !== hits[0][1] || v !== hits[0][2]);
        if (others.length > 0) {
          throw new UsageError(`scry: option '--${name}' is ambiguous; possibilities:${[hits[0], ...others].map(([n]) => ` '--${n}'`).join('')}`, true);
        }
        if (hits.length > 0) full = hits[0][0];
        else {
          const own = [...byLong.keys()].filter((n) => n.startsWith(name));
          if (own.length === 1) full = own[0];
        }
        out[out.length - 1] = '--' + full + (eq < 0 ? '' : a.slice(eq));
      }
      const o = byLong.get(full);
      if (!o) unknown(a);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (eq < 0 && o?.required) { if (i + 1 < args.length) out.push(value = args[++i]); }
      // getopt gives an optional value only when attached (commander would take the next word)
      if (eq < 0 && o?.optional) out[out.length - 1] = `--${full}=`;
      if (endsOptions(full, value)) ended = true;
    } else if (a.length > 1 && a[0] === '-') {
      // a cluster: the first letter that takes a value takes the rest, or the next argument
      for (let k = 1; k < a.length; k++) {
        const o = byShort.get(a[k]);
        if (!o) { unknown('-' + a[k]); continue; }
        if (o.required || o.optional) {
          if (o.optional && k === a.length - 1 && o.long) {
            out[out.length - 1] = a.slice(0, k);
            if (k === 1) out.pop();
            out.push(`${o.long}=`);
            break;
          }
          let value = k < a.length - 1 ? a.slice(k + 1) : undefined;
          if (k === a.length - 1 && o.required && i + 1 < args.length) out.push(value = args[++i]);
          if (endsOptions(o.long?.slice(2), value)) ended = true;
          break;
        }
        if (endsOptions(o.long?.slice(2), undefined)) { ended = true; break; }
      }
    }
  }
  return out;
}

/**
 * The options that end the command line (see OptionsEnd), by long name:
 * whether they do with this value. sysdig acts on them in its option loop.
 */
const ENDING: Record<string, (value: string | undefined) => boolean> = {
  help: () => true, version: () => true, 'list-events': () => true, 'list-chisels': () => true, 'chisel-info': () => true,
  chisel: (v) => v === 'l', print: (v) => v === 'p',
};

function endsOptions(longName: string | undefined, value: string | undefined): boolean {
  return longName !== undefined && Object.prototype.hasOwnProperty.call(ENDING, longName) && ENDING[longName](value);
}

/** Whether a run draws sysdig's progress line: -P, or a file read into another (-r with -w). */
export function drawsProgress(opts: CliOptions): boolean {
  return opts.progress || (opts.read !== undefined && opts.write !== undefined);
}

export function parseArgs(argv: string[]): CliOptions {
  const dd = argv.indexOf('--');
  const command = dd >= 0 ? argv.slice(dd + 1) : [];
  const args = dd >= 0 ? argv.slice(0, dd) : argv;

  const chisels: string[] = [];
  const suppressComm: string[] = [];
  const p = new Command();
  p.name('scry')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .helpOption(false)
    .allowExcessArguments(true)
    .argument('[filter...]')
    .option('-r, --readfile <file>', '', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('-w, --writefile <file>')
    .addOption(new Option('-n, --numevents <n>').argParser(eventCount))
    .option('-q, --quiet', '', false)
    .option('-p, --print <format>')
    .option('-j, --json', '', false)
    .option('-A, --print-ascii', '', false)
    .option('-x, --print-hex', '', false)
    .option('-X, --print-hex-ascii', '', false)
    .option('-b, --print-base64', '', false)
    .option('-v, --verbose', '', false)
    .addOption(new Option('-t, --timetype <type>').argParser((v: string) => {
      if (!/^[hardD]$/.test(v)) throw new UsageError('invalid modifier for flag -t', true);
      return v;
    }))
    .option('-S, --summary', '', false)
    .option('-D, --debug', '', false)
    .option('-l, --list', '', false)
    .option('-L, --list-events', '', false)
    .option('-P', '', false)
    // (sysdig 0.29.3's long form takes a value, which its -P does not)
    .option('--progress <value>')
    .option('--version', '', false)
    .option('-h, --help', '', false)
    .option('-d, --displayflt', '', false)
    .addOption(new Option('-s, --snaplen <n>').argParser(atoi))
    .option('-z, --compress', '', false)
    .option('-c, --chisel <name>', '', (v: string) => { chisels.push(v); return v; })
    .option('-i, --chisel-info <name>')
    .addOption(new Option('-M <seconds>').argParser(atoiPositive('invalid duration')))
    .addOption(new Option('-C, --file-size <mb>').argParser(atoiPositive('invalid file size')))
    .addOption(new Option('-W, --limit <n>').argParser(atoiPositive('invalid file limit')))
    .addOption(new Option('-G, --seconds <n>').argParser(atoiPositive('invalid duration')))
    .addOption(new Option('-e, --event-limit <n>').argParser(eventLimit))
    .option('-F, --fatfile', '', false)
    .option('--check <file>')
    .option('--list-chisels', '', false)
    .option('--from <time>')
    .option('--to <time>')
    .option('--enter-events', '', undefined)
    .option('--exit-only', '', undefined)
    .option('--list-markdown', '', false)
    .option('--libs-version', '', false)
    .option('--unbuffered', '', false)
    .option('-U, --suppress-comm <comm>', '', (v: string) => { suppressComm.push(v); return v; })
    .option('-E, --exclude-users', '', false)
    .option('--page-faults', '', false)
    .option('-R, --resolve-ports', '', false)
    .option('--filter-proclist', '', false)
    .option('-H, --plugin <plugin>')
    // (read as sysdig reads it, in its option loop: a file it cannot read ends the run there)
    .option('--plugin-config-file <file>', '', (v: string) => { readablePluginConfig(v); return v; })
    .option('-I, --input <plugin>')
    // sysdig options scry takes without effect (see USAGE)
    .option('-T', '', false)
    // (sysdig 0.29.3's long form takes a value, which its -T does not: --force-tracers-capture -p X eats the -p)
    .option('--force-tracers-capture <value>')
    .option('--large-environment', '', false)
    .option('-B, --bpf [probe]')
    .option('-u', '', false)
    // (as with -T and -P, sysdig 0.29.3's long form takes a value)
    .option('--udig <value>')
    .option('-k, --k8s-api <url>')
    .option('-K, --k8s-api-cert <cert>')
    .option('-m, --mesos-api <url>')
    .option('--cri <path>')
    .option('--cri-timeout <ms>', '', (v: string) => { parsed64(v); return v; })
    .option('--node-name <name>');

  // The options of ENDING end the command line where they come (commander
  // has set the option when these listeners run); -pp first prints the
  // event line the options before it chose.
  const end = () => { throw new OptionsEnd(); };
  let lineFormat = stdoutIsTTY() ? DEFAULT_FORMAT_TTY : DEFAULT_FORMAT;
  let showFormat: string | undefined;
  let pluginPrint: string | undefined;
  p.on('option:print', (v: string) => {
    if (v === 'p') showFormat = lineFormat;
    lineFormat = formatForPrintArg(v);
    if (!isPrintPreset(v)) pluginPrint = v;
  });
  for (const name of Object.keys(ENDING)) p.on(`option:${name}`, (v: string | boolean) => { if (endsOptions(name, typeof v === 'string' ? v : undefined)) end(); });

  // A second buffer format stops sysdig at once, with status 0 when it is -A or
  // -b and 1 when it is -x or -X (its option loop's return values).
  let bufferFormats = 0;
  const bufferFormat = (status: number) => () => {
    if (bufferFormats++ > 0) throw new UsageError('you cannot specify more than one output format', true, status);
  };
  p.on('option:print-ascii', bufferFormat(0)).on('option:print-base64', bufferFormat(0))
    .on('option:print-hex', bufferFormat(1)).on('option:print-hex-ascii', bufferFormat(1));

  const seen: { unknownBeforeEnd?: string } = {};
  const closing: RunClosing = { progress: false, summary: false };
  p.on('option:P', () => { closing.progress = true; }).on('option:progress', () => { closing.progress = true; })
    .on('option:summary', () => { closing.summary = true; });
  // the options commander took before one it refused (a run that never starts: nothing written)
  const partialOptions = (): CliOptions | undefined => {
    try {
      return { ...optionsOf(p, [], argv, chisels, suppressComm, {}), write: undefined, progress: closing.progress };
    } catch {
      return undefined;
    }
  };
  try {
    p.parse(expandLongOptions(args, p.options as unknown as OptionShape[], seen), { from: 'user' });
  } catch (e) {
    if (e instanceof ThrownValueError) e.closing = { ...closing, chiselOptions: chisels.length ? partialOptions() : undefined };
    if (e instanceof UsageError) throw e;
    if (e instanceof OptionsEnd) {
      const u = seen.unknownBeforeEnd;
      if (u !== undefined) throw new UsageError(u.startsWith('--') ? `scry: unrecognized option '${u}'` : `scry: invalid option -- '${u.slice(1)}'`, true);
      return optionsOf(p, [], argv, chisels, suppressComm, { showFormat, pluginPrint });
    }
    if (e instanceof CommanderError) throw getoptError(e, args);
    throw e;
  }
  // Reading a file, the words after -- are more filter words (sysdig's getopt
  // stops at --); otherwise they are the command to capture.
  return optionsOf(p, command, argv, chisels, suppressComm, { pluginPrint });
}

/**
 * An unknown option or a missing value, reported in getopt's words with
 * sysdig's exit status 1 (other command-line errors keep commander's words).
 */
function getoptError(e: CommanderError, args: string[]): UsageError {
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'commander.unknownOption') {
    if (quoted.startsWith('--')) return new UsageError(`scry: unrecognized option '${quoted}'`, true);
    return new UsageError(`scry: invalid option -- '${quoted.slice(1, 2)}'`, true);
  }
  if (e.code === 'commander.optionMissingArgument') {
    // which of the option's names was typed: the last argument
    const m = /^(-\w)?(?:, )?(--[\w-]+)?/.exec(quoted);
    const last = args[args.length - 1] ?? '';
    if (m?.[2] && last.startsWith('--')) return new UsageError(`scry: option '${m[2]}' requires an argument`, true);
    if (m?.[1]) return new UsageError(`scry: option requires an argument -- '${m[1].slice(1)}'`, true);
  }
  return new UsageError(e.message.replace(/^error: /, ''));
}

/** How -C, -G, -W and -e split a -w output. */
export function cycleOptions(o: CliOptions): CycleOptions {
  return { fileSizeMb: o.fileSize, seconds: o.rotateSeconds, fileLimit: o.fileLimit, events: o.eventLimit };
}

/** The options commander has read (all of them, or those before one that ended the command line). */
function optionsOf(p: Command, command: string[], argv: string[], chisels: string[], suppressComm: string[],
  seen: { showFormat?: string; pluginPrint?: string }): CliOptions {
  const o = p.opts();
  if (o.enterEvents && o.exitOnly) throw new UsageError('--enter-events and --exit-only exclude each other');
  for (const [flag, v] of [['--from', o.from], ['--to', o.to]] as const) {
    if (v === undefined) continue;
    try {
      parseTimeBound(v as string);
    } catch (e) {
      throw new UsageError(`option ${flag}: ${(e as Error).message}`);
    }
  }
  const reading = o.readfile !== undefined;
  const filterWords = reading ? [...(p.args as string[]), ...command] : (p.args as string[]);
  const t = o.timetype as string | undefined;
  return {
    // -w sets sysdig's quiet flag; an empty -w name then writes nothing
    read: o.readfile?.[o.readfile.length - 1], readFiles: o.readfile?.length > 1 ? o.readfile : undefined, write: o.writefile || undefined, numEvents: o.numevents === -1 ? undefined : o.numevents,
    quiet: o.quiet || o.writefile === '', print: o.print,
    json: o.json, ascii: o.printAscii, hex: o.printHex, hexAscii: o.printHexAscii, base64: o.printBase64,
    verbose: o.verbose, timeType: t, summary: o.summary, debug: o.debug, list: o.list,
    listEvents: o.listEvents, progress: o.P || o.progress !== undefined, version: o.version, help: o.help,
    displayFilter: o.displayflt, snaplen: o.snaplen, compress: o.compress, chisel: chisels,
    chiselInfo: o.chiselInfo, seconds: o.M, fileSize: o.fileSize, fileLimit: o.limit,
    rotateSeconds: o.seconds, eventLimit: o.eventLimit, fatfile: o.fatfile, check: o.check,
    from: o.from, to: o.to, filter: filterWords.join(' '), filterGiven: filterWords.length > 0, command: reading ? [] : command,
    argv: argv.slice(), listChisels: o.listChisels,
    enterEvents: o.enterEvents ? true : o.exitOnly ? false : undefined,
    listMarkdown: o.listMarkdown, libsVersion: o.libsVersion, unbuffered: o.unbuffered, suppressComm,
    excludeUsers: o.excludeUsers, pageFaults: o.pageFaults, resolvePorts: o.resolvePorts,
    filterProclist: o.filterProclist, udig: o.u || o.udig !== undefined,
    plugin: o.plugin !== undefined ? ['-H', o.plugin] : o.input !== undefined ? ['-I', o.input]
      : o.pluginConfigFile !== undefined ? ['--plugin-config-file', o.pluginConfigFile] : undefined,
    showFormat: seen.showFormat, pluginPrint: seen.pluginPrint,
  };
}

export const USAGE = `scry - syscall capture and forensics (sysdig-compatible)

Usage: scry [options] [-r <readfile>] [-c <chisel>] [filter]
       scry [options] -w <writefile> [filter] [-- command args]

Options:
 -r, --readfile <file>   Read events from a .scap (plain or gzip) or .scry capture;
                         - (or a pipe) reads it from standard input as it comes.
 -w, --writefile <file>  Write events to a file (.scry, or .scap; -z gzips .scap).
 -n, --numevents <n>     Stop after n events.
 -p, --print <format>    Output format (sysdig syntax: %field, *prefix, %Nfield).
                         -pc and -pk select the container and Kubernetes presets.
 -j, --json              Print events as JSON.
 -A, -x, -X, -b          Print buffers as ASCII, hex, hex+ASCII, base64.
 -t h|a|r|d|D            Timestamps: human, absolute, relative, delta, delta per thread.
 -d, --displayflt        Apply the filter after the state engine (display filter).
 -q, --quiet             Don't print events.
 -S, --summary           Print a table of event counts at the end.
 -v, --verbose           More output (e.g. drop counters at the end).
 -D, --debug             Show internal events too.
 -l, --list              List the fields (-lv for details); -L lists the event types.
 -c <chisel> [args]      Run a chisel; -cl lists chisels; -i <chisel> describes one.
 -s, --snaplen <n>       Bytes of each I/O buffer to capture (default 80).
 -M <seconds>            Stop capturing after that many seconds.
 -C <MB>, -G <seconds>,  With -w (capturing or converting), start a new file past
 -e <events>             MB million bytes, every N seconds of events, every N events;
                         files are named as sysdig names them (-G: a strftime name).
 -W <n>                  With -C/-G/-e: at most n files, names reused round-robin.
     --exit-only         Live capture: exit events only (default for .scry, as current
                         libs drivers write); --enter-events: enter events too
                         (default for .scap and printing, as sysdig 0.29.3 expects).
 -U, --suppress-comm <c> Ignore the events of processes named c (repeatable).
 -R                      Show ports by their service names (/etc/services).
     --unbuffered        Write each event line as it is made.
     --list-markdown     -l as markdown tables.  --libs-version: the event schema.
 -E, --exclude-users     Take in no user and group tables (user.name and the like are <NA>);
                         -w and live capture write none.
 -F, --fatfile           With -w and a filter: also keep the events that change state.
     --filter-proclist   With -r, -w and a filter: the process list written holds only
                         the processes with an fd the filter keeps, and those fds.
 -H, -I <plugin>         sysdig plugins: not supported (an error). Plugin events in a
                         capture are read and printed with sysdig's plugin line.
     --page-faults       Live capture: record page faults too (page_fault events).
 -P, --progress          Print progress on stderr.
     --check <file>      Report a capture's chunks, events, time range and damage.
     --from, --to <time> Time window (absolute ns, or +30s relative to the start).
     --version           Print the version.
 -T, -B, -k, -K, -m, --cri, --cri-timeout, --node-name, --large-environment
                         Accepted for sysdig compatibility, without effect: scry
                         captures with its own eBPF probe and takes container and
                         Kubernetes metadata from the runtimes and container labels.
 -u, --udig              Accepted with -r, as sysdig ignores it there; scry cannot
                         open udig (userspace instrumentation) captures.
 -h, --help              This help.
`;
