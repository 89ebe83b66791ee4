// The chisel host: loads a Lua chisel into its own Lua state, exposes
// sysdig's chisel API to it (the chisel, evt and sysdig tables) and drives
// its callbacks (on_set_arg, on_init, on_capture_start, on_event,
// on_interval, on_capture_end) the way sysdig 0.29.3 does.

/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as nodePath from 'path';
import { ScapEvent } from '../event/event';
import type { BoundField, EvalContext, FieldValue } from '../fields/types';
import type { StateView, ThreadInfo, FdInfo } from '../state/view';
import { PT } from '../schema/types';
import { E } from '../schema/ids';
import { EVENTS } from '../schema/events';
import { syscallName } from '../schema/syscalls';
import { numberToString } from './numfmt';
import { loadNative, NativeModule } from '../native/addon';
import { inetPton4, scanInteger } from '../filter/values';
import { FDT, L4P, fdL4proto, fdType, fdTypeName } from '../fields/ext';
import { ipv6Text as renderIpv6 } from '../fields/render';
import { ThreadStateError } from '../fields/thread-state';
import { unorderedIntMapOrder, unorderedMapOrder } from '../util/std-unordered';
import { beforeNul, textToBytes } from '../util/bytes';
import {
  bytesText, ByteSink, K, lauxlib, lua, lua51Message, LuaExit, LuaState, latin1Bytes, luaText, newState, pushBytes, pushOwned, pushText, toBytesString, toText,
} from './lua';
import { stdoutIsTTY } from '../util/tty';

/** A chisel failure, reported as sysdig does: one line on stderr, exit code 1. */
export class ChiselError extends Error {}

/** What a chisel's arguments table declares. */
export interface ChiselArgDesc { name: string; type: string; description: string; optional: boolean }

export interface ChiselDesc {
  name: string;
  description: string;
  shortDescription: string;
  category: string;
  args: ChiselArgDesc[];
  /** A csysdig view (has view_info): listed by neither -cl nor -i output. */
  isView: boolean;
  path: string;
}

export interface Matcher { match(ctx: EvalContext): boolean }
export interface LineFormatter { render(ctx: EvalContext): string | undefined }

/** What the host needs from the program running it. */
export interface HostEnv {
  out: ByteSink;
  err: ByteSink;
  /** Chisel directories, in search order, each ending in '/'. */
  dirs: string[];
  /** The capture being read ('' when live). */
  isLive: boolean;
  /** -pc/-pcontainer was given. */
  printContainer: boolean;
  /** -D: sysdig then logs to stderr, sysdig.log() messages included. */
  debugLog?: boolean;
  /** -j was given. */
  json: boolean;
  // Filters and formats come from Lua strings: byte strings, one char per
  // byte, so bytes that are not UTF-8 reach the compilers as they are.
  /** Compiles a filter; throws Error(message) for a bad one. */
  compileFilter(bytes: string): Matcher;
  /** A filter for sysdig.get_thread_table (only fields that need no event). */
  compileThreadTableFilter(bytes: string): Matcher;
  /** Event types a compiled filter may match (undefined: any). */
  filterTypeMask?(f: Matcher): Uint8Array | undefined;
  /** Compiles a chisel event formatter (no escape expansion). Throws for a bad one. */
  compileFormat(bytes: string): LineFormatter;
  /** sysdig.set_filter: installs the capture filter; throws Error(message). */
  setGlobalFilter(bytes: string): void;
  getGlobalFilter(): string;
  setSnaplen(n: number): void;
  /** sysdig.set_output_format: 'normal' | 'json' | 'simple' | 'hex' | 'hexascii' | 'ascii' | 'base64' | 'jsonbase64'. */
  setBufferFormat(fmt: string): boolean;
  /** The run's shared state (thread table, machine info, ...). */
  run: RunState;
}

/** State shared by all chisels of a run. */
export interface RunState {
  ctx: EvalContext;
  /** The capture file being read ('' live). */
  inputFile: string;
  /** The capture has been opened (machine info available). */
  opened: boolean;
  /** First event's (not a container event) and last event's timestamps, as u64 halves. */
  firstHi: number; firstLo: number; hasFirst: boolean;
  lastHi: number; lastLo: number;
  /** Percent of the input read, as sysdig computes it (a value sysdig prints to 14 digits). */
  progress(): number;
}

const NS = 1000000000;

