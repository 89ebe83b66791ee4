// Breadth of the probe: a workload making one call of many syscalls, captured
// with `-- cmd` into .scry (the current schema's events) and into .scap
// (sysdig-0.29.3-compatible events), each call found with its parameters.
import t from 'tap';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCapture } from '../lib/live/capture';
import { ScapReader } from '../lib/sources/scap/reader';
import { cannotCapture, Capture, exits, python, readCapture, sysdigAvailable } from './live/helpers';

const skip = cannotCapture();
const WORKLOAD = path.join(__dirname, 'live', 'coverage.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-cov-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(ext: string, marker: string): Promise<{ c: Capture; file: string; pid: number }> {
  const file = path.join(tmp, 'cov' + ext);
  const cap = await startCapture({ output: file, command: [python(), WORKLOAD, tmp, marker], handleSignals: false });
  const res = await cap.done;
  if (res.commandExit !== 0) throw new Error('workload failed: ' + res.commandExit);
  return { c: await readCapture(file), file, pid: cap.commandPid! };
}

const str = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v));

t.test('.scry: the current schema', { skip }, async (t) => {
  const m = 'cv' + process.pid + 's';
  const { c, pid } = await run('.scry', m);
  const p = (n: string) => path.join(tmp, m + '-' + n);
  const one = (name: string, pred: (params: Record<string, unknown>) => boolean) =>
    exits(c, name).find((e) => pred(e.params));

  t.ok(one('pwrite', (q) => str(q.data) === 'pw-' + m && q.pos === 100), 'pwrite data and position');
  t.ok(one('pread', (q) => str(q.data) === 'pw-' + m && q.pos === 100 && q.size === 64), 'pread data, size, position');
  t.ok(one('writev', (q) => str(q.data) === `wv1-${m}-wv2` && q.size === 8 + m.length), 'writev gathers its buffers');
  t.ok(one('readv', (q) => str(q.data).startsWith(`wv1-${m}-wv2`) && q.size === 64), 'readv data and total size');
  const dup2 = one('dup2', (q) => q.newfd === 40);
  t.ok(dup2 && dup2.params.res === 40, 'dup2 oldfd/newfd');
  t.ok(one('dup3', (q) => q.newfd === 41 && q.flags === 1 << 12), 'dup3 with O_CLOEXEC');
  t.ok(one('creat', (q) => q.name === p('creat') && q.mode === 0o644 && (q.fd as number) >= 0), 'creat');
  t.ok(one('chmod', (q) => q.filename === p('creat') && q.mode === 0o600), 'chmod');
  t.ok(one('fchmod', (q) => q.mode === 0o640), 'fchmod');
  t.ok(one('chown', (q) => q.path === p('creat') && q.uid === 0 && q.gid === 0), 'chown');
  t.ok(one('lchown', (q) => q.path === p('creat')), 'lchown');
  t.ok(one('fchown', (q) => q.res === 0), 'fchown');
  t.ok(one('mkdir', (q) => q.path === p('dir') && q.mode === 0o755) || one('mkdirat', (q) => q.path === p('dir')), 'mkdir');
  t.ok(one('rmdir', (q) => q.path === p('dir')) || one('unlinkat', (q) => q.name === p('dir')), 'rmdir');
  t.ok(one('chdir', (q) => q.path === p('dir')), 'chdir');
  t.ok(one('fchdir', (q) => q.res === 0), 'fchdir');
  t.ok(one('link', (q) => q.oldpath === p('creat') && q.newpath === p('hard')) || one('linkat', (q) => q.newpath === p('hard')), 'link');
  t.ok(one('symlink', (q) => q.target === p('creat') && q.linkpath === p('sym')) || one('symlinkat', (q) => q.linkpath === p('sym')), 'symlink');
  t.ok(one('pipe2', (q) => q.flags === ((1 << 12) | (1 << 6)) && (q.ino as number) > 0), 'pipe2 flags and inode');
  t.ok(one('memfd_create', (q) => q.name === 'memfd-' + m && q.flags === 1), 'memfd_create name and MFD_CLOEXEC');
  t.ok(one('fcntl', (q) => q.cmd === 3), 'fcntl F_SETFD');
  t.ok(one('openat', (q) => q.name === p('nope') && q.fd === -2), 'failed openat');
  const sp = one('socketpair', (q) => q.res === 0);
  t.ok(sp && (sp.params.source as number) !== 0 && sp.params.domain === 1, 'socketpair: kernel pointers, AF_UNIX');
  t.ok(one('sendmsg', (q) => str(q.data) === 'msg-' + m), 'sendmsg data');
  t.ok(one('recvmsg', (q) => str(q.data) === 'msg-' + m && q.size === 4 + m.length), 'recvmsg data');
  t.ok(one('shutdown', (q) => q.how === 1), 'shutdown SHUT_WR');
  t.ok(one('setsockopt', (q) => q.level === 1 && q.optname === 2 && q.optlen === 4), 'setsockopt SO_REUSEADDR');
  t.ok(one('getsockopt', (q) => q.level === 1 && q.optname === 8), 'getsockopt SO_RCVBUF');
  const rf = one('recvfrom', (q) => str(q.data) === 'udp-' + m);
  t.ok(rf && (rf.params.tuple as { sip: string }).sip === '127.0.0.1', 'UDP recvfrom with the sender in the tuple');
  t.ok(one('sendto', (q) => str(q.data) === 'udp-' + m && (q.tuple as { dip: string }).dip === '127.0.0.1'), 'unconnected UDP sendto: destination from the address argument');
  t.ok(one('setuid', (q) => q.uid === 0 && q.res === 0), 'setuid');
  t.ok(one('setresgid', (q) => q.rgid === 0 && q.sgid === 0), 'setresgid');
  t.ok(one('prctl', (q) => q.option === 15 && q.arg2_str === 'prname'), 'prctl PR_SET_NAME');
  t.ok(one('kill', (q) => q.pid === pid && q.sig === 0), 'kill');
  t.ok(one('tgkill', (q) => q.pid === pid && q.tid === pid), 'tgkill');
  t.ok(one('unshare', (q) => q.flags === 1 << 7 && q.res === 0), 'unshare CLONE_NEWUTS');
  t.ok(one('chroot', (q) => q.path === '/' && q.res === 0), 'chroot');
  t.ok(one('ptrace', (q) => q.request === 20 && q.res === -3), 'ptrace SEIZE of a missing pid: ESRCH');
  t.ok(one('seccomp', (q) => q.op === 2), 'seccomp');
  const trunc = c.events.filter((e) => e.name === 'syscall' && !e.enter && e.params.nativeID === 76);
  t.ok(trunc.length >= 1, 'truncate as a generic event with its native number');
  t.ok(trunc.some((e) => e.params.res === 0), 'generic exit with its return value');
  const gp = c.events.filter((e) => e.name === 'syscall' && !e.enter && e.params.nativeID === 39 && e.tid === pid);
  t.ok(gp.length >= 1 && gp.every((e) => e.params.res === pid), 'getpid returns the pid');
  const ft = c.events.find((e) => e.name === 'syscall' && e.params.nativeID === 77);
  t.ok(ft && (ft.params.ID as number) > 0, 'ftruncate generic event names its syscall code');
});

