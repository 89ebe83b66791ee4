// Output into a pipe whose reader stops reading for a while (a pager, a
// terminal, a busy consumer): scry waits for it without burning a core, and
// then writes everything. Measured as the CPU time scry's process uses while
// the reader is stopped (from /proc), which is near zero when it blocks and
// about the whole pause when it retries writes in a loop.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'scry');
const built = fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
const PAUSE_MS = 1500;
/** CPU seconds a blocked writer may use during the pause (a spinning one uses about PAUSE_MS). */
const MAX_CPU_S = 0.4;

const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// a chisel that prints a line for every event (chisel output has its own writer)
const CHISEL = `description = "a line per event"; short_description = "lines"; category = "test"; args = {}
function on_init() num = chisel.request_field("evt.num"); name = chisel.request_field("proc.name"); return true end
function on_event() print(evt.field(num) .. " " .. tostring(evt.field(name)) .. " " .. string.rep("-", 40)) return true end
`;
const chiselDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-pipe-'));
fs.writeFileSync(path.join(chiselDir, 'lines.lua'), CHISEL);
t.teardown(() => fs.rmSync(chiselDir, { recursive: true, force: true }));

const CASES: [string, string[]][] = [
  ['gzip capture', ['-r', path.join(ROOT, 'fixtures', 'modern_head.scap')]],
  ['plain capture', ['-r', path.join(ROOT, 'fixtures', 'scry_live_syscalls.scap')]],
  ['chisel', ['-r', path.join(ROOT, 'fixtures', 'modern_head.scap'), '-c', path.join(chiselDir, 'lines.lua')]],
];

t.test('a stopped reader: scry blocks, then writes everything', { skip: built ? false : 'not built' }, async (t) => {
  for (const [name, args] of CASES) {
    const want = spawnSync(BIN, [...args], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 }).stdout;
    if (!t.ok(want.length > 1 << 20, `${name}: prints enough to fill a pipe (${want.length} bytes)`)) continue;
    const child = spawn(BIN, [...args], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const parts: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => parts.push(b));
    await new Promise((r) => child.stdout.once('data', r));
    child.stdout.pause();
    await sleep(200); // the pipe fills
    const before = cpuSeconds(child.pid!);
    await sleep(PAUSE_MS);
    const used = cpuSeconds(child.pid!) - before;
    child.stdout.resume();
    const code = await new Promise((r) => child.on('close', r));
    t.ok(used < MAX_CPU_S, `${name}: ${used.toFixed(2)} s of CPU while the reader was stopped for ${PAUSE_MS / 1000} s`);
    t.equal(code, 0, `${name}: exit code`);
    t.ok(Buffer.concat(parts).equals(want), `${name}: all output arrives`);
  }
});

// A pipe that another program made non-blocking (the flag belongs to the
// pipe, shared by every process writing to it): writes fail with EAGAIN while
// it is full, and scry has to wait rather than retry at once.
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
const NONBLOCKING = String.raw`
import fcntl, json, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
def cpu():
    f = open('/proc/%d/stat' % p.pid).read()
    f = f[f.rindex(')') + 2:].split()
    return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')
first = os.read(r, 1 << 16)
time.sleep(0.2)
before = cpu()
time.sleep(float(os.environ['PAUSE']))
used = cpu() - before
n = len(first)
while True:
    b = os.read(r, 1 << 16)
    if not b: break
    n += len(b)
print(json.dumps({'cpu': used, 'bytes': n, 'code': p.wait()}))
`;

t.test('a non-blocking pipe: scry waits instead of retrying', { skip: !built ? 'not built' : hasPython ? false : 'python3 is not installed' }, async (t) => {
  const args = ['-r', path.join(ROOT, 'fixtures', 'scry_live_syscalls.scap')];
  const want = spawnSync(BIN, [...args], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 }).stdout;
  const r = spawnSync('python3', ['-c', NONBLOCKING, BIN, ...args],
    { env: { ...process.env, TZ: 'UTC', PAUSE: String(PAUSE_MS / 1000) }, encoding: 'utf8' });
  const got = JSON.parse(r.stdout) as { cpu: number; bytes: number; code: number };
  t.ok(got.cpu < MAX_CPU_S, `${got.cpu.toFixed(2)} s of CPU while the reader was stopped for ${PAUSE_MS / 1000} s`);
  t.equal(got.code, 0, 'exit code');
  t.equal(got.bytes, want.length, 'all output arrives');
});