/** u64 nanoseconds from its two 32-bit halves. */
export function ts64(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

interface FieldHandle { bound: BoundField; kind: 'text' | 'number' | 'other'; get: (ctx: EvalContext) => FieldValue; push: (L: LuaState, v: FieldValue) => number; name: string }

function ipv4Text(v: FieldValue): string | undefined {
  if (Buffer.isBuffer(v)) {
    if (v.length >= 4) return `${v[0]}.${v[1]}.${v[2]}.${v[3]}`;
    return undefined;
  }
  if (typeof v === 'number') return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${(v >>> 24) & 255}`;
  if (typeof v === 'string') return v;
  return undefined;
}

/** An IPv6 address as inet_ntop writes it. */
function ipv6Text(b: Uint8Array): string {
  return renderIpv6(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function pusherFor(type: PT, name: string, err: ByteSink): (L: LuaState, v: FieldValue) => number {
  switch (type) {
    case PT.INT8: case PT.INT16: case PT.INT32: case PT.INT64: case PT.ERRNO: case PT.PID: case PT.FD:
    case PT.L4PROTO: case PT.FLAGS8: case PT.UINT8: case PT.PORT: case PT.FLAGS16: case PT.UINT16:
    case PT.FLAGS32: case PT.UINT32: case PT.MODE: case PT.UID: case PT.GID: case PT.UINT64: case PT.RELTIME:
    case PT.ABSTIME: case PT.DOUBLE:
      return (L, v) => {
        if (typeof v === 'number') lua.lua_pushnumber(L, v);
        else if (typeof v === 'bigint') lua.lua_pushnumber(L, Number(v));
        else if (typeof v === 'boolean') lua.lua_pushnumber(L, v ? 1 : 0);
        else if (typeof v === 'string') lua.lua_pushnumber(L, Number(v));
        else lua.lua_pushnil(L);
        return 1;
      };
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH: {
      let lastS: string | undefined;
      let lastB: Uint8Array = new Uint8Array(0);
      return (L, v) => {
        if (typeof v === 'string') {
          if (v !== lastS) { lastS = v; lastB = latin1Bytes(v); }
          pushOwned(L, lastB);
        } else if (v instanceof Uint8Array) {
          let e = v.indexOf(0);
          if (e < 0) e = v.length;
          pushOwned(L, Uint8Array.prototype.slice.call(v, 0, e));
        } else pushBytes(L, String(v));
        return 1;
      };
    }
    case PT.BYTEBUF:
      return (L, v) => {
        if (v instanceof Uint8Array) pushOwned(L, Uint8Array.prototype.slice.call(v));
        else if (typeof v === 'string') pushBytes(L, v);
        else lua.lua_pushnil(L);
        return 1;
      };
    case PT.SOCKADDR: case PT.SOCKFAMILY:
      return () => 0;
    case PT.BOOL:
      return (L, v) => { lua.lua_pushboolean(L, v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'bigint' && v !== 0n)); return 1; };
    case PT.IPV4ADDR:
      return (L, v) => { const s = ipv4Text(v); if (s === undefined) lua.lua_pushnil(L); else pushText(L, s); return 1; };
    case PT.IPV6ADDR: case PT.IPADDR:
      return (L, v) => {
        if (v instanceof Uint8Array && v.length === 16) pushText(L, ipv6Text(v));
        else if (v instanceof Uint8Array && v.length === 4) pushText(L, ipv4Text(v)!);
        else if (typeof v === 'string') pushText(L, v);
        else if (typeof v === 'number') pushText(L, ipv4Text(v)!);
        else if (v instanceof Uint8Array) {
          err.write(luaText(`rawval_to_lua_stack called with IP address of incorrect size ${v.length}\n`));
          return cxxError(L);
        } else lua.lua_pushnil(L);
        return 1;
      };
    default:
      return (L) => {
        err.write(luaText(`wrong event type ${type}\n`));
        void name;
        return cxxError(L);
      };
  }
}

const NUMERIC_TYPES = new Set<PT>([
  PT.INT8, PT.INT16, PT.INT32, PT.INT64, PT.ERRNO, PT.PID, PT.FD, PT.L4PROTO, PT.FLAGS8, PT.UINT8, PT.PORT, PT.FLAGS16,
  PT.UINT16, PT.FLAGS32, PT.UINT32, PT.MODE, PT.UID, PT.GID, PT.UINT64, PT.RELTIME, PT.ABSTIME, PT.DOUBLE,
]);

function numberOf(v: FieldValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v);
}

type GroupKey = string | number;
interface GroupNode { next: Map<GroupKey, GroupNode | number> }

/**
 * A scry.group_by aggregation (see there). Totals sit in a tree with one
 * level per key field, so no key string is built per event; the Lua keys
 * (the parts joined by "\x01\x01", numbers printed as Lua prints them) are
 * made when the totals are read.
 */
class NativeGroup {
  private root: GroupNode = { next: new Map() };
  private readonly parts: GroupKey[];
  constructor(private readonly keys: FieldHandle[], private readonly value: FieldHandle, private readonly scale: number | undefined) {
    this.parts = new Array(keys.length);
  }

  /** Adds the event; false when it needs the Lua loop instead (to fail as the loop would). */
  add(ctx: EvalContext): boolean {
    const keys = this.keys, parts = this.parts, n = keys.length;
    for (let i = 0; i < n; i++) {
      const h = keys[i];
      const v = h.get(ctx);
      if (v === undefined) return true;
      if (h.kind === 'number') {
        // numbers stay numbers in the tree; joined keys print them when the totals are read
        parts[i] = numberOf(v);
      } else {
        parts[i] = typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v);
      }
    }
    const raw = this.value.get(ctx);
    let add: number;
    if (this.scale !== undefined) {
      if (raw === undefined) return false;
      add = numberOf(raw) * this.scale;
    } else {
      if (raw === undefined) return true;
      add = numberOf(raw);
      if (!(add > 0)) return true;
    }
    let node = this.root;
    for (let i = 0; i < n - 1; i++) {
      let next = node.next.get(parts[i]) as GroupNode | undefined;
      if (next === undefined) { next = { next: new Map() }; node.next.set(parts[i], next); }
      node = next;
    }
    const leaf = node.next, k = parts[n - 1];
    const cur = leaf.get(k) as number | undefined;
    leaf.set(k, (cur === undefined ? 0 : cur) + add);
    return true;
  }

  /** Totals by Lua key. */
  get totals(): Map<GroupKey, number> {
    const out = new Map<GroupKey, number>();
    const n = this.keys.length;
    // A lone numeric key stays a number; joined ones are text, as Lua prints numbers.
    const text = (k: GroupKey): string => (typeof k === 'string' ? k
      : Number.isInteger(k) && k < 1e14 && k > -1e14 && !Object.is(k, -0) ? String(k) : numberToString(k));
    const walk = (node: GroupNode, prefix: string, depth: number): void => {
      for (const [k, v] of node.next) {
        if (depth === n - 1) out.set(n === 1 ? k : prefix + text(k), v as number);
        else walk(v as GroupNode, prefix + text(k) + '\x01\x01', depth + 1);
      }
    };
    walk(this.root, '', 0);
    return out;
  }

  reset(): void { this.root = { next: new Map() }; }
}

/** What sysdig's C++ callbacks do on failure: a Lua error reading "C++ exception". */
function cxxError(L: LuaState): number {
  lua.lua_pushstring(L, K('C++ exception'));
  return lua.lua_error(L);
}

/** The chisel's own failure report, then the C++ exception. */
function failWith(L: LuaState, env: HostEnv, msg: string): number {
  env.err.write(luaText(msg + '\n'));
  return cxxError(L);
}

/** Events the chisel is told about through evt.get_type for the generic syscall events. */
function eventTypeName(ev: ScapEvent): string {
  if ((ev.type === E.GENERIC_E || ev.type === E.GENERIC_X) && ev.nparams > 0) {
    return syscallName(ev.u(0)) ?? '<unknown>';
  }
  return ev.info.name;
}

/** A chisel's UDP socket and peer (sysdig.udp_setpeername). */
interface UdpPeer { fd: number; ip: Uint8Array; port: number; native: NativeModule }

/**
 * Lua value i as the C string sysdig's lua_tostring gives: numbers as
 * LuaJIT prints them, strings up to their first NUL; undefined for other
 * values (a NULL, which sysdig turns into a std::string and a C++ exception).
 */
function luaCString(L: LuaState, i: number): string | undefined {
  const t = lua.lua_type(L, i);
  if (t === lua.LUA_TNUMBER) return numberToString(lua.lua_tonumber(L, i));
  if (t !== lua.LUA_TSTRING) return undefined;
  return beforeNul(toBytesString(L, i));
}

export class Chisel {
  readonly L: LuaState;
  readonly name: string;
  readonly args: ChiselArgDesc[] = [];
  private hasOnEvent = false;
  private filter: Matcher | undefined;
  private formatter: LineFormatter | undefined;
  private intervalNs = 0;
  private preciseIntervalNs = 0;
  private firstEvent = true;
  /** Last sample time (ns, bigint) and last interval callback ts. */
  private lastSample = 0n;
  private lastIntervalTs = 0n;
  endCapture = false;
  nextRunArgs: string | undefined;
  /** The directory of a chisel named by a path outside the search directories (see ownDirectory). */
  ownDir: string | undefined;
  private argvals: string[] = [];
  private newChiselToExec = '';
  private onEventRef = -1;
  /** Event types the chisel filter may match (undefined: any). */
  private typeMask: Uint8Array | undefined;
  /** Native aggregations (scry.group_by) fed before on_event. */
  private groups: NativeGroup[] = [];
  /** A native aggregation stands for the Lua on_event (see scry.group_by). */
  private nativeOnly = false;
  /** The chisel has been run on an event (evt.* work from then on). */
  sawEvent = false;
  /** Last exit code asked for with os.exit(). */
  exitCode: number | undefined;
  /** The socket and peer of sysdig.udp_setpeername (closed after on_capture_end). */
  udp: UdpPeer | undefined;

  closeUdp(): void {
    if (this.udp) { try { fs.closeSync(this.udp.fd); } catch { /* already closed */ } }
    this.udp = undefined;
  }

  constructor(name: string, private env: HostEnv, source?: { path: string; text: Buffer }) {
    this.name = name;
    this.L = this.load(name, source);
  }

  // ---- loading ----

  private load(name: string, source?: { path: string; text: Buffer }): LuaState {
    const env = this.env;
    let src = source;
    if (!src) {
      const p = findChiselFile(name.trim(), env.dirs);
      if (!p) throw new ChiselError(`can't open file ${name.trim()}`);
      src = { path: p, text: fs.readFileSync(p) };
    }
    const own = ownDirectory(src.path, env.dirs);
    this.ownDir = own;
    if (own !== undefined) this.env = { ...env, dirs: [...env.dirs, own] };
    const L = newState({ out: env.out, err: env.err, packageDirs: this.env.dirs });
    this.installApi(L);
    const code = new Uint8Array(src.text.buffer, src.text.byteOffset, src.text.length);
    let st = lauxlib.luaL_loadbuffer(L, code, null, code);
    if (st === lua.LUA_OK) st = this.pcall(L, 0, 0);
    if (st !== lua.LUA_OK) {
      throw new ChiselError(`Failed to load chisel ${this.name}: ${this.errText(L)}`);
    }
    lua.lua_getglobal(L, K('args'));
    if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new ChiselError(`Failed to load chisel ${this.name}: args table missing`);
    try {
      parseArgsTable(L, this.args, env.out);
    } catch (e) {
      throw new ChiselError((e as Error).message);
    }
    lua.lua_pop(L, 1);
    lua.lua_getglobal(L, K('on_event'));
    this.hasOnEvent = lua.lua_type(L, -1) === lua.LUA_TFUNCTION;
    if (this.hasOnEvent) this.onEventRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    else lua.lua_pop(L, 1);
    return L;
  }

  /** lua_pcall that lets os.exit() through. */
  private pcall(L: LuaState, nargs: number, nres: number): number {
    this.pendingExit = undefined;
    const st = lua.lua_pcall(L, nargs, nres, 0);
    if (st !== lua.LUA_OK && this.pendingExit !== undefined) throw this.pendingExit;
    return st;
  }
  private pendingExit: LuaExit | undefined;

  private errText(L: LuaState): string {
    const t = lua.lua_type(L, -1);
    let s: string;
    if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) s = toText(L, -1) ?? '';
    else if (t === lua.LUA_TNIL) s = '';
    else s = bytesText(require('./lua').toStringBytes(L, -1));
    lua.lua_pop(L, 1);
    return lua51Message(s);
  }

  get nArgs(): number { return this.args.length; }
  get nRequired(): number { return this.args.filter((a) => !a.optional).length; }
  get nOptional(): number { return this.args.filter((a) => a.optional).length; }

  // ---- arguments ----

  /**
   * sysdig's set_args(string): splits on blanks, '...' and `...` group words.
   * `args` is Unicode text (the command line), or with isBytes a byte string
   * (chisel.exec's Lua strings); the values reach on_set_arg as bytes.
   */
  setArgsString(args: string, isBytes = false): void {
    const vals = splitChiselArgs(args, this.name).map((v) => (isBytes ? v : textToBytes(v)));
    this.argvals = vals;
    this.setArgsList(vals.map((v, j) => [this.args[j]?.name ?? '', v]));
  }

  setArgsList(args: [string, string][]): void {
    const req = this.nRequired, opt = this.nOptional;
    if (args.length < req) {
      throw new ChiselError(`wrong number of parameters for chisel ${this.name}, ${req} required, ${args.length} given`);
    }
    if (args.length > req + opt) {
      throw new ChiselError(`too many parameters for chisel ${this.name}, ${req} required, ${opt} optional, ${args.length} given`);
    }
    const L = this.L;
    for (const [n, v] of args) {
      lua.lua_getglobal(L, K('on_set_arg'));
      if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) {
        lua.lua_pop(L, 1);
        throw new ChiselError(`chisel ${this.name} misses a set_arg() function.`);
      }
      pushText(L, n);
      pushBytes(L, v);
      if (this.pcall(L, 2, 1) !== lua.LUA_OK) throw new ChiselError(`${this.name} chisel error: ${this.errText(L)}`);
      if (lua.lua_type(L, -1) !== lua.LUA_TBOOLEAN) throw new ChiselError(`${this.name} chisel error: wrong set_arg() return value.`);
      if (!lua.lua_toboolean(L, -1)) throw new ChiselError(`set_arg() for chisel ${this.name} failed.`);
      lua.lua_pop(L, 1);
    }
  }

  // ---- callbacks ----

  onInit(): void {
    const L = this.L;
    lua.lua_getglobal(L, K('on_init'));
    if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) { lua.lua_pop(L, 1); return; }
    if (this.pcall(L, 0, 1) !== lua.LUA_OK) throw new ChiselError(`${this.name}: error in init(): ${this.errText(L)}`);
    if (this.newChiselToExec === '') {
      if (lua.lua_type(L, -1) !== lua.LUA_TBOOLEAN) throw new ChiselError(`${this.name} chisel error: wrong init() return value.`);
      if (!lua.lua_toboolean(L, -1)) throw new ChiselError(`init() for chisel ${this.name} failed.`);
    }
    lua.lua_pop(L, 1);
    if (this.newChiselToExec !== '') {
      // chisel.exec(): replace this chisel with another one, same arguments.
      const target = this.newChiselToExec;
      const vals = this.argvals;
      this.newChiselToExec = '';
      const next = new Chisel(target, this.env);
      const args = vals.map((v) => (v.includes(' ') ? `'${v}'` : v)).join(' ');
      next.setArgsString(args, true);
      this.become(next);
      this.onInit();
    }
  }

  /** Takes over another chisel's Lua state (for chisel.exec). */
  private become(o: Chisel): void {
    const self = this as any;
    for (const k of Object.keys(o)) if (k !== 'env') self[k] = (o as any)[k];
    // The API closures of `o` refer to `o`: point them here.
    (o as any).redirect = this;
  }

  onCaptureStart(): void {
    const L = this.L;
    lua.lua_getglobal(L, K('on_capture_start'));
    if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) { lua.lua_pop(L, 1); return; }
    if (this.pcall(L, 0, 1) !== lua.LUA_OK) throw new ChiselError(`${this.name} chisel error: ${this.errText(L)}`);
    if (lua.lua_type(L, -1) !== lua.LUA_TBOOLEAN) {
      throw new ChiselError(`${this.name} chisel error: wrong on_capture_start() return value. Boolean expected.`);
    }
    if (!lua.lua_toboolean(L, -1)) throw new ChiselError(`init() for chisel ${this.name} failed.`);
    lua.lua_pop(L, 1);
  }

  onCaptureEnd(): void {
    const L = this.L;
    lua.lua_getglobal(L, K('on_capture_end'));
    if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) { lua.lua_pop(L, 1); this.closeUdp(); return; }
    const r = this.env.run;
    const te = ts64(r.lastHi, r.lastLo);
    const ts = r.hasFirst ? ts64(r.firstHi, r.firstLo) : 0n;
    lua.lua_pushnumber(L, Number(te / 1000000000n));
    lua.lua_pushnumber(L, Number(te % 1000000000n));
    lua.lua_pushnumber(L, Number(BigInt.asIntN(64, te - ts)));
    try {
      if (this.pcall(L, 3, 0) !== lua.LUA_OK) throw new ChiselError(`${this.name} chisel error: ${this.errText(L)}`);
    } finally {
      this.closeUdp();
    }
  }

  /** Interval callbacks due at this event (also called for filtered-out events). */
  doTimeout(ev: ScapEvent): void {
    if (this.firstEvent) {
      this.firstEvent = false;
      this.updateNeedsTimeout();
      if (this.intervalNs !== 0) {
        const ts = ts64(ev.tsHi, ev.tsLo);
        this.lastSample = ts - ts % BigInt(this.intervalNs);
      } else if (this.preciseIntervalNs !== 0) {
        this.lastSample = ts64(ev.tsHi, ev.tsLo);
      }
      return;
    }
    if (this.intervalNs !== 0) {
      const ts = ts64(ev.tsHi, ev.tsLo);
      const iv = BigInt(this.intervalNs);
      const sample = ts - ts % iv;
      if (sample !== this.lastSample) {
        let delta = 0n;
        if (this.lastIntervalTs !== 0n) {
          delta = ts - this.lastIntervalTs;
          if (delta === 0n) return;
        }
        this.callInterval(ts, delta);
        this.lastSample = sample;
        this.lastIntervalTs = ts;
      }
    } else if (this.preciseIntervalNs !== 0) {
      const ts = ts64(ev.tsHi, ev.tsLo);
      const iv = BigInt(this.preciseIntervalNs);
      if (ts - this.lastSample >= iv) {
        let t = this.lastSample;
        for (; t <= ts - iv; t += iv) this.callInterval(t, iv);
        this.lastSample = t;
      }
    }
  }

  /** Whether doTimeout has anything to do for the coming events (kept up to date). */
  needsTimeout = true;
  private updateNeedsTimeout(): void {
    this.needsTimeout = this.firstEvent || this.intervalNs !== 0 || this.preciseIntervalNs !== 0;
  }

  private callInterval(t: bigint, delta: bigint): void {
    const L = this.L;
    lua.lua_getglobal(L, K('on_interval'));
    lua.lua_pushnumber(L, Number(t / 1000000000n));
    lua.lua_pushnumber(L, Number(t % 1000000000n));
    lua.lua_pushnumber(L, Number(delta));
    if (this.pcall(L, 3, 1) !== lua.LUA_OK) {
      throw new ChiselError(`${this.name} chisel error: calling on_interval() failed:${this.errText(L)}`);
    }
    const ok = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    if (!ok) throw new ChiselError(`execution terminated by the ${this.name} chisel`);
  }

  /**
   * Runs the chisel on the current event (after doTimeout). Returns the
   * formatter line to print, if any.
   */
  run(ctx: EvalContext): string | undefined {
    if (!this.sawEvent) this.sawEvent = true;
    if (this.filter) {
      const m = this.typeMask;
      if (m !== undefined && m[ctx.ev.type] !== 1) return undefined;
      if (!this.filter.match(ctx)) return undefined;
    }
    if (this.groups.length) {
      let fallback = false;
      for (const g of this.groups) if (!g.add(ctx)) fallback = true;
      if (!fallback && this.nativeOnly) {
        return this.formatter ? this.formatter.render(ctx) : undefined;
      }
    }
    if (this.hasOnEvent) {
      const L = this.L;
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.onEventRef);
      if (this.pcall(L, 0, 1) !== lua.LUA_OK) throw new ChiselError(`${this.name} chisel error: ${this.errText(L)}`);
      const ok = lua.lua_toboolean(L, -1);
      lua.lua_pop(L, 1);
      if (this.endCapture) throw new CaptureInterrupt();
      if (!ok) return undefined;
    }
    if (this.formatter) return this.formatter.render(ctx);
    return undefined;
  }

  // ---- the API ----

  private installApi(L: LuaState): void {
    const env = this.env;
    const run = env.run;
    const self = (): Chisel => ((this as any).redirect as Chisel | undefined) ?? this;
    const lib = (name: string, fns: Record<string, (L: LuaState) => number>) => {
      lua.lua_createtable(L, 0, Object.keys(fns).length);
      for (const [k, f] of Object.entries(fns)) {
        const wrapped = (L: LuaState): number => {
          try {
            return f(L);
          } catch (e) {
            if (e instanceof LuaExit) { self().pendingExit = e; throw e; }
            if (e instanceof ChiselError) return failWith(L, env, e.message);
            // Lua errors raised by the API pass through untouched.
            throw e;
          }
        };
        lua.lua_pushcfunction(L, wrapped);
        lua.lua_setfield(L, -2, K(k));
      }
      lua.lua_setglobal(L, K(name));
    };
    // os.exit must unwind through pcall: remember it.
    lua.lua_getglobal(L, K('os'));
    lua.lua_getfield(L, -1, K('exit'));
    const exitFn = lua.lua_tocfunction(L, -1);
    lua.lua_pop(L, 1);
    lua.lua_pushcfunction(L, (L: LuaState) => {
      try { return exitFn(L); } catch (e) { if (e instanceof LuaExit) self().pendingExit = e; throw e; }
    });
    lua.lua_setfield(L, -2, K('exit'));
    lua.lua_pop(L, 1);

    // sysdig hands the event to a chisel's Lua state when it runs the chisel
    // on it: before the first such event, evt.* calls fail.
    const needEvent = (L: LuaState, what: string): boolean => {
      if (self().sawEvent) return true;
      failWith(L, env, `invalid call to evt.${what}()`);
      return false;
    };

    lib('evt', {
      field: (L) => {
        const h = lua.lua_touserdata(L, 1) as FieldHandle | null;
        if (!self().sawEvent) return failWith(L, env, 'invalid call to evt.field()');
        if (!h || typeof h !== 'object' || !('bound' in h)) { lua.lua_pushnil(L); return 1; }
        let v: FieldValue;
        try {
          v = h.get(run.ctx);
        } catch (e) {
          // sysdig's exception for a thread without private state comes without a message
          if (e instanceof ThreadStateError) return cxxError(L);
          return failWith(L, env, (e as Error).message);
        }
        if (v === undefined) { lua.lua_pushnil(L); return 1; }
        return h.push(L, v);
      },
      get_num: (L) => { if (!needEvent(L, 'get_num')) return 0; lua.lua_pushnumber(L, run.ctx.ev.num); return 1; },
      get_ts: (L) => {
        if (!needEvent(L, 'get_ts')) return 0;
        lua.lua_pushnumber(L, run.ctx.ev.sec >>> 0);
        lua.lua_pushnumber(L, run.ctx.ev.nsec);
        return 2;
      },
      get_type: (L) => { if (!needEvent(L, 'get_type')) return 0; pushText(L, eventTypeName(run.ctx.ev)); return 1; },
      get_cpuid: (L) => { if (!needEvent(L, 'get_cpuid')) return 0; lua.lua_pushnumber(L, run.ctx.ev.cpu); return 1; },
    });

    lib('chisel', {
      request_field: (L) => {
        const name = toText(L, 1);
        if (name === undefined) return failWith(L, env, 'chisel requesting nil field');
        const bound = requestField(name);
        if (bound === undefined) return failWith(L, env, 'chisel requesting nonexistent field ' + name);
        // a known field sysdig's parse_field_name refuses (an argument missing
        // or malformed, a filter-only field): its exception, without a message
        if (bound === null) return cxxError(L);
        // sysdig reads fields for chisels the way it prints them (strings
        // cleaned of non-printable bytes, evt.buffer rendered in the output
        // format), except raw byte buffers and numbers, which come as they are.
        const asText = bound.def.name === 'evt.buffer' ||
          ((bound.type === PT.CHARBUF || bound.type === PT.FSPATH || bound.type === PT.FSRELPATH) && !bound.def.name.startsWith('evt.rawarg'));
        const h: FieldHandle = {
          bound, get: asText ? bound.display : bound.extract, push: pusherFor(asText ? PT.CHARBUF : bound.type, name, env.err), name,
          kind: asText ? 'text' : NUMERIC_TYPES.has(bound.type) ? 'number' : 'other',
        };
        lua.lua_pushlightuserdata(L, h);
        return 1;
      },
      set_filter: (L) => {
        const text = toBytesString(L, 1);
        const c = self();
        try {
          c.filter = text === '' ? undefined : env.compileFilter(text);
          c.typeMask = c.filter && env.filterTypeMask ? env.filterTypeMask(c.filter) : undefined;
        } catch (e) {
          return failWith(L, env, `invalid filter in chisel ${c.name}: ${(e as Error).message}`);
        }
        return 0;
      },
      set_event_formatter: (L) => {
        const text = toBytesString(L, 1);
        const c = self();
        try {
          c.formatter = env.compileFormat(text === '' || text === 'default' ? DEFAULT_OUTPUT : text);
        } catch (e) {
          return failWith(L, env, (e as Error).message);
        }
        return 0;
      },
      set_interval_ns: (L) => { const c = self(); c.intervalNs = toU64(lua.lua_tonumber(L, 1)); c.updateNeedsTimeout(); return 0; },
      set_interval_s: (L) => { const c = self(); c.intervalNs = toU64(lua.lua_tonumber(L, 1)) * NS; c.updateNeedsTimeout(); return 0; },
      set_precise_interval_ns: (L) => { const c = self(); c.preciseIntervalNs = toU64(lua.lua_tonumber(L, 1)); c.updateNeedsTimeout(); return 0; },
      exec: (L) => {
        const c = self();
        const target = toText(L, 1);
        if (target === undefined) return failWith(L, env, `invalid exec field name in chisel ${c.name}`);
        c.newChiselToExec = target;
        c.argvals = [];
        for (let i = 2; ; i++) {
          const t = lua.lua_type(L, i);
          if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) break;
          c.argvals.push(toBytesString(L, i));
        }
        return 0;
      },
    });

    lib('sysdig', {
      set_filter: (L) => {
        const text = toBytesString(L, 1);
        try { env.setGlobalFilter(text); } catch (e) {
          return failWith(L, env, `invalid filter in chisel ${self().name}: ${(e as Error).message}`);
        }
        return 0;
      },
      set_snaplen: (L) => { env.setSnaplen(lua.lua_tonumber(L, 1)); return 0; },
      set_output_format: (L) => {
        const fmt = toText(L, 1) ?? '';
        if (!env.setBufferFormat(fmt)) return failWith(L, env, `invalid set_output_format value in chisel ${self().name}`);
        return 0;
      },
      set_fatfile_dump_mode: () => 0,
      is_live: (L) => { lua.lua_pushboolean(L, env.isLive); return 1; },
      is_tty: (L) => { lua.lua_pushboolean(L, stdoutIsTTY() ? 1 : 0); return 1; },
      get_terminal_info: (L) => {
        lua.lua_createtable(L, 0, 2);
        const tty = stdoutIsTTY();
        lua.lua_pushnumber(L, tty ? process.stdout.columns : -1); lua.lua_setfield(L, -2, K('width'));
        lua.lua_pushnumber(L, tty ? process.stdout.rows : -1); lua.lua_setfield(L, -2, K('height'));
        return 1;
      },
      get_filter: (L) => { pushBytes(L, env.getGlobalFilter()); return 1; },
      get_machine_info: (L) => {
        const mi = run.opened ? run.ctx.state.machine : undefined;
        if (!mi) return failWith(L, env, 'get_machine_info can only be called from the on_capture_start callback');
        lua.lua_createtable(L, 0, 4);
        lua.lua_pushnumber(L, mi.numCpus); lua.lua_setfield(L, -2, K('num_cpus'));
        lua.lua_pushnumber(L, mi.memorySizeBytes); lua.lua_setfield(L, -2, K('memory_size_bytes'));
        lua.lua_pushnumber(L, mi.maxPid); lua.lua_setfield(L, -2, K('max_pid'));
        pushBytes(L, mi.hostname); lua.lua_setfield(L, -2, K('hostname'));
        return 1;
      },
      get_thread_table: (L) => threadTable(L, true, false),
      get_thread_table_nofds: (L) => threadTable(L, false, false),
      get_thread_table_barebone: (L) => threadTable(L, true, true),
      get_thread_table_barebone_nofds: (L) => threadTable(L, false, true),
      get_container_table: (L) => {
        lua.lua_createtable(L, 0, 0);
        let j = 0;
        for (const c of containerOrder(run.ctx.state)) {
          lua.lua_createtable(L, 0, 4);
          pushBytes(L, c.id); lua.lua_setfield(L, -2, K('id'));
          pushBytes(L, c.name); lua.lua_setfield(L, -2, K('name'));
          pushBytes(L, c.image); lua.lua_setfield(L, -2, K('image'));
          pushText(L, containerTypeName(c.type)); lua.lua_setfield(L, -2, K('type'));
          lua.lua_rawseti(L, -2, ++j);
        }
        return 1;
      },
      is_print_container_data: (L) => { lua.lua_pushboolean(L, env.printContainer); return 1; },
      get_output_format: (L) => { pushText(L, env.json ? 'json' : 'normal'); return 1; },
      get_evtsource_name: (L) => { pushText(L, env.isLive ? '' : run.inputFile); return 1; },
      get_firstevent_ts: (L) => { pushText(L, run.hasFirst ? ts64(run.firstHi, run.firstLo).toString() : '0'); return 1; },
      get_lastevent_ts: (L) => { pushText(L, ts64(run.lastHi, run.lastLo).toString()); return 1; },
      make_ts: (L) => {
        const a = BigInt(toU32(lua.lua_tonumber(L, 1))), b = BigInt(toU32(lua.lua_tonumber(L, 2)));
        pushText(L, BigInt.asIntN(64, a * 1000000000n + b).toString());
        return 1;
      },
      add_ts: (L) => { pushText(L, BigInt.asIntN(64, parseU64(toText(L, 1)) + parseU64(toText(L, 2))).toString()); return 1; },
      subtract_ts: (L) => { pushText(L, BigInt.asIntN(64, parseU64(toText(L, 1)) - parseU64(toText(L, 2))).toString()); return 1; },
      run_app: (L) => { self().nextRunArgs = toText(L, 1) ?? ''; return 0; },
      end_capture: () => { self().endCapture = true; return 0; },
      // sysdig's logger writes only with -D: "MM-DD HH:MM:SS.micros message", local time,
      // whatever the severity; the message is a C string. A message or
      // severity that is not a string or number is sysdig's C++ exception.
      log: (L) => {
        const msg = luaCString(L, 1);
        if (msg === undefined || luaCString(L, 2) === undefined) return cxxError(L);
        if (!env.debugLog) return 0;
        const now = performance.timeOrigin + performance.now(); // ms, with microseconds
        const d = new Date(Math.floor(now));
        const two = (n: number) => String(n).padStart(2, '0');
        const stamp = `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.` +
          String(Math.floor((now % 1000) * 1000)).padStart(6, '0');
        env.err.write(latin1Bytes(stamp + ' ' + msg + '\n'));
        return 0;
      },
      // As sysdig: each udp_setpeername opens a new IPv4 datagram socket
      // (sysdig leaves the previous one open; scry closes it) and
      // udp_send sends the string, up to its first NUL, in one sendto.
      udp_setpeername: (L) => {
        const addr = luaCString(L, 1), portText = luaCString(L, 2);
        if (addr === undefined || portText === undefined) return cxxError(L); // std::string from NULL
        // sinsp_numparser::parseu16: sscanf "%u%c", strtoul's value cut to 16 bits
        const v = scanInteger(portText, false);
        if (v === undefined) return cxxError(L); // sinsp_numparser throws
        const port = Number(v & 0xffffn);
        const c = self();
        c.closeUdp();
        let native: NativeModule;
        try { native = loadNative(); } catch (e) { return failWith(L, env, `udp_setpeername error: ${(e as Error).message}`); }
        const fd = native.udpSocket();
        if (fd < 0) return failWith(L, env, 'udp_setpeername error: unable to create the socket');
        const ip = Buffer.alloc(4);
        const ok = inetPton4(addr, ip);
        c.udp = { fd, ip, port, native };
        if (!ok) return failWith(L, env, 'inet_pton error occurred');
        return 0;
      },
      udp_send: (L) => {
        const msg = luaCString(L, 1);
        if (msg === undefined) return cxxError(L);
        const u = self().udp;
        const sent = u ? u.native.udpSendTo(u.fd, u.ip, u.port, Buffer.from(msg, 'latin1')) : -9; // no socket: EBADF
        if (sent < 0) return failWith(L, env, 'udp_send error: cannot send the buffer: ');
        return 0;
      },
      get_read_progress: (L) => { lua.lua_pushnumber(L, run.progress()); return 1; },
    });

    // scry's own extension (absent under sysdig): aggregations run natively.
    lib('scry', {
      // group_by(key handles, value handle [, scale]): sums the value per key
      // for every event that reaches on_event, exactly as the Lua loop
      //   local k; for each key field: v = evt.field(f); if v == nil then skip event;
      //     k = k and (k .. "\001\001" .. v) or v
      //   v = evt.field(value); if scale then t[k] = (t[k] or 0) + v * scale
      //   elseif v ~= nil and v > 0 then t[k] = (t[k] or 0) + v end
      // would, and replaces the chisel's on_event. Returns a group id, or nil
      // when it cannot stand for that loop (the chisel then keeps its on_event).
      group_by: (L) => {
        const c = self();
        const keys: FieldHandle[] = [];
        lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
        for (let i = 1; ; i++) {
          lua.lua_rawgeti(L, 1, i);
          const h = lua.lua_touserdata(L, -1) as FieldHandle | null;
          lua.lua_pop(L, 1);
          if (!h || typeof h !== 'object' || !('bound' in h)) break;
          keys.push(h);
        }
        const vh = lua.lua_touserdata(L, 2) as FieldHandle | null;
        const scale = lua.lua_isnoneornil(L, 3) ? undefined : lua.lua_tonumber(L, 3);
        if (!keys.length || !vh || typeof vh !== 'object' || !('bound' in vh) || !keys.every((k) => k.kind !== 'other') || vh.kind !== 'number') {
          lua.lua_pushnil(L);
          return 1;
        }
        c.groups.push(new NativeGroup(keys, vh, scale));
        c.nativeOnly = true;
        lua.lua_pushnumber(L, c.groups.length);
        return 1;
      },
      // group_totals(id): the key -> total table.
      group_totals: (L) => {
        const g = self().groups[lua.lua_tonumber(L, 1) - 1];
        lua.lua_createtable(L, 0, g ? g.totals.size : 0);
        if (g) {
          for (const [k, v] of g.totals) {
            if (typeof k === 'number') lua.lua_pushnumber(L, k); else pushBytes(L, k);
            lua.lua_pushnumber(L, v);
            lua.lua_rawset(L, -3);
          }
        }
        return 1;
      },
      group_reset: (L) => {
        const g = self().groups[lua.lua_tonumber(L, 1) - 1];
        if (g) g.reset();
        return 0;
      },
    });

    const threadTable = (L: LuaState, includeFds: boolean, barebone: boolean): number => {
      let filter: Matcher | undefined;
      const state = run.ctx.state;
      if (lua.lua_type(L, 1) === lua.LUA_TSTRING || lua.lua_type(L, 1) === lua.LUA_TNUMBER) {
        const text = toBytesString(L, 1);
        lua.lua_settop(L, 0);
        if (text !== '') {
          try {
            filter = env.compileThreadTableFilter(text);
          } catch (e) {
            return failWith(L, env, `invalid filter argument for get_thread_table in chisel ${self().name}: ${(e as Error).message}`);
          }
        }
      }
      const fake = filter ? fakeReadEvent(run) : undefined;
      const match = (t: ThreadInfo, fdNum: number, fd: FdInfo): boolean => {
        const view = Object.create(state, {
          thread: { value: t }, fd: { value: fd }, fdNum: { value: fdNum }, enterEvent: { value: undefined },
          eventFlags: { value: fake!.info.flags },
        }) as StateView;
        fake!.buf.writeBigInt64LE(BigInt(t.tid), 8);
        fake!.set(fake!.buf, 0, 0, 0, 0);
        return filter!.match({ ev: fake!, state: view });
      };
      lua.lua_createtable(L, 0, 0);
      for (const t of threadOrder(state)) {
        if (filter) {
          let any = false;
          for (const [n, f] of t.fds) if (match(t, n, f)) { any = true; break; }
          if (!any) continue;
        }
        lua.lua_createtable(L, 0, 24);
        const num = (k: string, v: number) => { lua.lua_pushnumber(L, v); lua.lua_setfield(L, -2, K(k)); };
        const str = (k: string, v: string) => { pushBytes(L, v); lua.lua_setfield(L, -2, K(k)); };
        num('tid', t.tid >>> 0);
        num('pid', t.pid >>> 0);
        if (!barebone) {
          num('ptid', t.ptid >>> 0);
          str('comm', t.comm);
          str('exe', t.exe);
          num('flags', t.flags >>> 0);
          num('fdlimit', t.fdlimit >>> 0);
          num('uid', t.uid >>> 0);
          num('gid', t.gid >>> 0);
          num('nchilds', ((t as any).nchilds ?? 0) >>> 0);
          num('vmsize_kb', t.vmsizeKb >>> 0);
          num('vmrss_kb', t.vmrssKb >>> 0);
          num('vmswap_kb', t.vmswapKb >>> 0);
          num('pfmajor', toU32(t.pfmajor));
          num('pfminor', toU32(t.pfminor));
          str('clone_ts', (BigInt(t.cloneSec) * 1000000000n + BigInt(t.cloneNsec)).toString());
          const u = t.uid === 0xffffffff || t.uid === -1 ? undefined : state.users.get(t.uid);
          str('username', u ? u.name : '<NA>');
          lua.lua_createtable(L, t.args.length, 0);
          t.args.forEach((a, j) => { pushBytes(L, a); lua.lua_rawseti(L, -2, j + 1); });
          lua.lua_setfield(L, -2, K('args'));
          // (threads show their process's environment)
          const envOf = state.mainThread(t)?.env ?? t.env;
          const env = envOf.length || t === state.mainThread(t) ? envOf : t.env;
          lua.lua_createtable(L, env.length, 0);
          env.forEach((a, j) => { pushBytes(L, a); lua.lua_rawseti(L, -2, j + 1); });
          lua.lua_setfield(L, -2, K('env'));
        }
        lua.lua_createtable(L, 0, 0);
        if (includeFds) {
          for (const n of unorderedIntMapOrder(t.fds.keys())) {
            const f = t.fds.get(n)!;
            if (filter && !match(t, n, f)) continue;
            lua.lua_createtable(L, 0, 8);
            if (!barebone) {
              str('name', fdCleanName(f));
              str('type', fdTypeName(f));
            }
            pushSocketInfo(L, f);
            lua.lua_rawseti(L, -2, n >>> 0);
          }
        }
        lua.lua_setfield(L, -2, K('fdtable'));
        lua.lua_rawseti(L, -2, t.tid >>> 0);
      }
      return 1;
    };
  }
}

