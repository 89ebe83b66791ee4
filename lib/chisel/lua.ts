// fengari (Lua 5.3 in JavaScript) made to behave like the Lua sysdig runs
// chisels on (LuaJIT 2.1, Lua 5.1 semantics):
//  - every number is a double: numerals and string conversions give floats,
//    so arithmetic never wraps at fengari's 32-bit integers;
//  - numbers print as "%.14g" (no "5.0"), inf/-inf/nan as LuaJIT spells them;
//  - functions taking integers truncate fractional arguments;
//  - tostring, print, string.format, io, os.exit and the 5.1 globals
//    (unpack, loadstring, table.getn, math.pow, ...) behave as there.
// Output goes to a byte sink the host provides, not to process.stdout.

/* eslint-disable @typescript-eslint/no-explicit-any */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import { numberToString, formatInteger, formatFloat, formatText, Spec } from './numfmt';
import { LjTable, LjKey, NOT_IN_TABLE } from './luajit-table';

import { fengari } from './fengari-load';
export { fengari };
export const lua: any = fengari.lua;
export const lauxlib: any = fengari.lauxlib;
export const lualib: any = fengari.lualib;
const lobject: any = require('fengari/src/lobject.js');
const lvm: any = require('fengari/src/lvm.js');
const lstring: any = require('fengari/src/lstring.js');

export type LuaState = any;
export type LuaString = Uint8Array;

// ---------------------------------------------------------------------------
// VM patches (process-wide; scry runs no other Lua)

let patched = false;

function patchVm(): void {
  if (patched) return;
  patched = true;
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: any): number => {
    const r = str2num(s, o);
    if (r !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
    return r;
  };
  lobject.luaO_tostring = (L: any, obj: any): void => {
    obj.setsvalue(lstring.luaS_bless(L, latin1Bytes(numberToString(obj.value))));
  };
  // next()/pairs(). Tables whose keys are all numbers or booleans are walked
  // in LuaJIT's order (luajit-table.ts: each such table's layout is replayed
  // as its keys are set). Others: the array part (1..n) first, in order,
  // then the other keys in insertion order. (fengari keeps one
  // insertion-ordered map, and table constructors fill it from the last
  // element down.)
  const ltable: any = require('fengari/src/ltable.js');
  const defs: any = require('fengari/src/defs.js');
  const T = defs.constant_types;
  const TNUMINT = T.LUA_TNUMINT;
  const rawSetInt = ltable.luaH_setint;
  const rawSetFrom = ltable.luaH_setfrom;
  const noLayout = (t: any): void => { t.scryLj = undefined; t.scryLjOff = true; };
  const layoutSet = (t: any, k: LjKey, had: boolean, live: boolean): void => {
    if (had && live) return; // a value replaced: the key stays where it is
    let lj: LjTable | undefined = t.scryLj;
    if (lj === undefined) t.scryLj = lj = new LjTable();
    lj.set(k, live);
  };
  ltable.luaH_setint = (t: any, key: number, value: any): void => {
    if (t.scryLjOff) { rawSetInt(t, key, value); return; }
    const had = t.strong.has(key);
    rawSetInt(t, key, value);
    layoutSet(t, key, had, !value.ttisnil());
  };
  ltable.luaH_setfrom = (L: any, t: any, key: any, value: any): void => {
    if (t.scryLjOff) { rawSetFrom(L, t, key, value); return; }
    const type = key.type;
    if (type === TNUMINT || type === T.LUA_TNUMFLT || type === T.LUA_TBOOLEAN) {
      const k = key.value as LjKey;
      const had = t.strong.has(k);
      rawSetFrom(L, t, key, value); // (throws for a NaN key)
      layoutSet(t, k === 0 ? 0 : k, had, !value.ttisnil());
      return;
    }
    rawSetFrom(L, t, key, value);
    noLayout(t);
  };
  const rawNext = ltable.luaH_next;
  const arrayKey = (k: any, n: number): number => {
    if (!k.ttisnumber()) return 0;
    const v = k.value;
    return Number.isInteger(v) && v >= 1 && v <= n ? v : 0;
  };
  const hashNext = (L: any, t: any, keyI: number, n: number): boolean => {
    for (;;) {
      if (!rawNext(L, t, keyI)) return false;
      if (!arrayKey(L.stack[keyI], n)) return true;
    }
  };
  const layoutNext = (L: any, t: any, lj: LjTable, keyI: number): boolean => {
    const key = L.stack[keyI];
    const k = lj.after(key.ttisnil() ? undefined : key.value as LjKey);
    if (k === NOT_IN_TABLE) return rawNext(L, t, keyI); // (raises "invalid key to 'next'")
    if (k === undefined) return false;
    const entry = t.strong.get(k);
    // (a key set as -0 is 0 in LuaJIT; fengari keeps the first spelling)
    if (Object.is(entry.key.value, -0)) L.stack[keyI] = new lobject.TValue(TNUMINT, 0);
    else lobject.setobj2s(L, keyI, entry.key);
    lobject.setobj2s(L, keyI + 1, entry.value);
    return true;
  };
  ltable.luaH_next = (L: any, t: any, keyI: number): boolean => {
    if (t.scryLj !== undefined) return layoutNext(L, t, t.scryLj, keyI);
    const key = L.stack[keyI];
    let n: number;
    let from: number;
    if (key.ttisnil()) {
      n = ltable.luaH_getn(t);
      t.scryArrayN = n;
      from = 0;
    } else {
      n = t.scryArrayN ?? ltable.luaH_getn(t);
      from = arrayKey(key, n);
      if (!from) return hashNext(L, t, keyI, n);
    }
    for (let j = from + 1; j <= n; j++) {
      const v = ltable.luaH_getint(t, j);
      if (!v.ttisnil()) {
        L.stack[keyI] = new lobject.TValue(TNUMINT, j);
        lobject.setobj2s(L, keyI + 1, v);
        return true;
      }
    }
    L.stack[keyI] = new lobject.TValue(defs.constant_types.LUA_TNIL, null);
    return hashNext(L, t, keyI, n);
  };
  // lua_tointeger (behind luaL_checkinteger): truncate like LuaJIT instead of failing.
  lvm.tointeger = (o: any): number | false => {
    if (o.ttisinteger()) return o.value;
    let n: number | false;
    if (o.ttisfloat()) n = o.value;
    else {
      n = lvm.tonumber(o);
      if (n === false) return false;
    }
    const t = Math.trunc(n as number);
    if (t >= -2147483648 && t <= 2147483647) return t;
    if (Number.isNaN(t)) return false;
    return t > 0 ? 2147483647 : -2147483648;
  };
}

