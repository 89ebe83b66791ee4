// The committed BPF object: it matches its sources, it parses, and the
// running kernel's BTF has every kernel name its configuration asks for.
// None of this needs root; the rebuild comparison needs clang.
import t from 'tap';
import * as child_process from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Btf, NO_OFF, resolveKernelName } from '../lib/live/btf';
import { defaultObjectPath, loadNative, resolveConfig } from '../lib/live/probe';

const root = path.join(__dirname, '..');
const bpfDir = path.join(root, 'native', 'bpf');
const buildScript = path.join(root, 'native', 'scripts', 'build-bpf.js');
const manifest = JSON.parse(fs.readFileSync(path.join(bpfDir, 'probe.bpf.json'), 'utf8'));

t.test('the object was built from the current sources', (t) => {
  const r = child_process.spawnSync(process.execPath, [buildScript, '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr.trim() || 'sources and object match the manifest');
  const sha = crypto.createHash('sha256').update(fs.readFileSync(defaultObjectPath())).digest('hex');
  t.equal(sha, manifest.objectSha256, 'object hash recorded in probe.bpf.json');
  t.end();
});

function clangVersion(): string | undefined {
  try {
    const out = child_process.execFileSync(process.env.CLANG || 'clang', ['--version'], { encoding: 'utf8' });
    return /clang version (\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

const clang = clangVersion();
t.test('rebuilding the sources gives the committed object', {
  skip: !clang ? 'clang is not installed' : clang !== manifest.clang ? `clang ${clang} differs from ${manifest.clang}, which built the object` : false,
}, (t) => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scry-bpf-')), 'probe.bpf.o');
  child_process.execFileSync(process.execPath, [buildScript, '--out', out], { stdio: 'ignore' });
  t.ok(fs.readFileSync(out).equals(fs.readFileSync(defaultObjectPath())), 'byte-identical object');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  t.end();
});

let native: ReturnType<typeof loadNative> | undefined;
try { native = loadNative(); } catch { native = undefined; }

t.test('the object parses: programs, tail slots, configuration names', { skip: !native && 'native addon not built' }, (t) => {
  const p = new native!.Probe(defaultObjectPath());
  const secs = p.programSections();
  for (const tp of ['sys_enter', 'sys_exit', 'sched_process_exec', 'sched_process_fork', 'sched_process_exit']) {
    t.ok(secs.includes('raw_tp/' + tp), `attaches to ${tp}`);
  }
  const tails = secs.filter((s) => s.startsWith('tail/'));
  t.ok(tails.length > 200, `${tails.length} tail programs`);
  const slots = new Set(tails.flatMap((s) => s.slice(5).split(',').map(Number)));
  for (const id of [3, 5, 7, 9, 23, 247, 249, 223, 225, 227, 335, 293, 331, 307, 175, 301]) t.ok(slots.has(id), `handler for event ${id}`);
  const names = p.cfgNames();
  t.ok(names.includes('task_struct.pid') && names.includes('cfg:snaplen'), 'configuration names');
  p.close();
  t.end();
});

const btfPath = '/sys/kernel/btf/vmlinux';
t.test('the running kernel has every required name in its BTF', { skip: !fs.existsSync(btfPath) ? 'no kernel BTF' : !native && 'native addon not built' }, (t) => {
  const btf = Btf.load(btfPath);
  t.ok(btf.offsetOf('task_struct', 'pid')! > 0, 'task_struct.pid');
  t.equal(btf.offsetOf('pt_regs', 'orig_ax'), 120, 'pt_regs.orig_ax (x86_64 ABI)');
  t.equal(btf.offsetOf('sock', '__sk_common.skc_family'), 16, 'sock_common.skc_family');
  t.ok(btf.sizeof('upid')! >= 16, 'sizeof upid');
  t.equal(resolveKernelName(btf, 'nope.nothing'), undefined, 'missing names are reported missing');
  const p = new native!.Probe(defaultObjectPath());
  const values = resolveConfig(p.cfgNames(), btf, {
    snaplen: 80, ownTgid: 1, filter: false, ringBytes: 1 << 20, monoOffsetNs: 0n, sysdigCompat: true,
  });
  p.close();
  t.equal(values.length, p.cfgNames().length, 'a value for every slot');
  const missing = p.cfgNames().filter((n, i) => !n.startsWith('?') && !n.startsWith('cfg:') && values[i] === BigInt(NO_OFF));
  t.same(missing, [], 'no required name missing');
  t.end();
});

t.test('BTF reader on a synthetic blob', (t) => {
  // struct s { int a; struct { int b; }; }  with a typedef and an enum
  const strs = Buffer.from('\0int\0s\0a\0b\0e\0X\0Y\0');
  const off = (name: string) => strs.indexOf(Buffer.from('\0' + name + '\0')) + 1;
  const types: Buffer[] = [];
  const ty = (nameOff: number, kind: number, vlen: number, sizeOrType: number, extra: number[] = [], kflag = 0) => {
    const b = Buffer.alloc(12 + extra.length * 4);
    b.writeUInt32LE(nameOff, 0);
    b.writeUInt32LE(((kflag << 31) | (kind << 24) | vlen) >>> 0, 4);
    b.writeUInt32LE(sizeOrType, 8);
    extra.forEach((v, i) => b.writeInt32LE(v, 12 + i * 4));
    types.push(b);
  };
  ty(off('int'), 1, 0, 4, [32]);                                 // 1: int
  ty(0, 4, 1, 4, [off('b'), 1, 0]);                               // 2: anonymous struct { int b; }
  ty(off('s'), 4, 2, 8, [off('a'), 1, 0, 0, 2, 32]);             // 3: struct s { int a; <anon> at bit 32 }
  ty(off('e'), 6, 2, 4, [off('X'), 5, off('Y'), -1]);            // 4: enum e { X = 5, Y = -1 }
  const tbytes = Buffer.concat(types);
  const hdr = Buffer.alloc(24);
  hdr.writeUInt16LE(0xeb9f, 0); hdr[2] = 1; hdr[3] = 0; hdr.writeUInt32LE(24, 4);
  hdr.writeUInt32LE(0, 8); hdr.writeUInt32LE(tbytes.length, 12);
  hdr.writeUInt32LE(tbytes.length, 16); hdr.writeUInt32LE(strs.length, 20);
  const btf = new Btf(Buffer.concat([hdr, tbytes, strs]));
  t.equal(btf.offsetOf('s', 'a'), 0);
  t.equal(btf.offsetOf('s', 'b'), 4, 'member of an anonymous struct');
  t.equal(btf.offsetOf('s', 'zz|b'), 4, 'alternatives');
  t.equal(btf.sizeof('s'), 8);
  t.equal(btf.enumValue('X'), 5);
  t.equal(btf.enumValue('Y'), -1);
  t.throws(() => new Btf(Buffer.alloc(24)), 'bad magic');
  t.end();
});
