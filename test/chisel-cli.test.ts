// Chisel discovery and command line: -cl and -i as sysdig lays them out,
// the search path, how arguments and the trailing filter are split, and
// the Lua environment details chisels rely on.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../lib/cli/args';
import { runChisels } from '../lib/chisel/runner';
import { ByteOutput } from '../lib/chisel/output';
import { scanArgv } from '../lib/chisel/cliargs';
import { splitChiselArgs } from '../lib/chisel/host';
import { numberToString, formatFloat, formatInteger } from '../lib/chisel/numfmt';

const ROOT = path.join(__dirname, '..');
const FIX = path.join(ROOT, 'fixtures');
const GOLD = path.join(FIX, 'golden', 'chisels');
const SYSDIG_CHISELS = '/usr/share/sysdig/chisels';

const OURS = ['topprocs_cpu', 'topprocs_file', 'topprocs_net', 'topprocs_errors', 'topfiles_bytes', 'topfiles_time',
  'topfiles_errors', 'topscalls', 'topscalls_time', 'topconns', 'topports_server', 'topcontainers_cpu', 'topcontainers_file',
  'topcontainers_net', 'topcontainers_error', 'spy_users', 'spy_file', 'spy_ip', 'spy_port', 'spy_logs', 'echo_fds', 'stdout',
  'stderr', 'stdin', 'fdbytes_by', 'fdcount_by', 'fdtime_by', 'iobytes', 'iobytes_file', 'iobytes_net', 'lsof', 'netstat', 'ps',
  'lscontainers', 'proc_exec_time', 'list_login_shells', 'fileslower', 'netlower', 'scallslower', 'httptop', 'httplog', 'around',
  'bottlenecks', 'spy_syslog', 'memcachelog', 'shellshock_detect', 'udp_extract', 'subsecoffset', 'spectrogram', 'tracers_2_statsd'];

interface Run { code: number; out: string; err: string }

