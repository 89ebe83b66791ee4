// The native addon (native/, built by `npm ci` with node-gyp): finds and
// loads it once. Live capture needs it; readers use it when it is there
// (lib/sources/scry/codec.ts falls back to TypeScript otherwise).

import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../util/package-root';

/** The addon's Probe class (native/src/addon.cc). */
export interface NativeProbe {
  cfgNames(): string[];
  programSections(): string[];
  setGlobal(name: string, value: Buffer): void;
  load(opts: { ringSegments: number }): { programs: number; tails: number; cpus: number; warnings: string[]; timings: Record<string, number> };
  /** Attaches the programs, except those of the tracepoints listed. */
  attach(skip?: string[]): void;
  detach(): void;
  drain(maxBytes: number): { buf: Buffer; events: number } | null;
  /** Per event type, the most parameters a drained event keeps (255: all); an empty array: all. */
  setParamLimits(limits: Uint8Array): void;
  pending(): number;
  wait(timeoutMs: number): Promise<boolean>;
  stats(): CpuCounters[];
  track(tgid: number, state: number): void;
  untrack(tgid: number): boolean;
  close(): void;
}

export interface CpuCounters { events: number; dropsFull: number; dropsBig: number; dropsNoScratch: number }

type View = Uint8Array | null;

/** The addon's exports. */
export interface NativeModule {
  Probe: { new(objPath: string): NativeProbe; possibleCpus(): number; clocks(): { realtime: bigint; boottime: bigint; monotonic: bigint } };
  /** Forks a child held before exec until release(gate). */
  spawnGated(file: string, argv: string[]): { pid: number; gate: number };
  release(gate: number): boolean;
  /** null while the child runs. */
  reap(pid: number): { code: number | null; signal: number | null; error?: string } | null;
  /** poll(fd, POLLOUT, timeoutMs): 1 writable (or in error), 0 timed out, -errno. */
  waitWritable(fd: number, timeoutMs: number): number;
  /** UDP for chisels (sysdig.udp_setpeername/udp_send): a new IPv4 datagram socket's fd, or -errno. */
  udpSocket(): number;
  /** sendto(fd, data, addr4:port) at once: bytes sent, or -errno. */
  udpSendTo(fd: number, addr4: Uint8Array, port: number, data: Uint8Array): number;
  /** native/src/scry_codec.cc: rebuilds a .scry frame's records; undefined, or what is wrong. */
  rebuildColumns(n: number, raw: number, out: Uint8Array, offs: Int32Array, cpus: Uint16Array, flags: Uint32Array,
    ts: View, tid: View, ty: View, cpu: View, np: View, esc: View, ln: View, keys: View, data: View,
    fl: View, xl: View, d8: View): string | undefined;
  /**
   * native/src/scap_scan.cc: checks the version-2 event blocks of buf[start..end)
   * and lists their events in out (block offset, record offset, cpu, flags);
   * returns how many; out's last two entries get where and why it stopped.
   */
  scanEventBlocks(buf: Uint8Array, start: number, end: number, known: Uint8Array, out: Int32Array): number;
  /**
   * native/src/read_positions.cc: replays sysdig's reading of a capture file
   * (zlib's gzread, gzip or not) as far as it is asked. at(blockEnd) is the
   * file offset sysdig's reader reports once it has read the event block
   * ending at that stream offset, or -1 when unknown; rest() runs to the end
   * and returns the pairs (block end, offset) not yet asked for, one each time
   * the offset changes.
   */
  ReadPositions: new (path: string, eventBlockTypes: Uint32Array) => ReadPositions;
  /**
   * native/src/scry_decode.cc: decodes a .scry event frame (zstd, msgpack,
   * records) on libuv's thread pool, writing over `recycle` when it is large enough.
   */
  decodeEventFrame(bytes: Uint8Array, recycle?: ArrayBuffer,
    opts?: { keepFrame?: boolean; events?: boolean; from?: bigint; to?: bigint }): Promise<NativeFrame>;
}

/**
 * A decoded event frame: records from byte 0 of store, then offsets (i32,
 * -1 for events left out by a window), flags (u32), cpus (u16) and header
 * fields of its n events.
 */
export interface NativeFrame {
  n: number;
  store: ArrayBuffer;
  offOffset: number;
  flagsOffset: number;
  cpuOffset: number;
  /** Then, per event, ts lo/hi, tid lo/hi, len, type, nparams (7 int32s). */
  hdrOffset: number;
  /** With keepFrame: the decompressed frame, the byte range of its `s` value and of its `p` bin's payload (-1 when absent). */
  frame?: ArrayBuffer;
  sStart?: number;
  sEnd?: number;
  pStart?: number;
  pEnd?: number;
}

let nativeModule: NativeModule | undefined;
let missing = false;

/** The addon; throws a one-line error when it is not built. */
export function loadNative(): NativeModule {
  if (nativeModule) return nativeModule;
  const root = packageRoot();
  for (const c of [path.join(root, 'native', 'build', 'Release', 'scry_native.node'), path.join(root, 'native', 'build', 'Debug', 'scry_native.node')]) {
    if (fs.existsSync(c)) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      nativeModule = require(c) as NativeModule;
      return nativeModule;
    }
  }
  throw new Error('scry native addon is not built (run npm install, or: npx node-gyp rebuild --directory=native)');
}

/** The addon, or undefined when it is not built (or SCRY_NO_NATIVE is set, to test the fallbacks). */
export function optionalNative(): NativeModule | undefined {
  if (nativeModule) return nativeModule;
  if (missing || process.env.SCRY_NO_NATIVE) return undefined;
  try {
    return loadNative();
  } catch {
    missing = true;
    return undefined;
  }
}

export interface ReadPositions {
  at(blockEnd: number): number;
  rest(): Float64Array;
  close(): void;
}