/** Thrown when a chisel called sysdig.end_capture(): the run ends as at end of file. */
export class CaptureInterrupt extends Error {}

const DEFAULT_OUTPUT = '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info';

function toU64(n: number): number {
  if (!(n > 0)) return 0;
  return Math.trunc(n);
}

/** A value cut to its low 32 bits, as C's (uint32_t) (u64 counters past 2^53 come as bigints). */
function toU32(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : v >>> 0;
}

/** sinsp_numparser::parseu64: strtoull-like, whole string must be digits. */
function parseU64(s: string | undefined): bigint {
  if (s === undefined) return 0n;
  const m = /^\s*(\d+)/.exec(s);
  if (!m) return 0n;
  return BigInt.asUintN(64, BigInt(m[1]));
}

let fieldResolver: ((name: string) => BoundField | undefined | null) | undefined;

/** The field catalog lookup (set by the runner; defaults to lib/fields/registry). */
export function setFieldResolver(f: (name: string) => BoundField | undefined | null): void {
  fieldResolver = f;
}

/**
 * A chisel's field: undefined when no field class knows the name (sysdig's
 * "nonexistent field"), null when one does but refuses it as a display field
 * (a missing or bad argument, a filter-only field).
 */
function requestField(name: string): BoundField | undefined | null {
  if (!fieldResolver) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const reg = require('../fields/registry');
    fieldResolver = (text: string) => {
      const r = reg.resolveField(text, 0);
      if (!r) return undefined;
      if (r.def.filterOnly && !r.def.displayMissing) return null;
      return reg.bindField(r.def, r.arg, text.slice(0, r.end));
    };
  }
  try {
    return fieldResolver!(name);
  } catch {
    return null;
  }
}

