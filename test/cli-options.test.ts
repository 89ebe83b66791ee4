// How command-line options are read, the getopt_long way sysdig reads them
// (whole runs against sysdig's outputs are the opt-* cases of
// fixtures/golden/format): abbreviated long options, ambiguity, values.
import t from 'tap';
import { parseArgs, UsageError } from '../lib/cli/args';

function refusal(argv: string[]): UsageError | undefined {
  try { parseArgs(argv); } catch (e) { if (e instanceof UsageError) return e; throw e; }
  return undefined;
}

t.test('a unique prefix of a long option is that option', async (t) => {
  const o = parseArgs(['--read=x.scap', '--num=5', '--js', '--print-a', '--time', 'r', '--sum', '--fr', '+1s', 'proc.name=a']);
  t.equal(o.read, 'x.scap');
  t.equal(o.numEvents, 5);
  t.ok(o.json && o.ascii && o.summary);
  t.equal(o.timeType, 'r');
  t.equal(o.from, '+1s', "scry's own options too, when no sysdig option has the prefix");
  t.equal(o.filter, 'proc.name=a');
  t.equal(parseArgs(['-r', 'x', '--cr=/run/x.sock']).filter, '', 'names that agree are one option (--cr is --cri)');
  t.equal(parseArgs(['-p', '--js', '-r', 'x']).print, '--js', 'an option value is not an option');
  // sysdig 0.29.3's --force-tracers-capture takes a value (its -T does not): the word after it is that value
  const ft = parseArgs(['-r', 'x', '--force-tracers-capture', '-p', 'evt.num=1']);
  t.equal(ft.print, undefined, '--force-tracers-capture takes the next word');
  t.equal(ft.filter, 'evt.num=1');
  t.equal(parseArgs(['-r', 'x', '-T', '-p', '%evt.num']).print, '%evt.num', '-T takes none');
  // so does --progress (not -P)
  const pg = parseArgs(['-r', 'x', '--progress', '-n', '2']);
  t.ok(pg.progress, '--progress X: progress');
  t.equal(pg.numEvents, undefined, '--progress takes the next word');
  t.equal(pg.filter, '2');
  t.equal(parseArgs(['-r', 'x', '-P', '-n', '2']).numEvents, 2, '-P takes none');
  // -u (ignored with -r, as sysdig ignores it) and --udig VALUE
  t.ok(parseArgs(['-r', 'x', '-u']).udig);
  t.equal(parseArgs(['-r', 'x', '--udig', '-n', '2']).numEvents, undefined, '--udig takes the next word');
  // --plugin-config-file is read in the option loop, as sysdig's: a file it cannot read ends the run
  t.throws(() => parseArgs(['-r', 'x', '--plugin-config-file', '/no/such.yaml']), { message: 'could not read or find configuration file /no/such.yaml: bad file: /no/such.yaml' });
  // --cri-timeout is read with sysdig's parsed64: a number and nothing after it
  t.throws(() => parseArgs(['-r', 'x', '--cri-timeout', '10x']), { message: '10x is not a valid number' });
  t.equal(parseArgs(['-r', 'x', '--cri-timeout', ' -10']).filter, '');
});

t.test('a prefix of several options is refused, naming them as glibc does', async (t) => {
  const cases: [string, string][] = [
    ['--v', "'--verbose' '--version'"],
    ['--li', "'--list-chisels' '--list' '--list-events' '--limit'"],
    ['--print-h', "'--print-hex' '--print-hex-ascii'"],
  ];
  for (const [arg, names] of cases) {
    const e = refusal(['-r', 'x', arg]);
    t.equal(e?.message, `scry: option '${arg}' is ambiguous; possibilities: ${names}`, arg);
    t.equal(e?.status, 1, `${arg}: status 1`);
  }
});

t.test('values are read as sysdig reads them', async (t) => {
  t.equal(parseArgs(['-n', '+7']).numEvents, 7, '-n +7');
  t.equal(parseArgs(['-n', '-18446744073709551610']).numEvents, 6, '-n wraps negatives');
  t.equal(parseArgs(['-n', '-1']).numEvents, undefined, '-n -1: no limit');
  t.equal(refusal(['-n', '7 '])?.message, "can't parse the -n argument, make sure it's a number");
  t.equal(refusal(['-n', '-0'])?.message, 'invalid event count -0');
  t.equal(parseArgs(['-M', ' 3s']).seconds, 3, '-M is atoi');
  t.equal(parseArgs(['-C', '4294967297']).fileSize, 1, '-C: atoi cut to an int');
  t.equal(refusal(['-G', '2147483648'])?.message, 'invalid duration2147483648', '-G: an int that wraps below 0');
  t.equal(parseArgs(['-e', '0x10']).eventLimit, 16, '-e 0x10');
  t.equal(parseArgs(['-e', '010']).eventLimit, 8, '-e 010 (octal)');
  t.equal(parseArgs(['-s', 'abc']).snaplen, 0, '-s abc is 0');
  t.equal(refusal(['-t', 'x', '-t', 'a'])?.message, 'invalid modifier for flag -t', 'the first bad option wins');
});