// ---------------------------------------------------------------------------
// Strings

const textEncoder = new TextEncoder();

/** JS text → Lua string bytes (UTF-8). */
export function luaText(s: string): LuaString {
  return textEncoder.encode(s);
}

/** Binary JS string (one char per byte) → bytes. */
export function latin1Bytes(s: string): LuaString {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Bytes → binary JS string (one char per byte). */
export function bytesLatin1(b: Uint8Array): string {
  if (b.length < 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

/** Bytes → JS text (UTF-8, invalid sequences replaced). */
export function bytesText(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
}

const nameCache = new Map<string, LuaString>();
/** Interned Lua string for a constant name. */
export function K(s: string): LuaString {
  let b = nameCache.get(s);
  if (!b) { b = luaText(s); nameCache.set(s, b); }
  return b;
}

export function pushText(L: LuaState, s: string): void {
  lua.lua_pushstring(L, luaText(s));
}

/** Pushes a byte string (event and capture text, lib/util/bytes.ts) as its bytes. */
export function pushBytes(L: LuaState, s: string): void {
  pushOwned(L, latin1Bytes(s));
}

/**
 * Pushes bytes as a Lua string without copying them (lua_pushstring copies):
 * for arrays nothing else holds or changes. Lua strings are never changed
 * in place, so an array may back several.
 */
export function pushOwned(L: LuaState, b: Uint8Array): void {
  lobject.pushsvalue2s(L, lstring.luaS_bless(L, b));
}

/** Lua value i as a byte string (one char per byte; '' for nil or non-strings). */
export function toBytesString(L: LuaState, i: number): string {
  const b = lua.lua_tolstring(L, i);
  return b === null || b === undefined ? '' : bytesLatin1(b);
}

export function toText(L: LuaState, i: number): string | undefined {
  const b = lua.lua_tolstring(L, i);
  return b === null || b === undefined ? undefined : bytesText(b);
}

// ---------------------------------------------------------------------------
// tostring as LuaJIT prints values

const ids = new WeakMap<object, number>();
let nextId = 0x40001000;
function addressOf(o: unknown): string {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return '0x00000000';
  let id = ids.get(o as object);
  if (id === undefined) { id = nextId; nextId += 0x38; ids.set(o as object, id); }
  return '0x7f' + id.toString(16).padStart(10, '0');
}

/** tostring(v) for the value at index i, as bytes (honours __tostring). */
export function toStringBytes(L: LuaState, i: number): LuaString {
  i = lua.lua_absindex(L, i);
  if (lauxlib.luaL_callmeta(L, i, K('__tostring'))) {
    const s = lua.lua_tolstring(L, -1);
    if (s === null || lua.lua_type(L, -1) !== lua.LUA_TSTRING && lua.lua_type(L, -1) !== lua.LUA_TNUMBER) {
      lauxlib.luaL_error(L, K("'__tostring' must return a string"));
    }
    lua.lua_pop(L, 1);
    return s;
  }
  switch (lua.lua_type(L, i)) {
    case lua.LUA_TNUMBER: return latin1Bytes(numberToString(lua.lua_tonumber(L, i)));
    case lua.LUA_TSTRING: return lua.lua_tolstring(L, i);
    case lua.LUA_TBOOLEAN: return lua.lua_toboolean(L, i) ? K('true') : K('false');
    case lua.LUA_TNIL: return K('nil');
    case lua.LUA_TFUNCTION: {
      const p = lua.lua_topointer(L, i);
      return luaText('function: ' + (lua.lua_iscfunction(L, i) ? 'builtin#' + ((ids.get(p) ?? addressOf(p)) && (ids.get(p)! % 97)) : addressOf(p)));
    }
    default: {
      const t = bytesText(lua.lua_typename(L, lua.lua_type(L, i)));
      return luaText(t + ': ' + addressOf(lua.lua_topointer(L, i)));
    }
  }
}

// ---------------------------------------------------------------------------
// string.format

function argNumber(L: LuaState, arg: number): number {
  const t = lua.lua_type(L, arg);
  if (t === lua.LUA_TNUMBER) return lua.lua_tonumber(L, arg);
  if (t === lua.LUA_TSTRING) {
    const n = lua.lua_tonumberx(L, arg);
    if (n !== false && n !== null) return n;
  }
  argError(L, arg, 'number', t);
  return 0;
}

function argError(L: LuaState, arg: number, expected: string, t: number): void {
  const got = t === lua.LUA_TNONE ? 'no value' : bytesText(lua.lua_typename(L, t));
  lauxlib.luaL_argerror(L, arg, luaText(`${expected} expected, got ${got}`));
}

/** %q as LuaJIT writes it: \" \\ and an escaped newline; other control bytes in decimal. */
function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 10) out += '\\' + s[i];
    else if (c < 32 || c === 127) {
      const next = s.charCodeAt(i + 1);
      const digitNext = next >= 48 && next <= 57;
      out += '\\' + (digitNext ? String(c).padStart(3, '0') : String(c));
    } else out += s[i];
  }
  return out + '"';
}