function fakeReadEvent(run: RunState): ScapEvent {
  const b = Buffer.alloc(26);
  b.writeBigUInt64LE(ts64(run.lastHi, run.lastLo), 0);
  b.writeUInt32LE(26, 16);
  b.writeUInt16LE(E.SYSCALL_READ_X, 20);
  b.writeUInt32LE(0, 22);
  const ev = new ScapEvent();
  ev.set(b, 0, 0, 0, 0);
  void EVENTS;
  return ev;
}

/**
 * Threads in the order sysdig hands them to a chisel: its thread table is a
 * std::unordered_map keyed by tid (and each fd table one keyed by fd), which
 * iterates in an order set by the keys and the order they came in. The
 * engine's maps keep that order; the Lua table they are copied into then
 * orders them its own way (luajit-table.ts).
 */
function threadOrder(state: StateView): ThreadInfo[] {
  const byTid = state.threads;
  return unorderedIntMapOrder(byTid.keys()).map((tid) => byTid.get(tid)!);
}

/** sysdig's container table is a std::unordered_map keyed by id: chisels see it in that map's order. */
function containerOrder(state: StateView) {
  const byId = state.containers;
  return unorderedMapOrder(byId.keys()).map((id) => byId.get(id)!);
}

/** sysdig's type names in the chisel container table (chisel_api.cpp): types it does not list (podman, static, custom) are "unknown". */
function containerTypeName(t: string): string {
  return CHISEL_TYPE_NAMES[t] ?? 'unknown';
}
const CHISEL_TYPE_NAMES: Record<string, string> = {
  docker: 'docker', lxc: 'lxc', 'libvirt-lxc': 'libvirt_lxc', mesos: 'mesos', rkt: 'rkt', cri: 'cri', containerd: 'containerd', 'cri-o': 'cri-o', bpm: 'bpm',
};

