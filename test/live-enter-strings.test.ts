// A syscall whose path sits in a page the process has not touched yet: the
// probe cannot read it at the enter (its BPF helper does not fault pages in);
// the capture's enter event takes it from the exit (lib/live/enter-strings.ts),
// as sysdig's kernel module, which copies it with faults allowed, would have it.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCapture } from '../lib/live/capture';
import { fillEnterStrings } from '../lib/live/enter-strings';
import { cannotCapture, python, readCapture } from './live/helpers';

const skip = cannotCapture();

t.test('openat enters carry the path of their exit', { skip }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-enter-strings-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const out = path.join(tmp, 'unpaged.scap');
  const cap = await startCapture({ output: out, command: [python(), path.join(__dirname, 'live', 'unpaged.py'), tmp], handleSignals: false });
  const res = await cap.done;
  t.equal(res.commandExit, 0, 'workload succeeded');
  const c = await readCapture(out);
  const pairs: { enter: string | undefined; exit: string | undefined }[] = [];
  for (let i = 0; i < c.events.length; i++) {
    const e = c.events[i];
    if (e.name !== 'openat' || !e.enter) continue;
    const x = c.events.slice(i + 1).find((y) => y.tid === e.tid);
    if (x && x.name === 'openat' && !x.enter && typeof x.params.name === 'string' && x.params.name.includes('unpaged-')) {
      pairs.push({ enter: e.params.name as string | undefined, exit: x.params.name });
    }
  }
  const targets = pairs.filter((p) => p.exit!.endsWith('target.txt'));
  t.ok(targets.length >= 4, 'the opens of the target (one to create it, three through the mapped path)');
  for (const p of pairs) t.equal(p.enter, p.exit, `enter name ${p.exit}`);
});

t.test('fillEnterStrings: only an enter followed by its own exit is filled; a waiting one is reported', async (t) => {
  // two openat records of one thread: enter (empty name), exit (name "/x")
  const rec = (type: number, tid: number, params: Buffer[]): Buffer => {
    const len = 26 + params.length * 2 + params.reduce((s, p) => s + p.length, 0);
    const total = (10 + len + 4 + 3) & ~3;
    const b = Buffer.alloc(total);
    b.writeUInt32LE(0x216, 0); b.writeUInt32LE(total, 4);
    b.writeUInt32LE(tid, 18); b.writeUInt32LE(len, 26); b.writeUInt16LE(type, 30); b.writeUInt32LE(params.length, 32);
    let lp = 36, q = lp + params.length * 2;
    for (const p of params) { b.writeUInt16LE(p.length, lp); lp += 2; p.copy(b, q); q += p.length; }
    b.writeUInt32LE(total, total - 4);
    return b;
  };
  const i64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const enter = rec(306, 7, [i64(-100), Buffer.alloc(0), u32(0), u32(0)]);
  const exit = rec(307, 7, [i64(3), i64(-100), Buffer.from('/x\0'), u32(0), u32(0), u32(0)]);
  const other = rec(306, 8, [i64(-100), Buffer.from('/y\0'), u32(0), u32(0)]);
  const filled = fillEnterStrings(Buffer.concat([enter, other, exit])).buf;
  t.not(filled.length, enter.length + other.length + exit.length, 'the batch was rebuilt');
  t.equal(filled.readUInt32LE(4), (10 + 26 + 8 + 8 + 3 + 4 + 4 + 4 + 3) & ~3, 'the enter block grew by the path');
  t.same(filled.subarray(10 + 26 + 8 + 8, 10 + 26 + 8 + 8 + 3), Buffer.from('/x\0'), 'the enter holds the path');
  const same = Buffer.concat([enter, rec(4, 7, [i64(1)]), exit]);
  t.same(fillEnterStrings(same), { buf: same, waitFrom: -1, events: 3, eventsBeforeWait: 3 }, 'another event of the thread in between: left as it is');
  // a context switch or a page fault of the thread between its enter and exit: still filled
  for (const [type, name, between] of [[152, 'switch', rec(152, 7, [i64(8), i64(0), i64(0), u32(0), u32(0), u32(0)])],
    [290, 'page_fault', rec(290, 7, [i64(0x1000), i64(0x2000), u32(0x16)])]] as const) {
    const f = fillEnterStrings(Buffer.concat([enter, between, exit])).buf;
    t.same(f.subarray(10 + 26 + 8 + 8, 10 + 26 + 8 + 8 + 3), Buffer.from('/x\0'), `a ${name} (${type}) in between: the enter holds the path`);
  }
  // an enter whose exit is not in the batch yet: where the reader may hold the batch from
  const waiting = Buffer.concat([other, enter, rec(4, 8, [i64(1)])]);
  t.same(fillEnterStrings(waiting), { buf: waiting, waitFrom: other.length, events: 3, eventsBeforeWait: 1 }, 'the waiting enter is found');
  const later = fillEnterStrings(Buffer.concat([enter, exit, enter]));
  t.equal(later.waitFrom, later.buf.length - enter.length, 'its offset counts the blocks grown before it');
  t.same([later.events, later.eventsBeforeWait], [3, 2], 'events in the batch, and before the waiting one');
});