t.test('.scap: what sysdig 0.29.3 reads', { skip }, async (t) => {
  const m = 'cv' + process.pid + 'c';
  const { c, file } = await run('.scap', m);
  t.ok(exits(c, 'dup').some((e) => e.params.res === 40), 'dup2 as DUP');
  t.ok(exits(c, 'pipe').some((e) => (e.params.ino as number) > 0 && e.type === 61), 'pipe2 as PIPE');
  t.notOk(c.events.some((e) => e.name === 'syscall' && (e.params.ID as number) >= 329), 'no generic code past sysdig 0.29.3 table');
  // every event in 0.29.3's shape: ids it knows, no more parameters than it knows
  const shapes = new Map<string, number>();
  await new ScapReader(file, {}, (ev) => {
    const known = ev.info.sysdigParams;
    if (known === undefined || ev.nparams > known) shapes.set(ev.info.name + '/' + ev.type, ev.nparams);
  }).read();
  t.same([...shapes], [], 'no event that sysdig 0.29.3 reads differently from scry');
  if (sysdigAvailable()) {
    const r = child_process.spawnSync('sysdig', ['-r', file], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
    t.equal(r.status, 0, 'sysdig reads it');
    t.match(r.stdout, /< dup res=40/, 'sysdig shows dup2');
    t.match(r.stdout, new RegExp(`< mount res=0 dev=\\S+-mnt-a dir=\\S+-mnt-b type=\\(NULL\\) \n`), 'a NULL string parameter as sysdig\'s module writes it');
    t.match(r.stdout, new RegExp(`< recvmsg res=\\d+ size=\\d+ data=msg-${m}`), 'sysdig shows recvmsg data');
    const s = child_process.spawnSync(path.join(__dirname, '..', 'bin', 'scry'), ['-r', file],
      { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
    const a = r.stdout.split('\n'), b = s.stdout.split('\n');
    const i = a.findIndex((l, k) => l !== b[k]);
    t.equal(i, -1, 'scry -r prints what sysdig -r prints' + (i < 0 ? '' : `; first difference, line ${i + 1}:\n  sysdig: ${a[i]}\n  scry:   ${b[i]}`));
    // the process list's tail as 0.29.3 lays it out (it would read current libs' pidns start time as the loginuid)
    const fmt = ['-p', '*%evt.num %proc.name %user.loginuid %user.loginname %proc.tty %proc.vpgid %proc.is_exe_writable'];
    const r2 = child_process.spawnSync('sysdig', ['-r', file, ...fmt], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const s2 = child_process.spawnSync(path.join(__dirname, '..', 'bin', 'scry'), ['-r', file, ...fmt], { encoding: 'utf8', maxBuffer: 64 << 20 });
    t.equal(s2.stdout, r2.stdout, 'process list fields (loginuid, tty, exe writable) as sysdig reads them');
  }
});

t.test('argv and environ cut at the probe\'s limit still end in a NUL', { skip }, async (t) => {
  const file = path.join(tmp, 'longargs.scap');
  const code = 'import os; os.execve("/bin/true", ["true"] + ["x" * 1000] * 150, dict(os.environ, Y="y" * 100000))';
  const cap = await startCapture({ output: file, command: [python(), '-c', code], handleSignals: false });
  await cap.done;
  const c = await readCapture(file);
  const ex = exits(c, 'execve').find((e) => e.params.comm === 'true');
  t.ok(ex, 'the exec of true');
  const args = ex?.params.args as Buffer | undefined, env = ex?.params.env as Buffer | undefined;
  t.ok(args && args.length < 150 * 1001, 'args cut at the limit');
  t.equal(args?.[args.length - 1], 0, 'args end in a NUL');
  t.equal(env?.[env.length - 1], 0, 'env ends in a NUL');
  if (sysdigAvailable()) {
    // (without the NUL, sysdig reads the last argument on into the next parameters)
    const fmt = ['-p', '%evt.num %proc.args %proc.env', 'evt.type=execve and evt.dir=<'];
    const a = child_process.spawnSync('sysdig', ['-r', file, ...fmt], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const b = child_process.spawnSync(path.join(__dirname, '..', 'bin', 'scry'), ['-r', file, ...fmt], { encoding: 'utf8', maxBuffer: 64 << 20 });
    t.ok(a.stdout.length > 0 && a.stdout === b.stdout, 'proc.args and proc.env as sysdig reads them');
  }
});
