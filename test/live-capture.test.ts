// Live capture, for real (needs root and a BPF-capable kernel): a workload the
// test controls runs under `-- cmd` capture and system-wide capture; the
// capture is read back through scry's readers and every step of the workload
// is looked up with its process, parent, arguments, fd names, tuples,
// buffers and return values.
import t from 'tap';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCapture } from '../lib/live/capture';
import { EVENTS } from '../lib/schema/events';
import { EC } from '../lib/schema/types';
import { cannotCapture, Capture, enters, Ev, exits, python, readCapture, sysdigAvailable, Tuple } from './live/helpers';

const skip = cannotCapture();
const WORKLOAD = path.join(__dirname, 'live', 'workload.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-live-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

// PPM_O_* bits of the schema
const O_WRONLY = 1 << 1, O_CREAT = 1 << 2, O_TRUNC = 1 << 8, O_RDONLY = 1 << 0;

/** Every check about the workload's steps, for a capture containing it. */
function checkWorkload(t: any, c: Capture, marker: string, rootPid: number, withEnters: boolean): void {
  const dir = path.join(tmp, 'wl');
  const file = path.join(dir, marker + '.txt');
  const tree = treeOf(c, rootPid);
  const inTree = (e: Ev) => tree.has(e.tid);

  // exec of the marker program with its marker args, from a child of the workload
  const execX = exits(c, 'execve').find((e) => e.params.exe === '/bin/true');
  t.ok(execX, 'execve of /bin/true recorded');
  if (execX) {
    t.equal(execX.params.res, 0, 'execve returned 0');
    const args = (execX.params.args as Buffer).toString().split('\0').filter(Boolean);
    t.same(args, [marker, 'second-' + marker], 'execve args are the marker args');
    t.equal(execX.params.ptid, rootPid, 'parent of the exec is the workload');
    t.equal(execX.params.comm, 'true', 'comm after exec');
    t.equal(execX.params.filename, '/bin/true', 'filename param');
    const enter = enters(c, 'execve', execX.tid).find((e) => e.params.filename === '/bin/true');
    if (withEnters) t.ok(enter, 'execve enter event with the filename');
    else t.notOk(enter, 'no enter events');
    const pexit = c.events.find((e) => e.name === 'procexit' && e.tid === execX.tid);
    t.equal(pexit?.params.ret, 0, '/bin/true exits 0');
  }

  // open/write/read of the marker file
  const opens = exits(c, 'openat', rootPid).filter((e) => e.params.name === file);
  t.equal(opens.length, 2, 'two openat of the marker file');
  const [ow, or] = opens;
  if (ow && or) {
    const wfd = ow.params.fd as number;
    t.ok(wfd >= 0, 'write open succeeded');
    t.equal((ow.params.flags as number) & (O_WRONLY | O_CREAT | O_TRUNC), O_WRONLY | O_CREAT | O_TRUNC, 'open flags');
    t.equal(ow.params.mode, 0o640, 'open mode');
    // sysdig-compatible files (with enter events) have 0.29.3's parameters, which had no inode
    if (withEnters) t.equal(ow.params.ino, undefined, 'no inode in 0.29.3\'s openat exit');
    else t.ok(ow.params.ino as number > 0, 'inode of the opened file');
    const w = exits(c, 'write', rootPid).find((e) => e.params.fd === wfd && String(e.params.data).includes(marker));
    t.ok(w, 'write of the marker data');
    t.equal(w?.params.res, ('written-' + marker).length, 'write returned its size');
    t.equal((w?.params.data as Buffer)?.toString(), 'written-' + marker, 'write buffer');
    const rfd = or.params.fd as number;
    t.equal((or.params.flags as number) & 3, O_RDONLY, 'read open flags');
    const r = exits(c, 'read', rootPid).find((e) => e.params.fd === rfd && e.ts > or.ts);
    t.equal((r?.params.data as Buffer)?.toString(), 'written-' + marker, 'read buffer');
    const cl = exits(c, 'close', rootPid).find((e) => e.params.fd === wfd && e.ts > ow.ts);
    t.equal(cl?.params.res, 0, 'close of the written file');
  }

  // failed open
  const miss = exits(c, 'openat', rootPid).find((e) => e.params.name === path.join(dir, marker + '-missing'));
  t.equal(miss?.params.fd, -2, 'failed open returns -ENOENT');

  // TCP on 127.0.0.1
  const conn = exits(c, 'connect', rootPid).find((e) => (e.params.tuple as Tuple | undefined)?.dip === '127.0.0.1');
  t.ok(conn, 'connect recorded');
  if (conn) {
    const tu = conn.params.tuple as Tuple;
    t.equal(conn.params.res, 0, 'connect returned 0');
    t.equal(tu.sip, '127.0.0.1', 'connect tuple source');
    t.ok(tu.sport > 0 && tu.dport > 0, 'connect tuple ports');
    const addr = conn.params.addr as { ip: string; port: number };
    t.same([addr.ip, addr.port], ['127.0.0.1', tu.dport], 'connect address param');
    const acc = c.events.find((e) => !e.enter && (e.name === 'accept' || e.name === 'accept4') && e.tid === rootPid);
    t.ok(acc, 'accept recorded');
    const at = acc?.params.tuple as Tuple | undefined;
    t.same(at && [at.sip, at.sport, at.dip, at.dport], [tu.sip, tu.sport, tu.dip, tu.dport], 'accept tuple matches the connection');
    const afd = acc?.params.fd as number;
    const send = exits(c, 'sendto', rootPid).find((e) => (e.params.data as Buffer)?.toString() === 'ping-' + marker);
    t.ok(send, 'client sent the marker');
    t.equal(send?.params.fd, conn.params.fd, 'sent on the connected fd');
    t.equal(send?.params.res, ('ping-' + marker).length, 'sendto result');
    const recv = exits(c, 'recvfrom', rootPid).find((e) => (e.params.data as Buffer)?.toString() === 'ping-' + marker);
    t.equal(recv?.params.fd, afd, 'server received on the accepted fd');
    const back = exits(c, 'recvfrom', rootPid).find((e) => (e.params.data as Buffer)?.toString() === 'pong-' + marker);
    t.equal(back?.params.fd, conn.params.fd, 'client received the reply');
    const bind = exits(c, 'bind', rootPid)[0];
    t.same((bind?.params.addr as { ip: string })?.ip, '127.0.0.1', 'bind address');
    t.ok(exits(c, 'listen', rootPid).length >= 1, 'listen recorded');
    t.ok(exits(c, 'socket', rootPid).length >= 2, 'socket recorded');
  }

  // fork tree: child exits 5, grandchild exits 7, each with its parent
  const forks = exits(c, 'clone', rootPid).concat(exits(c, 'clone3', rootPid), exits(c, 'fork', rootPid))
    .filter((e) => (e.params.res as number) > 0);
  const child = forks.map((e) => e.params.res as number).find((pid) => {
    const pe = c.events.find((e) => e.name === 'procexit' && e.tid === pid);
    return pe?.params.ret === 5;
  });
  t.ok(child, 'forked child exiting with 5');
  if (child) {
    const childSide = c.events.find((e) => !e.enter && /clone|fork/.test(e.name) && e.tid === child && e.params.res === 0);
    t.equal(childSide?.params.ptid, rootPid, 'child clone event names its parent');
    const g = c.events.find((e) => !e.enter && /clone|fork/.test(e.name) && e.tid === child && (e.params.res as number) > 0);
    t.ok(g, 'child forked the grandchild');
    const gpid = g?.params.res as number;
    const gSide = c.events.find((e) => !e.enter && /clone|fork/.test(e.name) && e.tid === gpid && e.params.res === 0);
    t.equal(gSide?.params.ptid, child, 'grandchild clone event names the child');
    const gexit = c.events.find((e) => e.name === 'procexit' && e.tid === gpid);
    t.equal(gexit?.params.ret, 7, 'grandchild exit status');
  }

  // rename and unlink
  const ren = exits(c, 'rename', rootPid).find((e) => e.params.oldpath === file);
  t.equal(ren?.params.newpath, path.join(dir, marker + '-renamed.txt'), 'rename paths');
  t.equal(ren?.params.res, 0, 'rename result');
  const unl = exits(c, 'unlink', rootPid).find((e) => e.params.path === path.join(dir, marker + '-renamed.txt'));
  t.equal(unl?.params.res, 0, 'unlink of the renamed file');

  t.ok(c.events.filter(inTree).length > 100, 'the workload tree has events');
}

/**
 * A sysdig-compatible capture's exits carry 0.29.3's parameters; what it
 * moved to the enter event (the fd of read/write/close/connect, execve's
 * filename) is added to each exit from its enter, as a reader pairs them.
 */
function withEnterParams(c: Capture): Capture {
  const last = new Map<number, Ev>();
  for (const e of c.events) {
    // (tracepoint and meta events -- context switches, signal deliveries, CPU samples -- come between a syscall's enter and exit)
    const cat = EVENTS[e.type].category;
    if (!(cat & EC.SYSCALL) && cat & (EC.TRACEPOINT | EC.METAEVENT)) continue;
    if (e.enter) { last.set(e.tid, e); continue; }
    const en = last.get(e.tid);
    last.delete(e.tid);
    if (en && en.type === e.type - 1) for (const [k, v] of Object.entries(en.params)) if (!(k in e.params)) e.params[k] = v;
  }
  return c;
}

/** Tids descended from root through clone/fork events. */
function treeOf(c: Capture, root: number): Set<number> {
  const tree = new Set<number>([root]);
  for (const e of c.events) {
    if (e.enter || !/^(clone|clone3|fork|vfork)$/.test(e.name)) continue;
    const res = e.params.res as number;
    if (res > 0 && tree.has(e.tid)) tree.add(res);
  }
  return tree;
}

t.test('-- cmd: the command tree and nothing else, in .scap', { skip }, async (t) => {
  fs.mkdirSync(path.join(tmp, 'wl'), { recursive: true });
  const out = path.join(tmp, 'cmd.scap');
  const marker = 'mk' + process.pid + 'a';
  const cap = await startCapture({ output: out, command: [python(), WORKLOAD, path.join(tmp, 'wl'), marker], handleSignals: false });
  const res = await cap.done;
  t.equal(res.reason, 'command', 'capture ended with the command');
  t.equal(res.commandExit, 0, 'workload succeeded');
  t.equal(res.drops, 0, 'no drops');
  const c = withEnterParams(await readCapture(out));
  const root = cap.commandPid!;
  checkWorkload(t, c, marker, root, true);
  const tree = treeOf(c, root);
  const strangers = c.events.filter((e) => !tree.has(e.tid));
  t.same(strangers.map((e) => `${e.tid} ${e.name}`).slice(0, 5), [], 'no event outside the command tree');
  t.same([...new Set(c.threads.map((th) => th.pid))], [root], 'process table holds just the command');
  t.equal(c.events[0].name, 'execve', 'first event is the exec of the command');
  t.ok(c.events[0].enter, 'first event is the execve enter');
  t.ok(c.drops && c.drops.length === os.cpus().length, 'per-CPU drop counters recorded');
  for (let i = 1; i < c.events.length; i++) {
    if (c.events[i].ts < c.events[i - 1].ts) { t.fail(`events out of time order at ${i}`); break; }
  }
  if (sysdigAvailable()) {
    const r = child_process.spawnSync('sysdig', ['-r', out], { encoding: 'utf8', maxBuffer: 64 << 20 });
    t.equal(r.status, 0, 'sysdig 0.29.3 reads the file');
    t.match(r.stdout, new RegExp(`< execve res=0 exe=/bin/true args=${marker}`), 'sysdig prints the exec');
    t.match(r.stdout, /< connect res=0 tuple=127\.0\.0\.1:\d+->127\.0\.0\.1:\d+/, 'sysdig prints the connect tuple');
    t.match(r.stdout, new RegExp(`< read res=\\d+ data=written-${marker}`), 'sysdig prints the read buffer');
  }
});

t.test('system-wide capture into .scry with the workload started alongside', { skip }, async (t) => {
  fs.mkdirSync(path.join(tmp, 'wl'), { recursive: true });
  const out = path.join(tmp, 'all.scry');
  const marker = 'mk' + process.pid + 'b';
  const cap = await startCapture({ output: out, maxSeconds: 60, handleSignals: false });
  const wl = child_process.spawn(python(), [WORKLOAD, path.join(tmp, 'wl'), marker], { stdio: 'ignore' });
  const code = await new Promise<number | null>((r) => wl.on('exit', (c) => r(c)));
  await new Promise((r) => setTimeout(r, 200));
  const res = await cap.stop();
  t.equal(code, 0, 'workload succeeded');
  t.equal(res.reason, 'stopped');
  const c = await readCapture(out);
  checkWorkload(t, c, marker, wl.pid!, false);
  // .scry records what current libs drivers record: syscall exits only
  t.notOk(c.events.some((e) => e.enter && /^(read|write|openat|close|execve)$/.test(e.name)), 'no syscall enter events');
  t.notOk(c.events.some((e) => e.tid === process.pid), 'scry does not record itself');
  t.ok(c.threads.length > 5, 'process table of the machine');
  t.ok(c.threads.some((th) => th.pid === 1), 'init is in the process table');
  // the current schema's events in .scry (not the sysdig-0.29.3 ones)
  t.ok(c.events.some((e) => e.type === 389 || e.type === 247), 'accept4 as ACCEPT4_6 (or accept)');
});

t.test('-U drops the events of a comm (counted nowhere); -E writes no user table', { skip }, async (t) => {
  const out = path.join(tmp, 'suppress.scap');
  const cap = await startCapture({
    output: out, command: ['/bin/sh', '-c', '/bin/true; /bin/echo kept > /dev/null'], handleSignals: false,
    suppressComms: ['true'], excludeUsers: true,
  });
  const res = await cap.done;
  t.equal(res.commandExit, 0);
  const c = await readCapture(out);
  const execs = exits(c, 'execve').map((e) => String(e.params.exe));
  t.ok(execs.includes('/bin/echo'), 'echo exec kept');
  t.notOk(execs.includes('/bin/true'), 'the exec that makes the process true is dropped with it');
  t.equal(res.events, c.events.length, 'dropped events are not counted');
  const trueTid = c.events.find((e) => !e.enter && /clone|fork/.test(e.name) && (e.params.res as number) > 0)?.params.res;
  t.notOk(c.events.some((e) => e.tid === trueTid && e.name === 'procexit'), 'nor anything of it after');
  t.equal(c.users, undefined, 'no user table');
});

t.test('stop ends a capture whose rings never empty (a consumer slower than the machine)', { skip }, async (t) => {
  // Each event costs the consumer ~20 us while a busy loop makes a syscall
  // per microsecond or so: the rings stay full. stop() must still end the
  // capture (the probes come off, what the rings hold is taken) instead of
  // waiting for an empty ring that never comes.
  const out = path.join(tmp, 'overload.scap');
  const busy = child_process.spawn('dd', ['if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=1000000000'], { stdio: 'ignore' });
  t.teardown(() => { busy.kill('SIGKILL'); });
  let seen = 0;
  const cap = await startCapture({
    output: out, handleSignals: false, maxSeconds: 600,
    onEvent: () => { seen++; const until = process.hrtime.bigint() + 20000n; while (process.hrtime.bigint() < until) { /* slow consumer */ } },
  });
  await new Promise((r) => setTimeout(r, 1500));
  const asked = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const res = await Promise.race([
    cap.stop(),
    new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), 120000); }),
  ]);
  clearTimeout(timer);
  t.ok(res, `stop() returned (after ${Date.now() - asked} ms)`);
  if (!res) return;
  t.equal(res.reason, 'stopped');
  t.ok(seen > 0 && res.drops > 0, `an overloaded capture: ${seen} events taken, ${res.drops} dropped`);
  t.equal(busy.exitCode, null, 'the busy loop still runs: the capture ended while events kept coming');
});
