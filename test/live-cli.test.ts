// Live capture as a command (lib/live/main.ts, the entry `scry -w` uses):
// SIGINT/SIGTERM flush and close, SIGKILL leaves a readable file, -n is
// exact, rotation starts every file with the state, a missing privilege is
// one line. Plus the /proc state scan, which needs no root.
import t from 'tap';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ScapReader, CaptureError } from '../lib/sources/scap/reader';
import { FdRecord, FdType, ThreadRecord } from '../lib/event/records';
import { scanProcesses, openFlagsToScap } from '../lib/live/proc';
import { cannotCapture, readCapture, startBusyWorkload, sysdigAvailable } from './live/helpers';

const skip = cannotCapture();
const MAIN = path.join(__dirname, '..', 'lib', 'live', 'main.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-live-cli-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
// the captures below count events host-wide; this keeps them coming on a quiet machine
const busy = skip ? undefined : startBusyWorkload();
t.teardown(() => busy?.stop());

/** node flags to run TypeScript the way this test runs (without tap's process bookkeeping). */
const NODE_ARGS = process.execArgv.filter((a) => !a.includes('processinfo'));

/** Runs lib/live/main.ts in a child node. */
function spawnMain(args: string[], opts: child_process.SpawnOptions = {}): child_process.ChildProcess {
  return child_process.spawn(process.execPath, [...NODE_ARGS, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function collect(c: child_process.ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  c.stderr?.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => c.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Waits until the capture has written its header (the file grows past the state blocks). */
async function waitForHeader(file: string, min = 4096, ms = 60000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if (fs.statSync(file).size > min) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('capture did not start');
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  t.test(`${sig} flushes and closes the file`, { skip }, async (t) => {
    const out = path.join(tmp, `${sig}.scap`);
    const c = spawnMain(['-w', out, '-M', '120']);
    const done = collect(c);
    await waitForHeader(out);
    await new Promise((r) => setTimeout(r, 500));
    c.kill(sig);
    const r = await done;
    t.equal(r.code, 0, `exits 0 on ${sig}`);
    const cap = await readCapture(out);
    t.ok(cap.events.length > 0, 'events were written');
    t.ok(cap.threads.length > 0, 'state was written');
    t.ok(cap.drops && cap.drops.length === os.cpus().length, 'drop counters recorded');
    if (sysdigAvailable()) {
      const s = child_process.spawnSync('sysdig', ['-r', out], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      t.equal(s.status, 0, 'sysdig reads it: ' + s.stderr.trim());
    }
  });
}

t.test('SIGKILL leaves a file readable up to its last block', { skip }, async (t) => {
  const out = path.join(tmp, 'killed.scap');
  const c = spawnMain(['-w', out, '-M', '120']);
  const done = collect(c);
  await waitForHeader(out);
  await new Promise((r) => setTimeout(r, 800));
  c.kill('SIGKILL');
  await done;
  let events = 0;
  let error: CaptureError | undefined;
  try {
    await new ScapReader(out, {}, () => { events++; }).read();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
  }
  t.ok(events > 0, `${events} events readable`);
  if (error) t.match(error.reason, /truncated/, 'only a truncated last block');
});

t.test('-n stops after exactly n events', { skip }, async (t) => {
  const out = path.join(tmp, 'n.scap');
  const r = await collect(spawnMain(['-w', out, '-n', '1234']));
  t.equal(r.code, 0);
  const cap = await readCapture(out);
  t.equal(cap.events.length, 1234, 'event count');
});

t.test('-e rotates: every file starts with the state, -W bounds the count', { skip }, async (t) => {
  const base = path.join(tmp, 'rot.scap');
  const r = await collect(spawnMain(['-w', base, '-e', '3000', '-W', '3', '-n', '10000']));
  t.equal(r.code, 0, r.stderr);
  const files = fs.readdirSync(tmp).filter((f) => f.startsWith('rot.scap')).sort();
  t.same(files, ['rot.scap0', 'rot.scap1', 'rot.scap2'], 'three files, names reused round-robin');
  let total = 0;
  for (const f of files) {
    const cap = await readCapture(path.join(tmp, f));
    t.ok(cap.threads.length > 0, `${f} starts with the process table`);
    t.ok(cap.events.length > 0 && cap.events.length <= 3000, `${f} holds at most 3000 events`);
    total += cap.events.length;
  }
  // the 4th file replaced the 1st: 10000 = 3000 (lost) + 3000 + 3000 + 1000
  t.equal(total, 7000, 'events of the kept files');
});

t.test('-C with -W: files named as sysdig names them (index padded to -W\'s digits)', { skip }, async (t) => {
  const base = path.join(tmp, 'size.scap');
  // a busy host writes 1 MB in well under a second; -n bounds the run
  const r = await collect(spawnMain(['-w', base, '-C', '1', '-W', '12', '-n', '40000']));
  t.equal(r.code, 0, r.stderr);
  const files = fs.readdirSync(tmp).filter((f) => f.startsWith('size.scap')).sort();
  t.ok(files.length >= 2, `${files.length} files`);
  t.same(files, files.map((_, i) => `size.scap${String(i).padStart(2, '0')}`), 'size.scap00, size.scap01, ...');
  for (const f of files.slice(0, -1)) {
    const n = fs.statSync(path.join(tmp, f)).size;
    t.ok(n > 1000000 && n < 1500000, `${f}: cut past 1,000,000 bytes (${n})`);
  }
});

// the compiled entry (npm test builds it first): tap's TypeScript hooks need a writable .tap
const BUILT_MAIN = path.join(__dirname, '..', 'dist', 'lib', 'live', 'main.js');
t.test('without privileges: one line saying what is missing', {
  skip: skip ?? (!fs.existsSync('/usr/bin/setpriv') ? 'no setpriv' : !fs.existsSync(BUILT_MAIN) ? 'not built (npm run build)' : false),
}, async (t) => {
  const out = path.join(tmp, 'nobody.scap');
  const r = await collect(child_process.spawn('/usr/bin/env', ['-i', 'PATH=/usr/bin:/bin', 'setpriv', '--reuid=65534', '--regid=65534',
    '--clear-groups', '--inh-caps=-all', process.execPath, BUILT_MAIN, '-w', out], { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp }));
  t.equal(r.code, 1, 'exit status 1');
  const lines = r.stderr.trim().split('\n');
  t.equal(lines.length, 1, 'one line: ' + r.stderr.trim());
  t.match(lines[0], /root|CAP_BPF/, 'names the missing privilege');
});

t.test('/proc scan: this process, its threads and fds with socket tuples', async (t) => {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const port = (srv.address() as net.AddressInfo).port;
  const cli = net.connect(port, '127.0.0.1');
  await new Promise((r) => cli.once('connect', r));
  const file = path.join(tmp, 'open-me.txt');
  const fd = fs.openSync(file, 'w');
  const threads: ThreadRecord[] = [];
  const fds: FdRecord[] = [];
  for (const rec of scanProcesses({ pids: [process.pid] })) {
    if (rec.kind === 'thread') threads.push(rec.thread);
    if (rec.kind === 'fd') fds.push(rec.fd);
  }
  fs.closeSync(fd);
  cli.destroy();
  srv.close();
  const main = threads.find((th) => th.tid === process.pid)!;
  t.ok(main, 'main thread');
  t.equal(main.pid, process.pid);
  t.equal(main.ptid, process.ppid, 'parent');
  t.equal(main.exepath, fs.readlinkSync('/proc/self/exe'), 'exe path');
  t.equal(main.cwd, process.cwd(), 'cwd');
  t.ok(main.args.length > 0, 'args');
  t.ok(threads.length > 1 && threads.every((th) => th.pid === process.pid), 'worker threads of the process');
  t.ok(main.cgroups.length > 0 && main.cgroups.every((c) => c.includes('=')), 'cgroups as subsys=path');
  const f = fds.find((x) => x.name === file);
  t.equal(f?.type, FdType.FILE_V2, 'the open file');
  t.equal((f?.openFlags ?? 0) & 3, 2, 'opened for writing (PPM_O_WRONLY)');
  const listen = fds.find((x) => x.type === FdType.IPV4_SERVSOCK && x.sport === port);
  t.ok(listen, 'listening socket with its port');
  const conn = fds.find((x) => x.type === FdType.IPV4_SOCK && x.dport === port);
  t.ok(conn, 'connected socket');
  t.same(conn?.sip && [...conn.sip], [127, 0, 0, 1], 'source address bytes');
  t.end();
});

t.test('open flags as the schema encodes them', (t) => {
  t.equal(openFlagsToScap(0), 1, 'O_RDONLY');
  t.equal(openFlagsToScap(0o1 | 0o100 | 0o1000), (1 << 1) | (1 << 2) | (1 << 8), 'O_WRONLY|O_CREAT|O_TRUNC');
  t.equal(openFlagsToScap(0o2 | 0o2000000), 3 | (1 << 12), 'O_RDWR|O_CLOEXEC');
  t.end();
});

// sysdig refuses -P for a live capture (its words, status 1; -S's table still
// printed, a chisel's on_init run first). No capture starts, so no privilege is needed.
t.test('-P with a live capture is refused as sysdig refuses it', { skip: fs.existsSync(path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js')) ? false : 'not built' }, async (t) => {
  const bin = path.join(__dirname, '..', 'bin', 'scry');
  const run = (args: string[]) => child_process.spawnSync(bin, args, { encoding: 'utf8', timeout: 60000 });
  const line = 'the -P flag cannot be used with live captures.\n';
  for (const args of [['-P'], ['-P', '-w', path.join(tmp, 'never.scap')], ['-P', '-c', 'topprocs_file']]) {
    const r = run(args);
    t.equal(r.status, 1, `${args.join(' ')}: status 1`);
    t.equal(r.stderr, line, `${args.join(' ')}: sysdig's line`);
    t.equal(r.stdout, '', `${args.join(' ')}: nothing printed`);
  }
  t.notOk(fs.existsSync(path.join(tmp, 'never.scap')), 'no file written');
  const s = run(['-S', '-P']);
  t.equal(s.stdout, '----------------------\nEvent           #Calls\n----------------------\n', "-S: the table's header");
});

// -S live, as sysdig: the table counts the events the capture filter lets
// through, whether they are printed or written; it matches the table of the
// written file read back.
t.test('-S with a live capture: the table of what was captured', { skip }, async (t) => {
  const bin = path.join(__dirname, '..', 'bin', 'scry');
  const run = (args: string[]) => child_process.spawnSync(bin, args, { encoding: 'utf8', timeout: 120000, cwd: tmp });
  const work = ['--', 'sh', '-c', 'cat /etc/hostname /etc/hostname >/dev/null'];
  const header = '----------------------\nEvent           #Calls\n----------------------\n';
  for (const filter of [[], ['evt.type=openat']]) {
    const out = path.join(tmp, `summary${filter.length}.scap`);
    const w = run(['-w', out, '-S', ...filter, ...work]);
    t.equal(w.status, 0, w.stderr);
    t.ok(w.stdout.startsWith(header), `-w ${filter.join(' ')}: the table`);
    const back = run(['-r', out, '-q', '-S', ...filter]);
    // the same multiset of rows (rows with equal counts come in either order)
    const rows = (s: string) => s.slice(header.length).split('\n').filter(Boolean).sort();
    t.same(rows(w.stdout), rows(back.stdout), `-w ${filter.join(' ')}: the file's own table`);
    t.ok(rows(w.stdout).some((l) => /^< openat +\d+$/.test(l)), 'openat counted');
    if (filter.length) t.ok(rows(w.stdout).every((l) => /openat/.test(l)), 'only what the filter passed');
  }
  const p = run(['-q', '-S', 'evt.type=openat', ...work]);
  t.equal(p.status, 0, p.stderr);
  t.match(p.stdout, /^-{22}\nEvent {11}#Calls\n-{22}\n(?:[<>] openat +\d+\n){2}$/, 'printing (-q): the table');
});