/** sinsp_fdinfo::tostring_clean: the fd name without non-printable characters. */
function fdCleanName(f: FdInfo): string {
  // eslint-disable-next-line no-control-regex
  return f.name.replace(/[\x00-\x1f\x7f]/g, '');
}

/** The socket entries of sysdig's get_thread_table: the client and server ends of a connection, a server socket's address. */
function pushSocketInfo(L: LuaState, f: FdInfo): void {
  const t = fdType(f);
  const v4 = t === FDT.IPV4_SOCK || t === FDT.IPV4_SERVSOCK;
  if (!v4 && t !== FDT.IPV6_SOCK && t !== FDT.IPV6_SERVSOCK) return;
  const zero = v4 ? 4 : 16;
  const addr = (b: Buffer | undefined): string => {
    const a = b ?? Buffer.alloc(zero);
    return v4 ? `${a[0]}.${a[1]}.${a[2]}.${a[3]}` : ipv6Text(a);
  };
  if (t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK) {
    pushText(L, addr(f.sip)); lua.lua_setfield(L, -2, K('cip'));
    pushText(L, addr(f.dip)); lua.lua_setfield(L, -2, K('sip'));
    lua.lua_pushnumber(L, f.sport); lua.lua_setfield(L, -2, K('cport'));
    lua.lua_pushnumber(L, f.dport); lua.lua_setfield(L, -2, K('sport'));
    lua.lua_pushboolean(L, f.role === 'server' ? 1 : 0); lua.lua_setfield(L, -2, K('is_server'));
  } else {
    pushText(L, addr(f.sip)); lua.lua_setfield(L, -2, K('sip'));
    lua.lua_pushnumber(L, f.sport); lua.lua_setfield(L, -2, K('sport'));
    lua.lua_pushboolean(L, 1); lua.lua_setfield(L, -2, K('is_server'));
  }
  const l4p = fdL4proto(f);
  const l4 = l4p === L4P.TCP ? 'tcp' : l4p === L4P.UDP ? 'udp' : l4p === L4P.ICMP ? 'icmp' : l4p === L4P.RAW ? 'raw' : '<NA>';
  pushText(L, l4); lua.lua_setfield(L, -2, K('l4proto'));
}