/** A piece of a string.format format: literal text, a conversion, or the invalid one that ends it. */
type FormatPiece = { lit: string } | { spec: Spec } | { bad: string };

/**
 * A format split into pieces, as LuaJIT's string.format parses it: any
 * number of flags, at most two digits of width and of precision; a
 * conversion that is not one of LuaJIT's ends the format with an error
 * naming the spec through the offending character, raised when the walk
 * gets there (the arguments before it are still checked first).
 */
function compileFormat(fmt: string): FormatPiece[] {
  const pieces: FormatPiece[] = [];
  let lit = '';
  let i = 0;
  const n = fmt.length;
  const digit = (k: number) => k < n && fmt.charCodeAt(k) >= 48 && fmt.charCodeAt(k) <= 57;
  while (i < n) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) { lit += fmt.slice(i); break; }
    lit += fmt.slice(i, pct);
    i = pct + 1;
    if (fmt[i] === '%') { lit += '%'; i++; continue; }
    if (lit !== '') { pieces.push({ lit }); lit = ''; }
    let flags = '';
    while (i < n && '-+ #0'.includes(fmt[i])) flags += fmt[i++];
    let width = 0;
    if (digit(i)) { width = fmt.charCodeAt(i++) - 48; if (digit(i)) width = width * 10 + fmt.charCodeAt(i++) - 48; }
    let prec: number | undefined;
    if (fmt[i] === '.') {
      i++;
      prec = 0;
      if (digit(i)) { prec = fmt.charCodeAt(i++) - 48; if (digit(i)) prec = prec * 10 + fmt.charCodeAt(i++) - 48; }
    }
    const conv = i < n ? fmt[i] : '';
    if (conv !== '' && 'diuoxXceEfFgGaAsq'.includes(conv)) { pieces.push({ spec: { flags, width, prec, conv } }); i++; continue; }
    pieces.push({ bad: fmt.slice(pct, i + 1) });
    return pieces;
  }
  if (lit !== '') pieces.push({ lit });
  return pieces;
}

/** Compiled formats, by the format string's bytes (a format in a chisel's code is one Lua string). */
const formats = new WeakMap<Uint8Array, FormatPiece[]>();

/** string.format with LuaJIT's conversions. Works on binary strings. */
function strFormat(L: LuaState): number {
  const top = lua.lua_gettop(L);
  const fmtBytes: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  let pieces = formats.get(fmtBytes);
  if (pieces === undefined) formats.set(fmtBytes, pieces = compileFormat(bytesLatin1(fmtBytes)));
  let arg = 1;
  let out = '';
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p];
    if ('lit' in piece) { out += piece.lit; continue; }
    if ('bad' in piece) { lauxlib.luaL_error(L, K('%s'), latin1Bytes(`invalid option '${piece.bad}' to 'format'`)); break; }
    const spec = piece.spec;
    if (++arg > top) lauxlib.luaL_argerror(L, arg, K('value expected'));
    switch (spec.conv) {
      case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        out += formatInteger(argNumber(L, arg), spec); break;
      case 'c': out += formatText(String.fromCharCode(Number(BigInt.asUintN(8, BigInt(Math.trunc(argNumber(L, arg)) || 0)))), spec); break;
      case 's': out += formatText(bytesLatin1(toStringBytes(L, arg)), spec); break;
      case 'q': out += quoted(bytesLatin1(lauxlib.luaL_checklstring(L, arg))); break;
      default: out += formatFloat(argNumber(L, arg), spec); break;
    }
  }
  pushOwned(L, latin1Bytes(out));
  return 1;
}

// ---------------------------------------------------------------------------
// Output

export interface ByteSink {
  write(b: Uint8Array): void;
  flush(): void;
}

/** Raised through Lua by os.exit(); the host ends the run with `code`. */
export class LuaExit extends Error {
  constructor(readonly code: number) { super('os.exit'); }
}

// ---------------------------------------------------------------------------
// The io library: stdout/stderr through the sinks, files through fs.

interface FileHandle {
  kind: 'stdout' | 'stderr' | 'file';
  fd: number;
  closed: boolean;
  /** The file's bytes from readBase on, loaded by the first read there; readPos counts from readBase. */
  readBuf?: Buffer;
  readBase?: number;
  readPos: number;
  writable: boolean;
  /** Where the next write goes in a file (writes are positional, so f:seek moves them). */
  writePos?: number;
  /** The last operation was a write: the file's position is writePos (else readBase + readPos). */
  lastWrite?: boolean;
}

/** glibc's strerror() text for the errors file operations meet (io.open, os.remove ...). */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', EIO: 'Input/output error',
  ENXIO: 'No such device or address', EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory', EACCES: 'Permission denied', EBUSY: 'Device or resource busy', EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link', ENODEV: 'No such device', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument', ENFILE: 'Too many open files in system', EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy', EFBIG: 'File too large', ENOSPC: 'No space left on device', ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system', EMLINK: 'Too many links', ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty', ELOOP: 'Too many levels of symbolic links', EDQUOT: 'Disk quota exceeded',
};

/** The "name: reason" text and errno LuaJIT reports for a failed file operation. */
function fileError(name: string, e: unknown): { text: string; errno: number } {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? '';
  return { text: `${name}: ${STRERROR[code] ?? err.message}`, errno: err.errno ? Math.abs(err.errno) : 0 };
}

