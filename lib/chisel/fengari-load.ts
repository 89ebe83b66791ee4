/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
// Loads fengari (Lua 5.3 in JavaScript) with two changes made as its modules
// load, before any Lua runs:
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

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module') as { prototype: { _compile(content: string, filename: string): unknown } };
import * as path from 'path';

const STACK_DELETE = /\bdelete (\w+)\.stack\[([^\]]+)\];/g;
const STRING_HASH = /const luaS_hash = function\(str\) \{[\s\S]*?\n\};/;
const FAST_STRING_HASH = `const luaS_hash = function(str) {
    return "|" + (str.length <= 4096 ? String.fromCharCode.apply(null, str)
        : Buffer.from(str.buffer, str.byteOffset, str.length).toString("latin1"));
};`;

function load(): any {
  const llimits: any = require('fengari/src/llimits.js');
  llimits.luai_nummod = (_L: unknown, a: number, b: number): number => a - Math.floor(a / b) * b;
  const dir = path.dirname(require.resolve('fengari/src/lua.js')) + path.sep;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function patched(content: string, filename: string): unknown {
    if (filename.startsWith(dir)) {
      content = content.replace(STACK_DELETE, '$1.stack[$2] = undefined;');
      if (path.basename(filename) === 'lstring.js') content = content.replace(STRING_HASH, FAST_STRING_HASH);
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