/**
 * The directory of a chisel named by a path outside the search directories,
 * which then comes last in its own search path: the modules and chisels it
 * loads (`require "http"`, `chisel.exec("table_generator")`) are found
 * beside it, as with a copy of sysdig's chisel directory, while scry's own
 * come first. (sysdig searches its installed directories only.)
 */
function ownDirectory(file: string, dirs: string[]): string | undefined {
  let dir: string;
  try {
    dir = fs.realpathSync(nodePath.dirname(file)) + '/';
  } catch {
    return undefined;
  }
  for (const d of dirs) {
    try {
      if (fs.realpathSync(d) + '/' === dir) return undefined;
    } catch { /* not there */ }
  }
  return dir;
}

/** Finds a chisel file: NAME.lua, then NAME as is, in each directory ('' = as given). */
export function findChiselFile(name: string, dirs: string[]): string | undefined {
  for (const cand of [name + '.lua', name]) {
    for (const d of ['', ...dirs]) {
      const p = d + cand;
      try {
        if (fs.statSync(p).isFile()) return p;
      } catch { /* next */ }
    }
  }
  return undefined;
}

/** parse_lua_chisel_args: the args table, each entry a table with name/argtype/description/optional. */
function parseArgsTable(L: LuaState, out: ChiselArgDesc[], sink: ByteSink): void {
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    const vt = lua.lua_type(L, -1);
    if (vt === lua.LUA_TSTRING || vt === lua.LUA_TNUMBER) {
      // sysdig prints such entries (a leftover debug line) and takes them as the description.
      sink.write(luaText(`${keyText(L, -2)} = ${toText(L, -1)}\n`));
    } else if (vt === lua.LUA_TTABLE) {
      const a: ChiselArgDesc = { name: '', type: '', description: '', optional: false };
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        const k = keyText(L, -2);
        const t = lua.lua_type(L, -1);
        if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) {
          if (k === 'name') a.name = toText(L, -1)!;
          else if (k === 'argtype') a.type = toText(L, -1)!;
          else if (k === 'description') a.description = toText(L, -1)!;
        } else if (t === lua.LUA_TBOOLEAN) {
          if (k === 'optional') a.optional = !!lua.lua_toboolean(L, -1);
        } else {
          throw new Error(`${k} is not a string`);
        }
        lua.lua_pop(L, 1);
      }
      out.push(a);
    } else {
      throw new Error(`${keyText(L, -2)} is not a string`);
    }
    lua.lua_pop(L, 1);
  }
}