/**
 * fopen()'s reading of a mode, as glibc does it (LuaJIT passes the mode on):
 * r, w or a first, then '+' (read and write), 'x' (exclusive) among the
 * letters that follow; anything else first is EINVAL.
 */
function fopenFlags(mode: string): { flags: number; read: boolean; write: boolean; append: boolean } | undefined {
  const C = fs.constants;
  let flags: number, read: boolean, write: boolean;
  switch (mode[0]) {
    case 'r': flags = C.O_RDONLY; read = true; write = false; break;
    case 'w': flags = C.O_WRONLY | C.O_CREAT | C.O_TRUNC; read = false; write = true; break;
    case 'a': flags = C.O_WRONLY | C.O_CREAT | C.O_APPEND; read = false; write = true; break;
    default: return undefined;
  }
  for (let i = 1; i < mode.length && i < 7; i++) {
    if (mode[i] === '+') { flags = (flags & ~(C.O_RDONLY | C.O_WRONLY)) | C.O_RDWR; read = write = true; }
    else if (mode[i] === 'x') flags |= C.O_EXCL;
    else if (mode[i] === ',') break;
  }
  return { flags, read, write, append: mode[0] === 'a' };
}

const FILE_META = 'scry.file';

function pushFile(L: LuaState, f: FileHandle): void {
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushlightuserdata(L, f);
  lua.lua_setfield(L, -2, K('__fh'));
  lauxlib.luaL_setmetatable(L, K(FILE_META));
}

function toFile(L: LuaState, i: number): FileHandle {
  if (lua.lua_type(L, i) === lua.LUA_TTABLE) {
    lua.lua_getfield(L, i, K('__fh'));
    const f = lua.lua_touserdata(L, -1);
    lua.lua_pop(L, 1);
    if (f && typeof f === 'object' && 'kind' in f) return f as FileHandle;
  }
  argError(L, i, 'FILE*', lua.lua_type(L, i));
  throw new Error('unreachable');
}