/** `scry ARGS...` in this process, from directory `cwd` (HOME = cwd). */
async function scry(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const here = process.cwd();
  const saved = { ...process.env };
  process.chdir(cwd);
  process.env.HOME = cwd;
  process.env.TZ = 'UTC';
  delete process.env.SCRY_CHISEL_PATH;
  Object.assign(process.env, env);
  const o: Uint8Array[] = [], e: Uint8Array[] = [];
  const out = new ByteOutput(1, o), err = new ByteOutput(2, e);
  try {
    const r = await runChisels(parseArgs(args), args, { out, err });
    out.flush(); err.flush();
    return { code: r.code, out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() };
  } finally {
    process.chdir(here);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function tmpdir(t: { teardown(f: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-chisel-cli-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

const CHISEL = (body: string, args = 'args = {}') => `description = "test chisel"\nshort_description = "test"\ncategory = "Test"\n${args}\n${body}\n`;

t.test("-cl and -i with sysdig's chisels print what sysdig prints", { skip: !fs.existsSync(SYSDIG_CHISELS) && 'sysdig is not installed' }, async (t) => {
  const d = tmpdir(t);
  fs.symlinkSync(SYSDIG_CHISELS, path.join(d, 'chisels'));
  const l = await scry(d, ['-cl']);
  t.equal(l.code, 0);
  t.equal(l.out, fs.readFileSync(path.join(GOLD, 'list.sysdig.txt'), 'utf8'));
  for (const c of ['topprocs_cpu', 'spy_file', 'lsof', 'fileslower', 'echo_fds']) {
    const r = await scry(d, ['-i', c]);
    t.equal(r.out, fs.readFileSync(path.join(GOLD, `info.${c}.sysdig.txt`), 'utf8'), `-i ${c}`);
  }
});

t.test('our chisels are listed, by category, and described by -i', async (t) => {
  const d = tmpdir(t);
  const l = await scry(d, ['-cl']);
  t.equal(l.code, 0);
  const names = l.out.split('\n').map((x) => x.split(' ')[0]).filter((x) => x && !x.startsWith('-') && x !== 'Category:' && x !== 'Use');
  t.same(new Set(names), new Set(OURS), 'exactly the 50 chisels (helpers are not listed)');
  t.match(l.out, /\nCategory: I\/O\n-------------\n/);
  t.match(l.out, /Use the -i flag to get detailed information about a specific chisel\n$/);
  for (const c of OURS) {
    const r = await scry(d, ['-i', c]);
    t.equal(r.code, 0, `-i ${c}`);
    t.match(r.out, new RegExp(`^\\nCategory: .*\\n-+\\n${c}`), `-i ${c} starts with its listing`);
    t.match(r.out, /\nArgs:\n/);
  }
  const bad = await scry(d, ['-i', 'no_such_chisel']);
  t.equal(bad.code, 1);
  t.equal(bad.err, 'chisel no_such_chisel not found - use -cl to list them.\n');
});

t.test('search path: ./chisels, ~/.chisels, scry\'s chisels, SCRY_CHISEL_PATH', async (t) => {
  const d = tmpdir(t);
  const extra = path.join(d, 'extra');
  fs.mkdirSync(extra);
  fs.writeFileSync(path.join(extra, 'hello.lua'), CHISEL('function on_init() print("from SCRY_CHISEL_PATH") return true end'));
  const cap = path.join(FIX, 'falco_cat_write.scap');
  let r = await scry(d, ['-r', cap, '-c', 'hello'], { SCRY_CHISEL_PATH: extra });
  t.equal(r.out, 'from SCRY_CHISEL_PATH\n');
  r = await scry(d, ['-r', cap, '-c', 'hello']);
  t.equal(r.code, 1);
  t.equal(r.err, "can't open file hello\n");
  fs.mkdirSync(path.join(d, '.chisels'));
  fs.writeFileSync(path.join(d, '.chisels', 'hello.lua'), CHISEL('function on_init() print("from ~/.chisels") return true end'));
  r = await scry(d, ['-r', cap, '-c', 'hello'], { SCRY_CHISEL_PATH: extra });
  t.equal(r.out, 'from ~/.chisels\n');
  fs.mkdirSync(path.join(d, 'chisels'));
  // ./chisels comes first, even before scry's own chisel of the same name.
  fs.writeFileSync(path.join(d, 'chisels', 'topscalls.lua'), CHISEL('function on_init() print("local topscalls") return true end'));
  r = await scry(d, ['-r', cap, '-c', 'topscalls']);
  t.equal(r.out, 'local topscalls\n');
  // A path is used as given; `require` finds helpers in the chisel directories.
  fs.writeFileSync(path.join(d, 'byname.lua'), CHISEL('require "common"\nfunction on_init() print(extend_string("x", 3) .. "|" .. format_bytes(2048)) return true end'));
  r = await scry(d, ['-r', cap, '-c', './byname.lua']);
  t.equal(r.out, 'x  |2.00KB\n');
  const list = await scry(d, ['-cl'], { SCRY_CHISEL_PATH: extra });
  t.match(list.out, /\nhello {11}test\n/);
});

t.test('a chisel named by a path finds its own modules and chisels beside it, after the search path', async (t) => {
  const d = tmpdir(t);
  const own = path.join(d, 'mine');
  fs.mkdirSync(own);
  fs.writeFileSync(path.join(own, 'my_helpers.lua'), 'local M = {}\nfunction M.greet() return "helper beside the chisel" end\nreturn M\n');
  fs.writeFileSync(path.join(own, 'greeter.lua'), CHISEL('local h = require "my_helpers"\nrequire "common"\n' +
    'function on_init() print(h.greet() .. " " .. format_bytes(2048)) return true end'));
  fs.writeFileSync(path.join(own, 'sibling.lua'), CHISEL('function on_init() print("sibling chisel") return true end'));
  fs.writeFileSync(path.join(own, 'execs.lua'), CHISEL('function on_init() chisel.exec("sibling") return true end'));
  // a common.lua of its own does not replace scry's (scry's directories come first)
  fs.writeFileSync(path.join(own, 'common.lua'), 'function format_bytes() return "theirs" end\n');
  const cap = path.join(FIX, 'falco_cat_write.scap');
  let r = await scry(d, ['-r', cap, '-c', path.join(own, 'greeter.lua')]);
  t.equal(r.err, '');
  t.equal(r.out, 'helper beside the chisel 2.00KB\n');
  r = await scry(d, ['-r', cap, '-c', path.join(own, 'execs.lua')]);
  t.equal(r.out, 'sibling chisel\n', 'chisel.exec finds a chisel beside it');
  r = await scry(d, ['-r', cap, '-c', 'sibling']);
  t.equal(r.err, "can't open file sibling\n", 'by name alone, only the search path counts');
});

t.test('arguments and the trailing filter are split as sysdig does', async (t) => {
  t.same(splitChiselArgs(" a 'b c' `d e`", 'x'), ['a', 'b c', 'd e']);
  t.same(splitChiselArgs('a  b', 'x'), ['a', '', 'b']);
  t.same(splitChiselArgs('', 'x'), []);
  t.throws(() => splitChiselArgs("'a", 'x'), { message: 'corrupted parameters for chisel x' });

  const s = scanArgv(['-r', 'f.scap', '-c', 'spy_port', '80', 'proc.name=x', '-cl', '--chisel=lsof', '-pc', '-ifoo', 'more']);
  t.same(s.steps, [
    { kind: 'chisel', name: 'spy_port', next: 4 },
    { kind: 'list' },
    { kind: 'chisel', name: 'lsof', next: 8 },
    { kind: 'info', name: 'foo' },
  ]);
  t.same(s.words, ['80', 'proc.name=x', 'more']);

  const d = tmpdir(t);
  fs.mkdirSync(path.join(d, 'chisels'));
  const body = 'function on_set_arg(n, v) print("arg", n, v) return true end\nfunction on_init() print("filter", sysdig.get_filter()) return true end';
  fs.writeFileSync(path.join(d, 'chisels', 'opt.lua'), CHISEL(body, 'args = {{name="a", argtype="string", description="", optional=true}, {name="b", argtype="string", description="", optional=true}}'));
  fs.writeFileSync(path.join(d, 'chisels', 'req.lua'), CHISEL(body, 'args = {{name="a", argtype="int", description=""}}'));
  fs.writeFileSync(path.join(d, 'chisels', 'flt.lua'), CHISEL(body, 'args = {{name="f", argtype="filter", description="", optional=true}}'));
  const cap = path.join(FIX, 'falco_cat_write.scap');
  // Only optional arguments: a word that starts a valid filter is the filter...
  let r = await scry(d, ['-r', cap, '-c', 'opt', 'proc.name=cat']);
  t.equal(r.out, 'filter\tproc.name=cat\n');
  // ...otherwise it holds the arguments.
  r = await scry(d, ['-r', cap, '-c', 'opt', 'x y', 'proc.name=cat']);
  t.equal(r.out, 'arg\ta\tx\narg\tb\ty\nfilter\tproc.name=cat\n');
  // Options after the chisel: nothing taken.
  r = await scry(d, ['-c', 'opt', '-r', cap]);
  t.equal(r.out, 'filter\t\n');
  // A required argument is always the next word.
  r = await scry(d, ['-r', cap, '-c', 'req', '5', 'evt.type=read']);
  t.equal(r.out, 'arg\ta\t5\nfilter\tevt.type=read\n');
  r = await scry(d, ['-r', cap, '-c', 'req']);
  t.equal(r.code, 1);
  t.equal(r.err, 'missing arguments for chisel req\n');
  r = await scry(d, ['-r', cap, '-c', 'req', '1 2']);
  t.equal(r.err, 'too many parameters for chisel req, 1 required, 0 optional, 2 given\n');
  // A single argument of type "filter" takes the word, filter or not.
  r = await scry(d, ['-r', cap, '-c', 'flt', 'proc.name=cat']);
  t.equal(r.out, 'arg\tf\tproc.name=cat\nfilter\t\n');
});

t.test('chisel errors: name, line and message; exit code 1', async (t) => {
  const d = tmpdir(t);
  fs.mkdirSync(path.join(d, 'chisels'));
  const cap = path.join(FIX, 'falco_cat_write.scap');
  fs.writeFileSync(path.join(d, 'chisels', 'syn.lua'), CHISEL('function on_init(\n  return true\nend'));
  let r = await scry(d, ['-r', cap, '-c', 'syn']);
  t.equal(r.code, 1);
  t.equal(r.err, `Failed to load chisel syn: [string "description = "test chisel"..."]:6: <name> or '...' expected near 'return'\n`);
  fs.writeFileSync(path.join(d, 'chisels', 'rt.lua'), CHISEL('local n = 0\nfunction on_event()\n  n = n + 1\n  if n == 2 then return nil + 1 end\n  return true\nend\nfunction on_capture_end() print("end", n) end'));
  r = await scry(d, ['-r', cap, '-c', 'rt']);
  t.equal(r.code, 1);
  t.match(r.err, /^rt chisel error: \[string "description = "test chisel"\.\.\."\]:8: attempt to perform arithmetic on a nil value\n$/);
  t.equal(r.out, 'end\t2\n', 'on_capture_end still runs');
  fs.writeFileSync(path.join(d, 'chisels', 'fld.lua'), CHISEL('function on_init() chisel.request_field("no.such") return true end'));
  r = await scry(d, ['-r', cap, '-c', 'fld']);
  t.equal(r.code, 1);
  t.equal(r.err, 'chisel requesting nonexistent field no.such\nfld: error in init(): C++ exception\n');
  fs.writeFileSync(path.join(d, 'chisels', 'badflt.lua'), CHISEL('function on_init() chisel.set_filter("(proc.name = x") return true end'));
  r = await scry(d, ['-r', cap, '-c', 'badflt']);
  t.equal(r.code, 1);
  t.match(r.err, /^invalid filter in chisel badflt: .*unexpected end of filter\nbadflt: error in init\(\): C\+\+ exception\n$/);
  fs.writeFileSync(path.join(d, 'chisels', 'early.lua'), CHISEL('function on_init() print(evt.get_num()) return true end'));
  r = await scry(d, ['-r', cap, '-c', 'early']);
  t.equal(r.err, 'invalid call to evt.get_num()\nearly: error in init(): C++ exception\n');
  fs.writeFileSync(path.join(d, 'chisels', 'noargs.lua'), 'description = "x"\nshort_description = "x"\n');
  r = await scry(d, ['-r', cap, '-c', 'noargs']);
  t.equal(r.err, 'Failed to load chisel noargs: args table missing\n');
  // a damaged or missing capture: the line a run without -c gives (file and offset), after the events before the damage
  const bad = path.join(FIX, 'damaged', 'curl_google_badblock.scap');
  r = await scry(d, ['-r', bad, '-c', 'topprocs_cpu']);
  t.equal(r.code, 1);
  t.equal(r.err, `scry: ${bad}: corrupt block header (type 0x204, length 7) at byte 87812\n`, 'damage: file and offset');
  t.match(r.out, /^CPU%.*\n-+\n\d/, 'damage: the table of the events read');
  r = await scry(d, ['-r', path.join(d, 'missing.scap'), '-c', 'topprocs_cpu']);
  t.equal(r.err, `scry: ${path.join(d, 'missing.scap')}: no such file\n`, 'a missing file: one line naming it');
});

t.test('numbers print as in sysdig\'s Lua', async (t) => {
  const cases: [number, string][] = [[1, '1'], [0.5, '0.5'], [1 / 3, '0.33333333333333'], [1e15, '1e+15'], [123456789012345, '1.2345678901235e+14'],
    [2 ** 63, '9.2233720368548e+18'], [1 / 0, 'inf'], [-1 / 0, '-inf'], [NaN, 'nan'], [-0, '-0'], [1.5e-7, '1.5e-07'], [1e14, '1e+14'], [99999999999999, '99999999999999']];
  for (const [n, s] of cases) t.equal(numberToString(n), s, String(n));
  t.equal(formatFloat(0.125, { flags: '', width: 0, prec: 2, conv: 'f' }), '0.13');
  t.equal(formatFloat(1e22, { flags: '', width: 0, prec: 1, conv: 'f' }), '10000000000000000000000.0');
  t.equal(formatFloat(0.0001234, { flags: '', width: 10, prec: 3, conv: 'g' }), '  0.000123');
  t.equal(formatInteger(-1, { flags: '', width: 0, prec: undefined, conv: 'x' }), 'ffffffffffffffff');
  t.equal(formatInteger(2 ** 63, { flags: '', width: 0, prec: undefined, conv: 'd' }), '-9223372036854775808');
  t.equal(formatInteger(7.9, { flags: '0', width: 4, prec: undefined, conv: 'd' }), '0007');
  t.equal(formatInteger(7, { flags: '-', width: 4, prec: 2, conv: 'd' }), '07  ');
});

// sysdig's logger writes only with -D ("MM-DD HH:MM:SS.micros message", every severity)
t.test('sysdig.log writes to stderr with -D only', async (t) => {
  const d = tmpdir(t);
  fs.mkdirSync(path.join(d, 'chisels'));
  const cap = path.join(FIX, 'falco_cat_write.scap');
  fs.writeFileSync(path.join(d, 'chisels', 'lg.lua'),
    CHISEL('function on_init() sysdig.log("one", "info") sysdig.log("two", "debug") sysdig.log("three\\0cut", "critical") return true end'));
  let r = await scry(d, ['-r', cap, '-c', 'lg']);
  t.equal(r.code, 0);
  t.equal(r.err, '', 'nothing without -D');
  r = await scry(d, ['-r', cap, '-D', '-c', 'lg']);
  t.equal(r.code, 0);
  t.match(r.err, /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} one\n\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} two\n\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} three\n$/);
});

t.test('-v: the capture\'s closing lines follow a chisel run, not one the chisel ended', {
  skip: fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js')) ? false : 'not built',
}, async (t) => {
  const { spawnSync } = await import('child_process');
  const run = (...a: string[]) => spawnSync(path.join(ROOT, 'bin', 'scry'), ['-v', '-r', path.join(FIX, 'falco_cat_write.scap'), ...a],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  const stats = (s: string) => s.replace(/Elapsed time: [0-9.]+, /, '').replace(/, [0-9.]+ eps/, '');
  // (sysdig 0.29.3: the same four lines, its elapsed time and rate aside)
  t.equal(stats(run('-c', 'topscalls').stderr), 'Driver Events:0\nDriver Drops:0\nSuppressed by Comm:0\nCaptured Events: 345\n');
  t.equal(stats(run('-n', '10', '-c', 'topscalls', 'evt.type!=read').stderr), 'Driver Events:0\nDriver Drops:0\nSuppressed by Comm:0\nCaptured Events: 10\n');
  t.equal(run('-c', 'lsof').stderr, '', 'lsof ends the capture at its first event: no lines');
});

t.test('sysdig\'s installed chisels are found by name, after ours', { skip: !fs.existsSync(SYSDIG_CHISELS) && 'sysdig is not installed' }, async (t) => {
  const d = tmpdir(t);
  const cap = path.join(FIX, 'falco_cat_write.scap');
  const flame = await scry(d, ['-r', cap, '-c', 'flame']);
  t.equal(flame.code, 0);
  t.match(flame.out, /^<!DOCTYPE html>/, 'flame (sysdig ships it, scry does not) runs by name');
  const view = await scry(d, ['-r', cap, '-c', 'v_procs']);
  t.same([view.code, view.err], [1, 'Failed to load chisel v_procs: args table missing\n'], 'a csysdig view fails as in sysdig');
  const l = await scry(d, ['-cl']);
  const names = l.out.split('\n').map((x) => x.split(' ')[0]).filter((x) => x && !x.startsWith('-') && x !== 'Category:' && x !== 'Use');
  t.same(new Set(names), new Set(OURS), '-cl: still ours (sysdig lists no other chisel either)');
});