t.test('-pp prints the event line so far and stops; -- with -r adds filter words', async (t) => {
  const pp = (argv: string[]) => { const f = parseArgs(argv).showFormat; return f === undefined ? undefined : f + '\n'; };
  t.equal(pp(['-p', '%evt.num', '-pp', '-Z']), '%evt.num\n');
  t.match(pp(['-pc', '-pp']), /%container\.name \(%container\.id\)/);
  const o = parseArgs(['-r', 'x', 'evt.dir=<', '--', 'and', 'proc.name=a']);
  t.equal(o.filter, 'evt.dir=< and proc.name=a');
  t.same(o.command, []);
  t.same(parseArgs(['evt.dir=<', '--', 'ls', '-l']).command, ['ls', '-l'], 'without -r: the command to capture');
});

t.test('-h, --version and -L act as they come', async (t) => {
  const listing = (argv: string[]) => { const o = parseArgs(argv); return o.help ? 'help' : o.version ? 'version' : o.listEvents ? 'list-events' : undefined; };
  t.equal(listing(['-L', '-n', '0']), 'list-events', '-L before a bad -n');
  t.equal(listing(['--version', '-n', 'x']), 'version');
  t.equal(listing(['-h', '-A', '-A']), 'help', '-h before a second buffer format');
  t.equal(refusal(['-n', '0', '-L'])?.message, 'invalid event count 0', 'a bad option before -L');
});

t.test('-cl, --list-chisels and -i act as they come, as sysdig lists or describes chisels in its option loop', async (t) => {
  t.same(parseArgs(['-cl', '-Z']).chisel, ['l'], '-cl before an unknown option');
  t.same(parseArgs(['-c', 'l', '--bogus']).chisel, ['l'], '-c l');
  t.ok(parseArgs(['--list-chisels', '-n', '0']).listChisels, '--list-chisels before a bad -n');
  t.equal(parseArgs(['-i', 'spy_users', '--bogus']).chiselInfo, 'spy_users', '-i before an unknown option');
  t.equal(parseArgs(['-r', 'x', '-i', 'spy_users', '-r']).chiselInfo, 'spy_users', '-i before a missing value');
});

t.test("-B's optional value is only an attached one (getopt's optional arguments)", async (t) => {
  t.equal(parseArgs(['-r', 'x', '-B', 'evt.type=open']).filter, 'evt.type=open', '-B then a filter word');
  t.equal(parseArgs(['-r', 'x', '-qB', 'evt.type=open']).filter, 'evt.type=open', 'at the end of a cluster');
  t.equal(parseArgs(['-r', 'x', '--bpf', 'evt.type=open']).filter, 'evt.type=open', '--bpf');
  t.equal(parseArgs(['-r', 'x', '-Bprobe.o', 'evt.type=open']).filter, 'evt.type=open', 'attached: the value');
  t.equal(parseArgs(['-r', 'x', '--bpf=probe.o', 'evt.type=open']).filter, 'evt.type=open', '--bpf=value');
});

t.test('an unknown option before one that ends the command line is refused (getopt meets it first)', async (t) => {
  const cases: [string[], string][] = [
    [['-Z', '-cl'], "scry: invalid option -- 'Z'"],
    [['-Zcl'], "scry: invalid option -- 'Z'"],
    [['-Z', '-L'], "scry: invalid option -- 'Z'"],
    [['-qZ', '-h'], "scry: invalid option -- 'Z'"],
    [['--bogus=3', '--version'], "scry: unrecognized option '--bogus=3'"],
    [['-n', '5', '-Z', '-i', 'spy_users'], "scry: invalid option -- 'Z'"],
    [['-Z', '-pp'], "scry: invalid option -- 'Z'"],
  ];
  for (const [argv, line] of cases) {
    const e = refusal(argv);
    t.equal(e?.message, line, argv.join(' '));
    t.equal(e?.status, 1, `${argv.join(' ')}: status 1`);
  }
  t.ok(parseArgs(['-L', '--bogus=3']).listEvents, 'after it, an unknown option does not count');
  t.ok(parseArgs(['-w', '-Z', '-L']).listEvents, "an option's value is not an option");
});

t.test('an unknown option or a missing value is refused in getopt words, status 1', async (t) => {
  const cases: [string[], string][] = [
    [['-Z'], "scry: invalid option -- 'Z'"],
    [['-qZ', '-r', 'x'], "scry: invalid option -- 'Z'"],
    [['--bogus=3'], "scry: unrecognized option '--bogus=3'"],
    [['-r'], "scry: option requires an argument -- 'r'"],
    [['-q', '-n'], "scry: option requires an argument -- 'n'"],
    [['--readfile'], "scry: option '--readfile' requires an argument"],
    [['--read'], "scry: option '--readfile' requires an argument"],
  ];
  for (const [argv, line] of cases) {
    const e = refusal(argv);
    t.same([e?.message, e?.bare, e?.status], [line, true, 1], argv.join(' '));
  }
});

t.test("-w '' is sysdig's: quiet, and no file", async (t) => {
  const o = parseArgs(['-r', 'x', '-w', '']);
  t.same([o.write, o.quiet], [undefined, true]);
  t.same([parseArgs(['-r', 'x']).quiet, parseArgs(['-r', 'x', '-w', 'y']).write], [false, 'y']);
});