export function installIo(L: LuaState, out: ByteSink, err: ByteSink): void {
  const stdoutF: FileHandle = { kind: 'stdout', fd: 1, closed: false, readPos: 0, writable: true };
  const stderrF: FileHandle = { kind: 'stderr', fd: 2, closed: false, readPos: 0, writable: true };
  const stdinF: FileHandle = { kind: 'file', fd: 0, closed: false, readPos: 0, writable: false };

  const writeTo = (L: LuaState, f: FileHandle, first: number): number => {
    const top = lua.lua_gettop(L);
    for (let a = first; a <= top; a++) {
      let b: Uint8Array;
      if (lua.lua_type(L, a) === lua.LUA_TNUMBER) b = latin1Bytes(numberToString(lua.lua_tonumber(L, a)));
      else b = lauxlib.luaL_checklstring(L, a);
      if (f.kind === 'stdout') out.write(b);
      else if (f.kind === 'stderr') err.write(b);
      else {
        if (f.closed || !f.writable || f.writePos === undefined) { lua.lua_pushnil(L); pushText(L, 'Bad file descriptor'); lua.lua_pushnumber(L, 9); return 3; }
        fs.writeSync(f.fd, b, 0, b.length, f.writePos);
        f.writePos += b.length;
        // (one position: a read after it starts there, with what is now written)
        f.lastWrite = true; f.readBuf = undefined; f.readBase = f.writePos; f.readPos = 0;
      }
    }
    return -1;
  };

  const readLine = (f: FileHandle, keep: boolean): Uint8Array | null => {
    loadAll(f);
    const b = f.readBuf!;
    if (f.readPos >= b.length) return null;
    let e = b.indexOf(10, f.readPos);
    const end = e < 0 ? b.length : e;
    const line = b.subarray(f.readPos, keep && e >= 0 ? end + 1 : end);
    f.readPos = e < 0 ? b.length : end + 1;
    return Uint8Array.from(line);
  };
  /** Reads the rest of a file (from readBase, or the fd's position when none was set) for the read functions. */
  const loadAll = (f: FileHandle): void => {
    f.lastWrite = false;
    if (f.readBuf) return;
    const from = f.readBase;
    try {
      if (from === undefined) f.readBuf = fs.readFileSync(f.fd);
      else {
        const size = fs.fstatSync(f.fd).size;
        const b = Buffer.alloc(Math.max(0, size - from));
        let got = 0;
        while (got < b.length) { const n = fs.readSync(f.fd, b, got, b.length - got, from + got); if (n <= 0) break; got += n; }
        f.readBuf = b.subarray(0, got);
      }
    } catch { f.readBuf = Buffer.alloc(0); }
  };

  const read = (L: LuaState, f: FileHandle, first: number): number => {
    const top = lua.lua_gettop(L);
    if (top < first) { const l = readLine(f, false); if (l) lua.lua_pushstring(L, l); else lua.lua_pushnil(L); return 1; }
    let n = 0;
    for (let a = first; a <= top; a++, n++) {
      if (lua.lua_type(L, a) === lua.LUA_TNUMBER) {
        loadAll(f);
        const cnt = lua.lua_tonumber(L, a);
        const b = f.readBuf!;
        if (f.readPos >= b.length && cnt > 0) { lua.lua_pushnil(L); n++; break; }
        const part = b.subarray(f.readPos, f.readPos + cnt);
        f.readPos += part.length;
        lua.lua_pushstring(L, Uint8Array.from(part));
        continue;
      }
      const what = bytesText(lauxlib.luaL_checklstring(L, a)).replace(/^\*/, '');
      if (what.startsWith('a')) {
        loadAll(f);
        const b = f.readBuf!;
        lua.lua_pushstring(L, Uint8Array.from(b.subarray(f.readPos)));
        f.readPos = b.length;
      } else if (what.startsWith('l') || what.startsWith('L')) {
        const l = readLine(f, what.startsWith('L'));
        if (l) lua.lua_pushstring(L, l); else { lua.lua_pushnil(L); n++; break; }
      } else if (what.startsWith('n')) {
        loadAll(f);
        const b = f.readBuf!;
        const rest = b.subarray(f.readPos).toString('latin1');
        const m = /^\s*[-+]?(0x[0-9a-f]+|\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)/i.exec(rest);
        if (!m) { lua.lua_pushnil(L); n++; break; }
        f.readPos += m[0].length;
        lua.lua_pushnumber(L, Number(m[0]));
      } else lauxlib.luaL_argerror(L, a, K('invalid format'));
    }
    return n;
  };

  const io = {
    write: (L: LuaState) => { const r = writeTo(L, currentOut, 1); if (r > 0) return r; pushFile(L, currentOut); return 1; },
    flush: () => { out.flush(); return 0; },
    read: (L: LuaState) => read(L, stdinF, 1),
    lines: (L: LuaState) => {
      let f = stdinF;
      if (!lua.lua_isnoneornil(L, 1)) {
        const name = bytesText(lauxlib.luaL_checklstring(L, 1));
        try { f = { kind: 'file', fd: fs.openSync(name, 'r'), closed: false, readPos: 0, writable: false }; } catch (e) {
          return lauxlib.luaL_error(L, luaText(fileError(name, e).text));
        }
      }
      lua.lua_pushcclosure(L, (L: LuaState) => { const l = readLine(f, false); if (l) lua.lua_pushstring(L, l); else lua.lua_pushnil(L); return 1; }, 0);
      return 1;
    },
    open: (L: LuaState) => {
      const name = bytesText(lauxlib.luaL_checklstring(L, 1));
      const mode = lua.lua_isnoneornil(L, 2) ? 'r' : bytesText(lauxlib.luaL_checklstring(L, 2));
      const m = fopenFlags(mode);
      try {
        if (!m) throw Object.assign(new Error('invalid mode'), { code: 'EINVAL', errno: -22 });
        const fd = fs.openSync(name, m.flags, 0o666);
        const writePos = !m.write ? undefined : m.append ? fs.fstatSync(fd).size : 0;
        pushFile(L, { kind: 'file', fd, closed: false, readBase: writePos, readPos: 0, writable: m.write, writePos });
        return 1;
      } catch (e) {
        const r = fileError(name, e);
        lua.lua_pushnil(L);
        pushText(L, r.text);
        lua.lua_pushnumber(L, r.errno);
        return 3;
      }
    },
    close: (L: LuaState) => { if (lua.lua_isnoneornil(L, 1)) return 0; return closeFile(L, toFile(L, 1)); },
    type: (L: LuaState) => {
      if (lua.lua_type(L, 1) === lua.LUA_TTABLE) {
        lua.lua_getfield(L, 1, K('__fh'));
        const f = lua.lua_touserdata(L, -1);
        if (f && typeof f === 'object' && 'kind' in f) { pushText(L, (f as FileHandle).closed ? 'closed file' : 'file'); return 1; }
      }
      lua.lua_pushnil(L);
      return 1;
    },
    output: (L: LuaState) => { if (!lua.lua_isnoneornil(L, 1)) currentOut = toFile(L, 1); pushFile(L, currentOut); return 1; },
  };
  let currentOut = stdoutF;
  const closeFile = (L: LuaState, f: FileHandle): number => {
    if (f.kind === 'file' && !f.closed) { try { fs.closeSync(f.fd); } catch { /* already gone */ } }
    if (f.kind === 'file') f.closed = true;
    lua.lua_pushboolean(L, 1);
    return 1;
  };
  // a method of a closed file is an error, as in LuaJIT
  const openFile = (L: LuaState, i: number): FileHandle => {
    const f = toFile(L, i);
    // (a message without a position: LuaJIT raises it from C)
    if (f.closed) { pushText(L, 'attempt to use a closed file'); lua.lua_error(L); }
    return f;
  };
  const methods = {
    write: (L: LuaState) => { const f = openFile(L, 1); const r = writeTo(L, f, 2); if (r > 0) return r; lua.lua_pushvalue(L, 1); return 1; },
    read: (L: LuaState) => read(L, openFile(L, 1), 2),
    lines: (L: LuaState) => {
      const f = openFile(L, 1);
      lua.lua_pushcclosure(L, (L: LuaState) => { const l = readLine(f, false); if (l) lua.lua_pushstring(L, l); else lua.lua_pushnil(L); return 1; }, 0);
      return 1;
    },
    close: (L: LuaState) => closeFile(L, openFile(L, 1)),
    flush: (L: LuaState) => { const f = openFile(L, 1); if (f.kind === 'stdout') out.flush(); lua.lua_pushvalue(L, 1); return 1; },
    setvbuf: (L: LuaState) => { openFile(L, 1); lua.lua_pushboolean(L, 1); return 1; },
    // f:seek([whence [, offset]]): moves where reads and writes go; returns the new position
    seek: (L: LuaState) => {
      const f = openFile(L, 1);
      const whence = lua.lua_isnoneornil(L, 2) ? 'cur' : bytesText(lauxlib.luaL_checklstring(L, 2));
      const off = lua.lua_isnoneornil(L, 3) ? 0 : Math.trunc(lua.lua_tonumber(L, 3));
      if (whence !== 'set' && whence !== 'cur' && whence !== 'end') return lauxlib.luaL_argerror(L, 2, K(`invalid option '${whence}'`));
      const fail = (code: string, errno: number): number => {
        lua.lua_pushnil(L); pushText(L, STRERROR[code]); lua.lua_pushnumber(L, errno); return 3;
      };
      if (f.kind !== 'file' || f.fd === 0) return fail('ESPIPE', 29);
      const here = f.lastWrite && f.writePos !== undefined ? f.writePos : (f.readBase ?? 0) + f.readPos;
      const size = (() => { try { return fs.fstatSync(f.fd).size; } catch { return 0; } })();
      const pos = (whence === 'set' ? 0 : whence === 'cur' ? here : size) + off;
      if (pos < 0) return fail('EINVAL', 22);
      f.readBuf = undefined;
      f.readBase = pos;
      f.readPos = 0;
      f.lastWrite = false;
      if (f.writable) f.writePos = pos;
      lua.lua_pushnumber(L, pos);
      return 1;
    },
  };
  lauxlib.luaL_newmetatable(L, K(FILE_META));
  lua.lua_createtable(L, 0, 8);
  for (const [k, f] of Object.entries(methods)) { lua.lua_pushcfunction(L, f); lua.lua_setfield(L, -2, K(k)); }
  lua.lua_setfield(L, -2, K('__index'));
  lua.lua_pushcfunction(L, (L: LuaState) => {
    const f = toFile(L, 1);
    pushText(L, f.closed ? 'file (closed)' : 'file (' + addressOf(f) + ')');
    return 1;
  });
  lua.lua_setfield(L, -2, K('__tostring'));
  lua.lua_pop(L, 1);

  lua.lua_createtable(L, 0, 12);
  for (const [k, f] of Object.entries(io)) { lua.lua_pushcfunction(L, f); lua.lua_setfield(L, -2, K(k)); }
  pushFile(L, stdoutF); lua.lua_setfield(L, -2, K('stdout'));
  pushFile(L, stderrF); lua.lua_setfield(L, -2, K('stderr'));
  pushFile(L, stdinF); lua.lua_setfield(L, -2, K('stdin'));
  lua.lua_pushvalue(L, -1);
  lua.lua_setglobal(L, K('io'));
  // require "io" returns it too.
  lua.lua_getglobal(L, K('package'));
  lua.lua_getfield(L, -1, K('loaded'));
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, K('io'));
  lua.lua_pop(L, 3);
}

