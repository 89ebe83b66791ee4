// Helpers for the live capture tests: whether this machine can capture, and a
// decoder that reads a capture back through scry's own readers into plain
// objects (events with their parameters by name, threads, fds, drops).

import * as child_process from 'child_process';
import * as fs from 'fs';
import { CaptureSink, FdRecord, ThreadRecord } from '../../lib/event/records';
import { ScapEvent } from '../../lib/event/event';
import { openCapture } from '../../lib/sources/open';
import { checkCapabilities, defaultObjectPath, loadNative } from '../../lib/live/probe';

/** Why live capture tests cannot run here, or undefined. */
export function cannotCapture(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid && process.getuid() !== 0) return 'not root';
  const missing = checkCapabilities();
  if (missing) return missing;
  try {
    loadNative();
  } catch (e) {
    return (e as Error).message;
  }
  if (!fs.existsSync(defaultObjectPath())) return 'no probe object';
  return undefined;
}

/** The real python3 binary (not a pyenv shim), so traced trees stay small. */
export function python(): string {
  return child_process.execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

export interface Tuple { family: number; sip: string; sport: number; dip: string; dport: number }
export interface Ev {
  num: number;
  type: number;
  name: string;
  enter: boolean;
  tid: number;
  ts: bigint;
  cpu: number;
  params: Record<string, unknown>;
}

function ip4(b: Buffer, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** Decodes one parameter by its schema type (numbers as in lib/schema/types PT). */
function decode(ev: ScapEvent, i: number, type: number): unknown {
  if (ev.paramLen(i) === 0) return undefined;
  switch (type) {
    case 1: case 2: case 3: case 4: case 11: case 14: case 15: case 47: case 48: // signed ints, errno, fd, pid
      return ev.s(i);
    case 5: case 6: case 7: case 8: case 19: case 20: case 21: case 22: case 23: case 24: case 25:
    case 28: case 29: case 30: case 31: case 32: case 42: case 44: case 45: case 46: case 18:
      return ev.u(i);
    case 9: case 17: case 43: // charbuf, fspath, fsrelpath
      return ev.str(i);
    case 10: // bytebuf
      return Buffer.from(ev.bytes(i));
    case 13: { // socktuple
      const b = ev.bytes(i);
      if (b[0] === 2 && b.length >= 13) {
        return { family: 2, sip: ip4(b, 1), sport: b.readUInt16LE(5), dip: ip4(b, 7), dport: b.readUInt16LE(11) } as Tuple;
      }
      return { family: b[0], raw: Buffer.from(b) };
    }
    case 12: { // sockaddr
      const b = ev.bytes(i);
      if (b[0] === 2 && b.length >= 7) return { family: 2, ip: ip4(b, 1), port: b.readUInt16LE(5) };
      if (b[0] === 1) return { family: 1, path: b.toString('utf8', 1).replace(/\0.*$/, '') };
      return { family: b[0], raw: Buffer.from(b) };
    }
    default:
      return Buffer.from(ev.bytes(i));
  }
}

export interface Capture {
  events: Ev[];
  threads: ThreadRecord[];
  fds: { tid: number; fd: FdRecord }[];
  drops?: number[];
  machine?: { numCpus: number; hostname: string };
  /** Names from the user list, if the capture has one. */
  users?: string[];
}

/** Reads a .scap or .scry capture through scry's readers. */
export async function readCapture(file: string): Promise<Capture> {
  const out: Capture = { events: [], threads: [], fds: [] };
  const sink: CaptureSink = {
    thread: (t) => { out.threads.push(t); },
    fd: (tid, fd) => { out.fds.push({ tid, fd }); },
    machineInfo: (mi) => { out.machine = { numCpus: mi.numCpus, hostname: mi.hostname }; },
    users: (u) => { out.users = u.map((x) => x.name); },
  };
  const r = openCapture(file, sink, (ev) => {
    const params: Record<string, unknown> = {};
    const ps = ev.info.params;
    for (let i = 0; i < Math.min(ps.length, ev.nparams); i++) params[ps[i].name] = decode(ev, i, ps[i].type);
    out.events.push({
      num: ev.num, type: ev.type, name: ev.info.name, enter: ev.info.enter, tid: ev.tid,
      ts: BigInt(ev.sec) * 1000000000n + BigInt(ev.nsec), cpu: ev.cpu, params,
    });
  });
  r.onDrops = (d) => { out.drops = d; };
  await r.read();
  return out;
}

/** Exit events of `name` (and optionally of thread tid). */
export function exits(c: Capture, name: string, tid?: number): Ev[] {
  return c.events.filter((e) => e.name === name && !e.enter && (tid === undefined || e.tid === tid));
}

export function enters(c: Capture, name: string, tid?: number): Ev[] {
  return c.events.filter((e) => e.name === name && e.enter && (tid === undefined || e.tid === tid));
}

export function sysdigAvailable(): boolean {
  try {
    child_process.execFileSync('sysdig', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A process that makes system calls until stopped, for tests that capture the
 * whole host and need events to arrive: a CI machine can be quiet enough that
 * ambient activity alone takes minutes to fill a count.
 */
export function startBusyWorkload(): { stop: () => void } {
  // a few tens of thousands of events a second: enough to fill counts fast,
  // little enough that the captured files stay small
  const c = child_process.spawn('sh', ['-c', 'while :; do cat /proc/self/stat >/dev/null; sleep 0.01; done'], { stdio: 'ignore' });
  return { stop: () => { c.kill('SIGKILL'); } };
}
