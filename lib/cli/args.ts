// Command line parsing with sysdig's flags. Options may come before or after
// the filter words, as with sysdig's getopt; the words that are not options
// form one filter expression.

import { Command, CommanderError, Option } from 'commander';
import { parseTimeBound } from '../sources/window';

export interface CliOptions {
  read?: string;
  write?: string;
  numEvents?: number;
  quiet: boolean;
  print?: string;
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
  /** -E/--exclude-users: a live capture writes no user and group tables. */
  excludeUsers: boolean;
  /** --page-faults (live capture of page faults, which scry's probe does not do). */
  pageFaults: boolean;
  /** -R: ports shown by their service names. */
  resolvePorts: boolean;
  /** --filter-proclist: a conversion's process list holds only what the filter keeps. */
  filterProclist: boolean;
  /** -H/--plugin and -I/--input (sysdig plugins, which scry does not load): the flag and its value. */
  plugin?: [string, string];
}

export class UsageError extends Error {
  /** bare: sysdig's own wording, printed without scry's prefix, with sysdig's exit status (`status`). */
  constructor(message: string, readonly bare = false, readonly status = 1) { super(message); }
}

function int(flag: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`option ${flag} takes a number, got '${v}'`);
    return Number(v);
  };
}

/** A count that must be 1 or more (sysdig refuses 0 and below for -C, -W, -G, -e). */
function positive(flag: string, what: string) {
  const parse = int(flag);
  return (v: string): number => {
    const n = parse(v);
    if (n <= 0) throw new UsageError(`option ${flag}: invalid ${what} '${v}' (must be 1 or more)`);
    return n;
  };
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
    .option('-r, --readfile <file>')
    .option('-w, --writefile <file>')
    .addOption(new Option('-n, --numevents <n>').argParser(int('-n')))
    .option('-q, --quiet', '', false)
    .option('-p, --print <format>')
    .option('-j, --json', '', false)
    .option('-A, --print-ascii', '', false)
    .option('-x, --print-hex', '', false)
    .option('-X, --print-hex-ascii', '', false)
    .option('-b, --print-base64', '', false)
    .option('-v, --verbose', '', false)
    .option('-t, --timetype <type>')
    .option('-S, --summary', '', false)
    .option('-D, --debug', '', false)
    .option('-l, --list', '', false)
    .option('-L, --list-events', '', false)
    .option('-P, --progress', '', false)
    .option('--version', '', false)
    .option('-h, --help', '', false)
    .option('-d, --displayflt', '', false)
    .addOption(new Option('-s, --snaplen <n>').argParser(int('-s')))
    .option('-z, --compress', '', false)
    .option('-c, --chisel <name>', '', (v: string) => { chisels.push(v); return v; })
    .option('-i, --chisel-info <name>')
    .addOption(new Option('-M <seconds>').argParser(int('-M')))
    .addOption(new Option('-C, --file-size <mb>').argParser(positive('-C', 'file size')))
    .addOption(new Option('-W, --limit <n>').argParser(positive('-W', 'file limit')))
    .addOption(new Option('-G, --seconds <n>').argParser(positive('-G', 'duration')))
    .addOption(new Option('-e, --event-limit <n>').argParser(positive('-e', 'number of events')))
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
    .option('-I, --input <plugin>')
    // sysdig options scry takes without effect (see USAGE)
    .option('-T, --force-tracers-capture', '', false)
    .option('--large-environment', '', false)
    .option('-B, --bpf [probe]')
    .option('-k, --k8s-api <url>')
    .option('-K, --k8s-api-cert <cert>')
    .option('-m, --mesos-api <url>')
    .option('--cri <path>')
    .option('--cri-timeout <ms>')
    .option('--node-name <name>');

  // A second buffer format stops sysdig at once, with status 0 when it is -A or
  // -b and 1 when it is -x or -X (its option loop's return values).
  let bufferFormats = 0;
  const bufferFormat = (status: number) => () => {
    if (bufferFormats++ > 0) throw new UsageError('you cannot specify more than one output format', true, status);
  };
  p.on('option:print-ascii', bufferFormat(0)).on('option:print-base64', bufferFormat(0))
    .on('option:print-hex', bufferFormat(1)).on('option:print-hex-ascii', bufferFormat(1));

  try {
    p.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof CommanderError) throw new UsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const o = p.opts();
  if (o.numevents === 0) throw new UsageError('invalid event count 0', true);
  // sysdig reads -n as unsigned: a negative count is no limit.
  if (o.numevents !== undefined && o.numevents < 0) o.numevents = undefined;
  if (o.enterEvents && o.exitOnly) throw new UsageError('--enter-events and --exit-only exclude each other');
  for (const [flag, v] of [['--from', o.from], ['--to', o.to]] as const) {
    if (v === undefined) continue;
    try {
      parseTimeBound(v as string);
    } catch (e) {
      throw new UsageError(`option ${flag}: ${(e as Error).message}`);
    }
  }
  const t = o.timetype as string | undefined;
  if (t !== undefined && !/^[hardD]$/.test(t)) throw new UsageError('invalid modifier for flag -t', true);
  return {
    read: o.readfile, write: o.writefile, numEvents: o.numevents, quiet: o.quiet, print: o.print,
    json: o.json, ascii: o.printAscii, hex: o.printHex, hexAscii: o.printHexAscii, base64: o.printBase64,
    verbose: o.verbose, timeType: t, summary: o.summary, debug: o.debug, list: o.list,
    listEvents: o.listEvents, progress: o.progress, version: o.version, help: o.help,
    displayFilter: o.displayflt, snaplen: o.snaplen, compress: o.compress, chisel: chisels,
    chiselInfo: o.chiselInfo, seconds: o.M, fileSize: o.fileSize, fileLimit: o.limit,
    rotateSeconds: o.seconds, eventLimit: o.eventLimit, fatfile: o.fatfile, check: o.check,
    from: o.from, to: o.to, filter: (p.args as string[]).join(' '), command,
    argv: argv.slice(), listChisels: o.listChisels,
    enterEvents: o.enterEvents ? true : o.exitOnly ? false : undefined,
    listMarkdown: o.listMarkdown, libsVersion: o.libsVersion, unbuffered: o.unbuffered, suppressComm,
    excludeUsers: o.excludeUsers, pageFaults: o.pageFaults, resolvePorts: o.resolvePorts,
    filterProclist: o.filterProclist,
    plugin: o.plugin !== undefined ? ['-H', o.plugin] : o.input !== undefined ? ['-I', o.input] : undefined,
  };
}