// ---------------------------------------------------------------------------
// LuaJIT's bit library (32-bit operations on numbers, signed results)

function installBit(L: LuaState): void {
  const arg = (L: LuaState, i: number): number => {
    const n = lauxlib.luaL_checknumber(L, i);
    // LuaJIT normalises through 2^52+2^51 addition: the low 32 bits of the rounded value.
    return Number(BigInt.asIntN(32, BigInt(Math.round(n))));
  };
  const ret = (L: LuaState, v: number): number => { lua.lua_pushnumber(L, v | 0); return 1; };
  const fold = (f: (a: number, b: number) => number) => (L: LuaState): number => {
    let v = arg(L, 1);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) v = f(v, arg(L, i));
    return ret(L, v);
  };
  const fns: Record<string, (L: LuaState) => number> = {
    tobit: (L) => ret(L, arg(L, 1)),
    bnot: (L) => ret(L, ~arg(L, 1)),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: (L) => ret(L, arg(L, 1) << (arg(L, 2) & 31)),
    rshift: (L) => ret(L, arg(L, 1) >>> (arg(L, 2) & 31)),
    arshift: (L) => ret(L, arg(L, 1) >> (arg(L, 2) & 31)),
    rol: (L) => { const a = arg(L, 1), n = arg(L, 2) & 31; return ret(L, (a << n) | (a >>> (32 - n))); },
    ror: (L) => { const a = arg(L, 1), n = arg(L, 2) & 31; return ret(L, (a >>> n) | (a << (32 - n))); },
    bswap: (L) => { const a = arg(L, 1); return ret(L, ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24)); },
    tohex: (L) => {
      const a = arg(L, 1);
      let n = lua.lua_isnoneornil(L, 2) ? 8 : Math.trunc(lua.lua_tonumber(L, 2));
      const upper = n < 0;
      if (upper) n = -n;
      if (n > 8) n = 8;
      let s = (a >>> 0).toString(16).padStart(8, '0').slice(8 - n);
      if (upper) s = s.toUpperCase();
      pushText(L, s);
      return 1;
    },
  };
  lua.lua_createtable(L, 0, Object.keys(fns).length);
  for (const [k, f] of Object.entries(fns)) { lua.lua_pushcfunction(L, f); lua.lua_setfield(L, -2, K(k)); }
  lua.lua_pushvalue(L, -1);
  lua.lua_setglobal(L, K('bit'));
  lua.lua_getglobal(L, K('package'));
  lua.lua_getfield(L, -1, K('loaded'));
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, K('bit'));
  lua.lua_pop(L, 3);
}

// ---------------------------------------------------------------------------
// Lua 5.1 / LuaJIT globals and library differences