function keyText(L: LuaState, i: number): string {
  const t = lua.lua_type(L, i);
  if (t === lua.LUA_TSTRING) return toText(L, i) ?? '';
  if (t === lua.LUA_TNUMBER) return require('./numfmt').numberToString(lua.lua_tonumber(L, i));
  return '';
}

/** sinsp_chisel::set_args(string): blank-separated words; '…' or `…` quote. */
export function splitChiselArgs(args: string, name: string): string[] {
  const s = args.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
  const vals: string[] = [];
  if (s.length === 0) return vals;
  let begin = 0, inq = false, corr = 0, j = 0;
  for (; j < s.length; j++) {
    const ch = s[j];
    if (ch === ' ' && !inq) {
      vals.push(s.substr(begin, j - corr - begin));
      begin = j + 1;
      corr = 0;
    } else if (ch === "'" || ch === '`') {
      if (inq) { corr = 1; inq = false; } else { begin++; inq = true; }
    }
  }
  if (inq) throw new ChiselError(`corrupted parameters for chisel ${name}`);
  vals.push(s.substr(begin, j - corr - begin));
  return vals;
}

/** Reads a chisel's description (for -cl and -i), or undefined when sysdig would skip the file. */
export function describeChisel(path: string, name: string, dirs: string[]): ChiselDesc | undefined {
  const sink: ByteSink = { write() { /* listing is silent */ }, flush() { /* nothing */ } };
  let L: LuaState;
  try {
    L = newState({ out: sink, err: sink, packageDirs: dirs });
  } catch {
    return undefined;
  }
  // The API tables answer any call with nothing: listing only runs the
  // chisel's top level.
  for (const t of ['sysdig', 'chisel', 'evt']) {
    lua.lua_createtable(L, 0, 0);
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushcfunction(L, (L: LuaState) => { lua.lua_pushcfunction(L, () => 0); return 1; });
    lua.lua_setfield(L, -2, K('__index'));
    lua.lua_setmetatable(L, -2);
    lua.lua_setglobal(L, K(t));
  }
  let text: Buffer;
  try { text = fs.readFileSync(path); } catch { return undefined; }
  const code = new Uint8Array(text.buffer, text.byteOffset, text.length);
  try {
    if (lauxlib.luaL_loadbuffer(L, code, null, code) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) return undefined;
  } catch {
    return undefined;
  }
  const d: ChiselDesc = { name, description: '', shortDescription: '', category: '', args: [], isView: false, path };
  const gstr = (k: string): string | undefined => {
    lua.lua_getglobal(L, K(k));
    const t = lua.lua_type(L, -1);
    const v = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? toText(L, -1) : undefined;
    lua.lua_pop(L, 1);
    return v;
  };
  const desc = gstr('description');
  if (desc === undefined) {
    lua.lua_getglobal(L, K('view_info'));
    const isView = !lua.lua_isnoneornil(L, -1);
    lua.lua_pop(L, 1);
    if (!isView) return undefined;
    d.isView = true;
    return d;
  }
  d.description = desc;
  const sd = gstr('short_description');
  if (sd === undefined) return undefined;
  d.shortDescription = sd;
  d.category = gstr('category') ?? '';
  lua.lua_getglobal(L, K('hidden'));
  const hidden = lua.lua_type(L, -1) === lua.LUA_TBOOLEAN && lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  if (hidden) return undefined;
  lua.lua_getglobal(L, K('args'));
  if (lua.lua_isnoneornil(L, -1)) return undefined;
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) return undefined;
  try {
    parseArgsTable(L, d.args, sink);
  } catch {
    return undefined;
  }
  return d;
}
