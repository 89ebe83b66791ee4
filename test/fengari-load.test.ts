// fengari as scry loads it (lib/chisel/fengari-load.ts): the code that runs
// clears popped stack slots instead of deleting them (deleting turns the VM's
// stack array into a slow dictionary), strings keep distinct table keys, and
// LuaJIT's % is in place.
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { newState, lua, lauxlib, K } from '../lib/chisel/lua';

const SRC = path.dirname(require.resolve('fengari/src/lua.js'));

t.test('no function of fengari deletes stack slots', async (t) => {
  const quiet = { write: () => undefined, flush: () => undefined };
  newState({ out: quiet, err: quiet, packageDirs: [] });
  let functions = 0, clearing = 0;
  const deleting: string[] = [];
  for (const f of fs.readdirSync(SRC).filter((n) => n.endsWith('.js'))) {
    const file = path.join(SRC, f);
    const m = require.cache[file];
    if (!m) continue; // a module fengari does not load
    for (const [name, v] of Object.entries(m.exports as Record<string, unknown>)) {
      if (typeof v !== 'function') continue;
      functions++;
      const src = v.toString();
      if (/\bdelete \w+\.stack\[/.test(src)) deleting.push(`${f}: ${name}`);
      if (/\.stack\[[^\]]+\] = undefined;/.test(src)) clearing++;
    }
  }
  t.ok(functions > 300, `fengari's loaded functions (${functions})`);
  t.same(deleting, [], 'none deletes stack slots');
  t.ok(clearing >= 10, `functions that clear slots instead (${clearing})`);
});

t.test('the VM still runs: calls, returns, errors, LuaJIT %', async (t) => {
  const out: Buffer[] = [];
  const sink = { write: (b: Uint8Array) => { out.push(Buffer.from(b)); }, flush: () => undefined };
  const L = newState({ out: sink, err: sink, packageDirs: [] });
  const code = `
    local function many(n) if n == 0 then return end return n, many(n - 1) end
    local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
    local t = {many(50)}
    local ok, e = pcall(function() error("boom") end)
    print(#t, deep(500), select('#', many(10)), ok, e, 5.5 % -2, -7 % 3)
    -- byte strings that fengari's own key spelling (hex digits without padding) confused
    local k = {}
    k["\\1#"] = "a"; k["\\18\\3"] = "b"; k["x\\t\\150"] = "c"; k["x\\150\\t"] = "d"; k[string.rep("\\200", 5000)] = "e"
    local n = 0
    for _ in pairs(k) do n = n + 1 end
    print(n, k["\\1#"], k["\\18\\3"], k["x\\t\\150"], k["x\\150\\t"], k[string.rep("\\200", 5000)], k[string.rep("\\200", 4999)])`;
  t.equal(lauxlib.luaL_loadstring(L, K(code)), 0, 'compiles');
  t.equal(lua.lua_pcall(L, 0, 0, 0), 0, 'runs');
  t.equal(Buffer.concat(out).toString(), '50\t500\t10\tfalse\t[string "..."]:5: boom\t-0.5\t2\n5\ta\tb\tc\td\te\tnil\n');
});