const COMPAT_LUA = `
local floor, ceil, log = math.floor, math.ceil, math.log
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = floor(log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2; e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e + 0.0
end
math.mod = nil
math.tointeger = nil
math.type = nil
math.ult = nil
math.maxinteger = nil
math.mininteger = nil
unpack = table.unpack
table.unpack = nil
-- LuaJIT's table.insert: no bounds check on the position (0 shifts the
-- whole array part up), truncating a fractional position.
table.insert = function(t, ...)
  local n = select('#', ...)
  if n == 1 then t[#t + 1] = ... return end
  if n ~= 2 then error("wrong number of arguments to 'insert'", 2) end
  local pos, v = ...
  if type(pos) ~= "number" then pos = tonumber(pos) or error("bad argument #2 to 'insert' (number expected, got " .. type(pos) .. ")", 2) end
  if pos >= 0 then pos = floor(pos) else pos = ceil(pos) end
  local i = #t + 1
  while i > pos do t[i] = t[i - 1]; i = i - 1 end
  t[pos] = v
end
table.pack = nil
table.move = nil
table.getn = function(t) return #t end
table.maxn = function(t)
  local m = 0
  for k in pairs(t) do if type(k) == "number" and k > m then m = k end end
  return m
end
table.setn = function() error("'setn' is obsolete") end
loadstring = function(s, name) return load(s, name) end
local rawlen_ = rawlen
rawlen = nil
utf8 = nil
package.loaded.utf8 = nil
string.gfind = nil
local gmatch = string.gmatch
string.len = function(s) return #s end
local function env_of(f)
  local i = 1
  while true do
    local name, val = debug.getupvalue(f, i)
    if name == nil then return nil end
    if name == "_ENV" then return val, i end
    i = i + 1
  end
end
getfenv = function(f)
  if f == nil or f == 1 then return _G end
  if type(f) == "function" then return (env_of(f)) or _G end
  return _G
end
setfenv = function(f, t)
  if type(f) == "function" then
    local _, i = env_of(f)
    if i then debug.upvaluejoin(f, i, function() return t end, 1) end
    return f
  end
  return f
end
module = function(name)
  local m = package.loaded[name] or {}
  package.loaded[name] = m
  _G[name] = m
  return m
end
`;

/** Rewrites Lua 5.3's runtime error wording into Lua 5.1's. */
export function lua51Message(msg: string): string {
  return msg
    .replace(/attempt to (index|call|perform arithmetic on|concatenate|get length of) a (\w+) value \((local|global|field|upvalue|method|constant) '([^']*)'\)/g,
      "attempt to $1 $3 '$4' (a $2 value)")
    .replace(/attempt to (index|call|perform arithmetic on|concatenate|get length of) a (\w+) value(?! \()/g, 'attempt to $1 a $2 value')
    .replace(/'<eof>'/g, "'<eof>'")
    .replace(/near <eof>/g, "near '<eof>'");
}

export interface StateOptions {
  out: ByteSink;
  err: ByteSink;
  /** Directories (with trailing '/') added to package.path. */
  packageDirs: string[];
}

/**
 * fengari's standard libraries except io, which installIo replaces: fengari's
 * own io would create process.stdout, and that stream makes a piped fd 1
 * non-blocking (lib/util/tty.ts).
 */
function openLibs(L: LuaState): void {
  const libs: [string, unknown][] = [
    ['_G', lualib.luaopen_base], [lualib.LUA_LOADLIBNAME, lualib.luaopen_package],
    [lualib.LUA_COLIBNAME, lualib.luaopen_coroutine], [lualib.LUA_TABLIBNAME, lualib.luaopen_table],
    [lualib.LUA_OSLIBNAME, lualib.luaopen_os], [lualib.LUA_STRLIBNAME, lualib.luaopen_string],
    [lualib.LUA_MATHLIBNAME, lualib.luaopen_math], [lualib.LUA_UTF8LIBNAME, lualib.luaopen_utf8],
    [lualib.LUA_DBLIBNAME, lualib.luaopen_debug], [lualib.LUA_FENGARILIBNAME, lualib.luaopen_fengari],
  ];
  for (const [name, open] of libs) {
    lauxlib.luaL_requiref(L, K(name), open, 1);
    lua.lua_pop(L, 1);
  }
}

