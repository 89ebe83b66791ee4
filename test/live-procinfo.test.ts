// CPU samples of live captures (lib/live/procinfo.ts): sysdig's once-a-second
// rule, on a made-up task list; then a real capture of a busy command, whose
// procinfo events give thread.cpu and topprocs_cpu's figures, and read the
// same in sysdig 0.29.3 when it is installed.
import t from 'tap';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseStat, ProcInfoSampler, readTaskTimes, TaskTimes } from '../lib/live/procinfo';
import { cannotCapture, sysdigAvailable } from './live/helpers';

const S = 1000000000n;

/** ts, tid, utime, stime of a procinfo record. */
function decode(rec: Buffer): [bigint, number, number, number] {
  t.equal(rec.readUInt16LE(20), 234, 'procinfo event type');
  t.equal(rec.readUInt32LE(22), 2, 'two parameters');
  return [rec.readBigUInt64LE(0), Number(rec.readBigInt64LE(8)), Number(rec.readBigUInt64LE(30)), Number(rec.readBigUInt64LE(38))];
}

t.test('parseStat: ppid, utime, stime after the name, whatever the name holds', async (t) => {
  const line = '4242 (a (b) c) R 17 4242 1 0 -1 4194304 86 0 0 0 637 12 0 0 20 0 1 0 2552769 2654208 400';
  t.same(parseStat(line), { ppid: 17, utime: 637, stime: 12 });
  t.equal(parseStat('garbage'), undefined);
});

t.test('once a second, by the events\' clock, as sysdig samples', async (t) => {
  let tasks: TaskTimes[] = [
    { tid: 1, tgid: 1, ppid: 0, utime: 5, stime: 7 },
    { tid: 50, tgid: 50, ppid: 1, utime: 0, stime: 0 },      // never ran: left out
    { tid: 60, tgid: 60, ppid: 1, utime: 3, stime: 0 },      // scry itself: left out
    { tid: 70, tgid: 70, ppid: 1, utime: 9, stime: 1 },
    { tid: 71, tgid: 70, ppid: 1, utime: 2, stime: 0 },      // a thread of 70
  ];
  let now = 0;
  const s = new ProcInfoSampler({ ownTgid: 60, read: () => tasks, now: () => now });
  const t0 = 1700000000n * S + 250000000n;
  t.ok(s.due(t0));
  t.same(s.take(t0), [], 'the first event only sets the next second');
  t.notOk(s.due(t0 + 500000000n), 'within the second: not due');
  t.notOk(s.due(1700000001n * S), 'the whole second itself: not due');
  now = 1000;
  const at = 1700000001n * S + 10n;
  t.ok(s.due(at));
  const recs = s.take(at).map(decode);
  t.same(recs, [
    [1700000001n * S - 1n, 1, 5, 7],
    [1700000001n * S - 1n, 70, 9, 1],
    [1700000001n * S - 1n, 71, 2, 0],
  ], 'stamped 1 ns before the trigger\'s second; tasks without CPU time and scry left out');
  t.notOk(s.due(at + 1n), 'the next second is the next one');
  // the wall clock guard: the next second's trigger comes too soon after this one
  now = 1300;
  t.same(s.take(1700000002n * S + 5n), [], 'less than half a second since the last sample: none');
  now = 2400;
  tasks = tasks.map((x) => ({ ...x, utime: x.utime + 1 }));
  t.equal(s.take(1700000003n * S + 5n).length, 4, 'then again (task 50 has run now)');
});

