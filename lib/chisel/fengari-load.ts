/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
// Loads fengari (Lua 5.3 in JavaScript) with these changes, made to its
// source text as its modules load, before any Lua runs:
//
// - LuaJIT's % on numbers (a - floor(a / b) * b) instead of fengari's
//   fmod-based one: lvm.js and lobject.js take luai_nummod from llimits.js
//   when they load, so it is replaced first.
// - Stack slots above the top are cleared by assignment, not `delete`:
//   fengari pops with `delete L.stack[--L.top]`, and deleting elements of a
//   JavaScript array that is mostly empty turns it into a dictionary in V8,
//   after which every stack access of the VM is a hash lookup (a chisel
//   printing for every event ran 3 to 8 times slower). A cleared slot reads
//   as undefined either way; fengari never asks whether a slot exists.
// - The key a string has in tables (luaS_hash) is its bytes as characters.
//   fengari spelled each byte in hex without padding, one toString(16) at a
//   time: slow, and two strings could share a key ("\1#" and "\18\3" both
//   gave "|123", so one table entry answered for both).
// - Error messages in LuaJIT's (Lua 5.1's) words: "attempt to index field
//   'x' (a nil value)" where Lua 5.3 says "attempt to index a nil value
//   (field 'x')"; a library function called without a name it can be known
//   by (pcall(string.rep)) is '?', not the name of the global holding it.

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module') as { prototype: { _compile(content: string, filename: string): unknown } };
import * as path from 'path';

const STACK_DELETE = /\bdelete (\w+)\.stack\[([^\]]+)\];/g;
const STRING_HASH = /const luaS_hash = function\(str\) \{[\s\S]*?\n\};/;
const TYPE_ERROR = /const luaG_typeerror = function\(L, o, op\) \{[\s\S]*?\n\};/;
const TYPE_ERROR_51 = `const luaG_typeerror = function(L, o, op) {
    let t = ltm.luaT_objtypename(L, o);
    let ci = L.ci;
    let kind = null;
    if (ci.callstatus & lstate.CIST_LUA) {
        kind = getupvalname(L, ci, o);
        let stkid = isinstack(L, ci, o);
        if (!kind && stkid)
            kind = getobjname(ci.func.value.p, currentpc(ci), stkid - ci.l_base);
    }
    if (kind)
        luaG_runerror(L, to_luastring("attempt to %s %s '%s' (a %s value)", true), op, kind.funcname, kind.name, t);
    else
        luaG_runerror(L, to_luastring("attempt to %s a %s value", true), op, t);
};`;
const ARG_NAME = /ar\.name = pushglobalfuncname\(L, ar\) \? lua_tostring\(L, -1\) : to_luastring\("\?"\);/;
const FAST_STRING_HASH = `const luaS_hash = function(str) {
    return "|" + (str.length <= 4096 ? String.fromCharCode.apply(null, str)
        : Buffer.from(str.buffer, str.byteOffset, str.length).toString("latin1"));
};`;

/** The rewrites: in every module of fengari, or in the one named. */
const REWRITES: { file?: string; pattern: RegExp; text: string }[] = [
  { pattern: STACK_DELETE, text: '$1.stack[$2] = undefined;' },
  { file: 'lstring.js', pattern: STRING_HASH, text: FAST_STRING_HASH },
  { file: 'ldebug.js', pattern: TYPE_ERROR, text: TYPE_ERROR_51 },
  { file: 'lauxlib.js', pattern: ARG_NAME, text: 'ar.name = to_luastring("?");' },
];

function load(): any {
  const llimits: any = require('fengari/src/llimits.js');
  llimits.luai_nummod = (_L: unknown, a: number, b: number): number => a - Math.floor(a / b) * b;
  const dir = path.dirname(require.resolve('fengari/src/lua.js')) + path.sep;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function patched(content: string, filename: string): unknown {
    if (filename.startsWith(dir)) {
      const name = path.basename(filename);
      for (const r of REWRITES) if (r.file === undefined || r.file === name) content = content.replace(r.pattern, r.text);
    }
    return compile.call(this, content, filename);
  };
  try {
    return require('fengari');
  } finally {
    Module.prototype._compile = compile;
  }
}

export const fengari: any = load();
