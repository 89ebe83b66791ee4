// A V8 code cache for scry's own CommonJS modules and its dependencies
// (Node 22 has module.enableCompileCache(); Node 20 does not).
//
// Every run of scry compiles some 400 KB of JavaScript (and fengari's Lua VM,
// another 600 KB, for chisels) before reading the first event. With the
// cache, a module whose source is unchanged is compiled from the code V8
// produced in an earlier run, functions included. V8 itself compares only
// the source's length with the cache's, and would run the code of an earlier
// version of the same length: so each entry starts with a CRC-32 of the
// source it was made from (as Node 22's own compile cache does), and an entry
// whose CRC differs is rebuilt, as is one V8 rejects. The cache lives in the
// temporary directory, per user and Node version, and sheds entries nobody
// wrote for 30 days; any failure (no space, read-only) leaves scry working
// without it.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import * as zlib from 'zlib';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module') as {
  prototype: { _compile(content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
};

interface Mod {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  paths: string[];
}

/** Installs the cache for modules whose path starts with `root`. Returns false when it cannot. */
export function installCompileCache(root: string): boolean {
  if (process.env.SCRY_NO_COMPILE_CACHE) return false;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = path.join(os.tmpdir(), `scry-compile-cache-${uid}-${process.version}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (typeof process.getuid === 'function' && fs.statSync(dir).uid !== uid) return false; // not ours
  } catch {
    return false;
  }
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const pending: { file: string; script: vm.Script; hash: number }[] = [];
  const original = Module.prototype._compile;

  Module.prototype._compile = function compile(this: Mod, content: string, filename: string): unknown {
    if (!filename.startsWith(prefix) || !filename.endsWith('.js')) return original.call(this, content, filename);
    const key = `${fnv1a(filename).toString(16).padStart(8, '0')}-${path.basename(filename)}`;
    const file = path.join(dir, key);
    const hash = sourceHash(content);
    let cachedData: Buffer | undefined;
    try {
      const entry = fs.readFileSync(file);
      if (entry.length > HASH_BYTES && entry.readUInt32LE(0) === hash) {
        cachedData = entry.subarray(HASH_BYTES);
      }
    } catch { /* first run */ }
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      return original.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ file, script, hash });
    const fn = script.runInThisContext({ displayErrors: true }) as (...a: unknown[]) => unknown;
    const mod = this;
    const req = (id: string): unknown => mod.require(id);
    req.resolve = (request: string, options?: unknown): string => Module._resolveFilename(request, mod, false, options);
    req.main = require.main;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  };

  // The code is taken at exit, so that it holds the functions the run compiled.
  process.once('exit', () => {
    if (pending.length === 0) return;
    for (const { file, script, hash } of pending) {
      try {
        const tmp = `${file}.${process.pid}`;
        const head = Buffer.alloc(HASH_BYTES);
        head.writeUInt32LE(hash, 0);
        fs.writeFileSync(tmp, Buffer.concat([head, script.createCachedData()]), { mode: 0o600 });
        fs.renameSync(tmp, file);
      } catch { /* no cache this time */ }
    }
    pruneStale(dir);
  });
  return true;
}

/** Entries unwritten for this long are removed (when a run writes entries). */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Removes entries not written for STALE_MS. Entries are keyed by module
 * path, so each place scry is installed at (a CI job's fresh clone, an npx
 * cache) adds its own set and the directory would otherwise only grow. Runs
 * only when a run writes entries: a new install, a rebuilt or changed
 * module, a cache entry that went stale (it is then written afresh).
 */
function pruneStale(dir: string): void {
  const before = Date.now() - STALE_MS;
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < before) fs.unlinkSync(file);
    } catch { /* gone already, or not ours to remove */ }
  }
}

const HASH_BYTES = 4;

/** CRC-32 of a module's source (zlib's, native: well under a millisecond for all of scry); FNV-1a before Node 20.15. */
const sourceHash: (s: string) => number = (zlib as { crc32?: (s: string) => number }).crc32 ?? fnv1a;

/**
 * FNV-1a, for cache file names (node:crypto alone costs some 4 ms to load).
 * Two paths of one name only cost rebuilds: each entry's source CRC differs.
 */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