t.test('capturing one command: only its process tree, read from /proc', async (t) => {
  // a made-up /proc: process 1, the command 100, its child 101 (two threads),
  // its grandchild 102, and 200 elsewhere
  const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-fakeproc-'));
  t.teardown(() => fs.rmSync(proc, { recursive: true, force: true }));
  const stat = (tid: number, ppid: number): string => `${tid} (x) S ${ppid} ${tid} 1 0 -1 4194304 86 0 0 0 ${tid} 1 0 0 20 0 1 0 2552769 2654208 400\n`;
  const tasks: [number, number, number][] = [[1, 1, 0], [100, 100, 1], [101, 101, 100], [103, 101, 100], [102, 102, 101], [200, 200, 1]];
  for (const [tid, tgid, ppid] of tasks) {
    fs.mkdirSync(path.join(proc, `${tgid}`, 'task', `${tid}`), { recursive: true });
    fs.writeFileSync(path.join(proc, `${tgid}`, 'task', `${tid}`, 'stat'), stat(tid, ppid));
    if (tid === tgid) fs.writeFileSync(path.join(proc, `${tgid}`, 'stat'), stat(tid, ppid));
  }
  fs.mkdirSync(path.join(proc, 'self'));
  const tids = (l: TaskTimes[]): number[] => l.map((x) => x.tid);
  t.same(tids(readTaskTimes(proc)), [1, 100, 101, 103, 102, 200], 'every task, process by process');
  t.same(tids(readTaskTimes(proc, 100)), [100, 101, 103, 102], 'the command\'s tree');
  t.same(readTaskTimes(proc, 101).find((x) => x.tid === 103), { tid: 103, tgid: 101, ppid: 100, utime: 103, stime: 1 });
  // the sampler asks for the tree
  let asked: number | undefined;
  let now = 0;
  const s = new ProcInfoSampler({ ownTgid: 60, root: 100, read: (root) => { asked = root; return readTaskTimes(proc, root); }, now: () => (now += 1000) });
  s.take(10n * S + 1n);
  t.same(s.take(11n * S + 1n).map((r) => decode(r)[1]), [100, 101, 103, 102]);
  t.equal(asked, 100);
});

// ---- live ----

const skip = cannotCapture();
const SCRY = path.join(__dirname, '..', 'bin', 'scry');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-procinfo-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