/** A fresh Lua state with the 5.1 environment chisels expect. */
export function newState(o: StateOptions): LuaState {
  patchVm();
  const L = lauxlib.luaL_newstate();
  openLibs(L);
  // A JavaScript exception inside a library function becomes a Lua error.
  lua.lua_atnativeerror(L, (L: LuaState) => {
    const e = lua.lua_touserdata(L, -1);
    pushText(L, e instanceof Error ? e.message : String(e));
    return 1;
  });

  const reg = (tbl: string | null, name: string, f: (L: LuaState) => number): void => {
    if (tbl === null) { lua.lua_pushcfunction(L, f); lua.lua_setglobal(L, K(name)); return; }
    lua.lua_getglobal(L, K(tbl));
    lua.lua_pushcfunction(L, f);
    lua.lua_setfield(L, -2, K(name));
    lua.lua_pop(L, 1);
  };

  // fengari has no collector of its own to drive (JavaScript's collects its
  // objects): LuaJIT's options are accepted and answered as a collector at
  // rest would answer them; "count" reports the JavaScript heap in use.
  const gcPrevious: Record<string, number> = { setpause: 200, setstepmul: 200 };
  reg(null, 'collectgarbage', (L) => {
    const opt = lua.lua_isnoneornil(L, 1) ? 'collect' : lua.lua_tojsstring(L, 1) ?? '';
    switch (opt) {
      case 'collect': case 'stop': case 'restart': lua.lua_pushinteger(L, 0); return 1;
      case 'count': lua.lua_pushnumber(L, process.memoryUsage().heapUsed / 1024); return 1;
      case 'step': lua.lua_pushboolean(L, true); return 1;
      case 'setpause': case 'setstepmul': {
        const prev = gcPrevious[opt];
        gcPrevious[opt] = lauxlib.luaL_optinteger(L, 2, 0);
        lua.lua_pushinteger(L, prev);
        return 1;
      }
      default: return lauxlib.luaL_argerror(L, 1, K(`invalid option '${opt}'`));
    }
  });

  reg(null, 'tostring', (L) => { lauxlib.luaL_checkany(L, 1); lua.lua_pushstring(L, toStringBytes(L, 1)); return 1; });
  const tab = K('\t'), nl = K('\n');
  reg(null, 'print', (L) => {
    const n = lua.lua_gettop(L);
    lua.lua_getglobal(L, K('tostring'));
    const tsIdx = lua.lua_gettop(L);
    for (let i = 1; i <= n; i++) {
      if (i > 1) o.out.write(tab);
      const t = lua.lua_type(L, i);
      if (t === lua.LUA_TSTRING) { o.out.write(lua.lua_tolstring(L, i)); continue; }
      lua.lua_pushvalue(L, tsIdx);
      lua.lua_pushvalue(L, i);
      lua.lua_call(L, 1, 1);
      const s = lua.lua_tolstring(L, -1);
      if (s === null) return lauxlib.luaL_error(L, K("'tostring' must return a string to 'print'"));
      o.out.write(s);
      lua.lua_pop(L, 1);
    }
    o.out.write(nl);
    return 0;
  });
  reg('string', 'format', strFormat);
  reg('os', 'exit', (L) => {
    let code = 0;
    if (lua.lua_type(L, 1) === lua.LUA_TBOOLEAN) code = lua.lua_toboolean(L, 1) ? 0 : 1;
    else if (!lua.lua_isnoneornil(L, 1)) code = Math.trunc(lua.lua_tonumber(L, 1));
    throw new LuaExit(code);
  });
  reg('os', 'execute', (L) => {
    if (lua.lua_isnoneornil(L, 1)) { lua.lua_pushnumber(L, 1); return 1; }
    const cmd = toText(L, 1) ?? '';
    o.out.flush();
    const r = require('child_process').spawnSync('/bin/sh', ['-c', cmd], { stdio: 'inherit' });
    lua.lua_pushnumber(L, r.status === null ? 1 : r.status * 256);
    return 1;
  });
  // os.remove / os.rename: nil, "name: reason", errno on failure (glibc's wording, as LuaJIT)
  const fileOp = (L: LuaState, name: string, op: () => void): number => {
    try { op(); lua.lua_pushboolean(L, 1); return 1; } catch (e) {
      const r = fileError(name, e);
      lua.lua_pushnil(L); pushText(L, r.text); lua.lua_pushnumber(L, r.errno);
      return 3;
    }
  };
  reg('os', 'remove', (L) => {
    const name = bytesText(lauxlib.luaL_checklstring(L, 1));
    return fileOp(L, name, () => {
      // remove() takes files and empty directories
      try { fs.unlinkSync(name); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EPERM') fs.rmdirSync(name); else throw e;
      }
    });
  });
  reg('os', 'rename', (L) => {
    const from = bytesText(lauxlib.luaL_checklstring(L, 1));
    const to = bytesText(lauxlib.luaL_checklstring(L, 2));
    return fileOp(L, from, () => fs.renameSync(from, to));
  });
  reg('os', 'getenv', (L) => {
    const v = process.env[toText(L, 1) ?? ''];
    if (v === undefined) lua.lua_pushnil(L); else pushText(L, v);
    return 1;
  });
  // LuaJIT's math functions that differ from fengari's: results are floats
  // (floor(-0.5) is -0), pow and log10 exist, log takes a base as
  // log2(x) * (1 / log2(base)); as builtins, their errors name them.
  const num = (f: (L: LuaState) => number) => (L: LuaState): number => { lua.lua_pushnumber(L, f(L)); return 1; };
  reg('math', 'floor', num((L) => Math.floor(argNumber(L, 1))));
  reg('math', 'ceil', num((L) => Math.ceil(argNumber(L, 1))));
  reg('math', 'pow', num((L) => Math.pow(argNumber(L, 1), argNumber(L, 2))));
  reg('math', 'log10', num((L) => Math.log10(argNumber(L, 1))));
  reg('math', 'log', num((L) => {
    const x = argNumber(L, 1);
    return lua.lua_gettop(L) < 2 ? Math.log(x) : Math.log2(x) * (1 / Math.log2(argNumber(L, 2)));
  }));
  reg('math', 'ldexp', num((L) => argNumber(L, 1) * Math.pow(2, argNumber(L, 2))));
  installIo(L, o.out, o.err);
  installBit(L);

  // package.path: LuaJIT's "./?.lua" first, then the chisel directories.
  lua.lua_getglobal(L, K('package'));
  pushText(L, ['./?.lua', ...o.packageDirs.map((d) => d + '?.lua')].join(';'));
  lua.lua_setfield(L, -2, K('path'));
  pushText(L, '');
  lua.lua_setfield(L, -2, K('cpath'));
  // Only the Lua-file searcher (no JS modules).
  lua.lua_getfield(L, -1, K('searchers'));
  lua.lua_rawgeti(L, -1, 1);
  lua.lua_rawgeti(L, -2, 2);
  lua.lua_createtable(L, 2, 0);
  lua.lua_insert(L, -3);
  lua.lua_rawseti(L, -3, 2);
  lua.lua_rawseti(L, -2, 1);
  lua.lua_pushvalue(L, -1);
  lua.lua_setfield(L, -4, K('searchers'));
  lua.lua_setfield(L, -3, K('loaders'));
  lua.lua_pop(L, 2);

  if (lauxlib.luaL_loadbuffer(L, luaText(COMPAT_LUA), null, K('=compat')) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    throw new Error('internal: Lua compatibility layer: ' + toText(L, -1));
  }
  return L;
}