export const USAGE = `scry - syscall capture and forensics (sysdig-compatible)

Usage: scry [options] [-r <readfile>] [-c <chisel>] [filter]
       scry [options] -w <writefile> [filter] [-- command args]

Options:
 -r, --readfile <file>   Read events from a .scap (plain or gzip) or .scry capture.
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
 -E, --exclude-users     Live capture: write no user and group tables.
 -F, --fatfile           With -w and a filter: also keep the events that change state.
     --filter-proclist   With -r, -w and a filter: the process list written holds only
                         the processes with an fd the filter keeps, and those fds.
 -H, -I <plugin>         sysdig plugins: not supported (an error). Plugin events in a
                         capture are read and printed with sysdig's plugin line.
     --page-faults       Live capture of page faults: not supported (an error).
 -P, --progress          Print progress on stderr.
     --check <file>      Report a capture's chunks, events, time range and damage.
     --from, --to <time> Time window (absolute ns, or +30s relative to the start).
     --version           Print the version.
 -T, -B, -k, -K, -m, --cri, --cri-timeout, --node-name, --large-environment
                         Accepted for sysdig compatibility, without effect: scry
                         captures with its own eBPF probe and takes container and
                         Kubernetes metadata from the runtimes and container labels.
 -h, --help              This help.
`;