t.test('a live capture of a busy command: procinfo events, thread.cpu, topprocs_cpu', { skip }, async (t) => {
  const out = path.join(tmp, 'busy.scap');
  // 3.5 s of a busy shell loop (timeout ends it: status 124): samples a second apart
  const w = child_process.spawnSync(SCRY, ['-w', out, '--', 'timeout', '3.5', 'sh', '-c', 'while :; do :; done'],
    { encoding: 'utf8', timeout: 120000 });
  t.equal(w.status, 124, w.stderr);
  const fmt = '*%evt.num %evt.rawtime %thread.tid %proc.name %evt.arg.cpu_usr %evt.arg.cpu_sys %thread.cpu';
  const r = child_process.spawnSync(SCRY, ['-r', out, '-D', '-p', fmt, 'evt.type=procinfo'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' '));
  t.ok(rows.length >= 2, `procinfo events (${rows.length})`);
  for (const row of rows) t.equal(BigInt(row[1]) % S, S - 1n, `event ${row[0]}: stamped 1 ns before a whole second`);
  const names = new Set(rows.map((row) => row[3]));
  t.ok([...names].every((n) => n === 'sh' || n === 'timeout'), `only the command's tree (${[...names].join(', ')})`);
  // the loop's shell: busy from one sample to the next
  const shell = rows.filter((row) => row[3] === 'sh');
  t.ok(shell.length >= 2, 'the shell sampled more than once');
  const busiest = Math.max(...shell.slice(1).map((row) => Number(row[6])));
  t.ok(busiest >= 20, `thread.cpu of the busy shell: ${busiest}%`);
  // the file is in time order: procinfo events come before the first event of their second
  const all = child_process.spawnSync(SCRY, ['-r', out, '-D', '-p', '*%evt.rawtime'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.trim().split('\n').map(BigInt);
  t.ok(all.every((ts, i) => i === 0 || ts >= all[i - 1]), 'event times never go back');

  const top = child_process.spawnSync(SCRY, ['-r', out, '-c', 'topprocs_cpu'], { encoding: 'utf8' });
  t.equal(top.status, 0, top.stderr);
  t.match(top.stdout, /^\d+\.\d\d% +sh +\d+/m, 'topprocs_cpu lists the shell');

  if (sysdigAvailable()) {
    // sysdig reads the same samples and the same CPU figures
    const s = child_process.spawnSync('sysdig', ['-r', out, '-D', '-p', fmt, 'evt.type=procinfo'], { encoding: 'utf8', cwd: tmp });
    t.equal(s.stdout, r.stdout, 'sysdig 0.29.3: the same procinfo lines');
  }
});

t.test('context switches and signal deliveries, as sysdig\'s drivers record them', { skip }, async (t) => {
  const out = path.join(tmp, 'sched.scap');
  // USR1 (sysdig names no sender for it), then TERM sent by the shell to itself (a sender: the shell)
  const w = child_process.spawnSync(SCRY, ['-w', out, '--', 'sh', '-c', 'trap : USR1 TERM; kill -USR1 $$; kill -TERM $$; sleep 0.2; echo $$'],
    { encoding: 'utf8', timeout: 120000 });
  t.equal(w.status, 0, w.stderr);
  const shPid = Number(w.stdout.trim().split('\n').pop());
  const fmt = '*%evt.num %thread.tid %evt.type %evt.args';
  const r = child_process.spawnSync(SCRY, ['-r', out, '-p', fmt, 'evt.type in (switch, signaldeliver)'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter(Boolean);
  const sig = lines.filter((l) => / signaldeliver /.test(l));
  t.ok(sig.some((l) => new RegExp(`^\\d+ ${shPid} signaldeliver spid=0 dpid=${shPid}\\(sh\\) sig=10\\(SIGUSR1\\) $`).test(l)), 'SIGUSR1 to the shell, no sender named');
  t.ok(sig.some((l) => new RegExp(`^\\d+ ${shPid} signaldeliver spid=${shPid}\\(sh\\) dpid=${shPid}\\(sh\\) sig=15\\(SIGTERM\\) $`).test(l)), 'SIGTERM from the shell itself');
  const sw = lines.filter((l) => / switch /.test(l));
  t.ok(sw.length > 0, `context switches (${sw.length})`);
  t.ok(sw.every((l) => /switch next=\d+(\([^)]*\))? pgft_maj=\d+ pgft_min=\d+ vm_size=\d+ vm_rss=\d+ vm_swap=\d+ $/.test(l)), 'switch parameters');
  t.ok(sw.some((l) => / vm_size=[1-9]/.test(l)), 'memory of the task leaving the CPU');
  if (sysdigAvailable()) {
    const s = child_process.spawnSync('sysdig', ['-r', out, '-p', fmt, 'evt.type in (switch, signaldeliver)'], { encoding: 'utf8', cwd: tmp });
    t.equal(s.stdout, r.stdout, 'sysdig 0.29.3 prints the same lines');
  }
});

t.test('--page-faults: page_fault events, only when asked for', { skip }, async (t) => {
  const fmt = '*%evt.num %thread.tid %evt.type %evt.args';
  const count = (file: string) => child_process.spawnSync(SCRY, ['-r', file, '-p', fmt, 'evt.type=page_fault'], { encoding: 'utf8' }).stdout;
  const withPf = path.join(tmp, 'pf.scap'), without = path.join(tmp, 'nopf.scap');
  for (const [file, extra] of [[withPf, ['--page-faults']], [without, []]] as const) {
    const w = child_process.spawnSync(SCRY, [...extra, '-w', file, '--', 'sh', '-c', 'ls / >/dev/null'], { encoding: 'utf8', timeout: 120000 });
    t.equal(w.status, 0, w.stderr);
  }
  t.equal(count(without), '', 'none without --page-faults');
  const lines = count(withPf).split('\n').filter(Boolean);
  t.ok(lines.length > 10, `page faults of the command (${lines.length})`);
  const flags = /error=\d+\((PAGE_NOT_PRESENT|PROTECTION_VIOLATION)\|(READ|WRITE)_ACCESS\|(USER|SUPERVISOR)_FAULT(\|RESERVED_PAGE)?(\|INSTRUCTION_FETCH)?\) $/;
  t.ok(lines.every((l) => / page_fault addr=[0-9A-F]+ ip=[0-9A-F]+ /.test(l) && flags.test(l)), 'address, instruction and error flags');
  t.ok(lines.some((l) => /USER_FAULT/.test(l)), 'faults in user mode');
  if (sysdigAvailable()) {
    const s = child_process.spawnSync('sysdig', ['-r', withPf, '-p', fmt, 'evt.type=page_fault'], { encoding: 'utf8', cwd: tmp });
    t.equal(s.stdout, count(withPf), 'sysdig 0.29.3 prints the same lines');
  }
});
