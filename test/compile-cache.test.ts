// The V8 code cache bin/scry installs (lib/util/compile-cache.ts): it is
// written on a first run, used on the next, rebuilt when damaged or stale,
// and scry works the same without it (unwritable or foreign directory).
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const built = fs.existsSync(path.join(ROOT, 'dist', 'lib', 'util', 'compile-cache.js'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-cc-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(tmpdir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpdir, TZ: 'UTC' };
  delete env.SCRY_NO_COMPILE_CACHE;
  delete env.NODE_OPTIONS;
  const r = spawnSync(SCRY, [...args], { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ARGS = ['-r', path.join(ROOT, 'fixtures', 'falco_cat_write.scap'), '-n', '20'];

t.test('written on the first run, used and repaired on later ones', { skip: !built && 'not built' }, async (t) => {
  const dir = path.join(tmp, 'a');
  fs.mkdirSync(dir);
  const first = run(dir, ARGS);
  t.equal(first.status, 0, first.stderr);
  const cacheDir = fs.readdirSync(dir).find((f) => f.startsWith('scry-compile-cache-'));
  t.ok(cacheDir, 'cache directory created');
  const files = fs.readdirSync(path.join(dir, cacheDir!));
  t.ok(files.length > 10, `${files.length} modules cached`);
  const second = run(dir, ARGS);
  t.equal(second.stdout, first.stdout, 'same output with the cache');
  // damage every entry: V8 rejects them, scry recompiles and rewrites them
  for (const f of files) fs.writeFileSync(path.join(dir, cacheDir!, f), 'not a code cache');
  const third = run(dir, ARGS);
  t.equal(third.status, 0, third.stderr);
  t.equal(third.stdout, first.stdout, 'same output with a damaged cache');
  const repaired = files.filter((f) => fs.readFileSync(path.join(dir, cacheDir!, f)).toString() !== 'not a code cache');
  t.equal(repaired.length, files.length, 'damaged entries rewritten');
});

t.test('entries nobody wrote for 30 days go when a run writes the cache', { skip: !built && 'not built' }, async (t) => {
  const dir = path.join(tmp, 'stale');
  fs.mkdirSync(dir);
  const first = run(dir, ARGS);
  t.equal(first.status, 0, first.stderr);
  const cacheDir = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('scry-compile-cache-'))!);
  const ours = fs.readdirSync(cacheDir);
  // another install's entries: one written 40 days ago, one 10 days ago
  const old = path.join(cacheDir, '00000000-old.js'), young = path.join(cacheDir, '00000001-young.js');
  fs.writeFileSync(old, 'x');
  fs.writeFileSync(young, 'x');
  const day = 24 * 3600;
  const now = Date.now() / 1000;
  fs.utimesSync(old, now - 40 * day, now - 40 * day);
  fs.utimesSync(young, now - 10 * day, now - 10 * day);
  // a run that only reads the cache leaves the directory alone
  t.equal(run(dir, ARGS).status, 0);
  t.ok(fs.existsSync(old), 'kept while nothing is written');
  // a run that writes (an entry made stale) prunes
  fs.writeFileSync(path.join(cacheDir, ours[0]), 'not a code cache');
  const r = run(dir, ARGS);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, first.stdout);
  t.notOk(fs.existsSync(old), 'the 40-day-old entry is gone');
  t.ok(fs.existsSync(young), 'the 10-day-old entry stays');
  t.same(fs.readdirSync(cacheDir).filter((f) => ours.includes(f)).sort(), [...ours].sort(), 'this install\'s entries all stay');
});

t.test('no cache when the directory cannot be used', { skip: !built && 'not built' }, async (t) => {
  const notADir = path.join(tmp, 'file');
  fs.writeFileSync(notADir, 'x');
  const r = run(notADir, ARGS);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stderr, '');
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', SCRY_NO_COMPILE_CACHE: '1' };
  const ref = spawnSync(SCRY, [...ARGS], { env, encoding: 'utf8' });
  t.equal(r.stdout, ref.stdout, 'the same events as without a cache');
});

t.test('a module changed to a source of the same length runs its new code', { skip: !built && 'not built' }, async (t) => {
  // V8 checks a code cache against the source's length only: the entry's
  // own hash of the source is what keeps an edit of equal length from
  // running the code of the version before it.
  const root = path.join(tmp, 'mods');
  const cache = path.join(tmp, 'mods-cache');
  fs.mkdirSync(root);
  fs.mkdirSync(cache);
  const mod = path.join(root, 'answer.js');
  const loader = `require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'util', 'compile-cache.js'))})`
    + `.installCompileCache(${JSON.stringify(root)}); process.stdout.write(require(${JSON.stringify(mod)}).f());`;
  const load = (): string => {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: cache };
    delete env.SCRY_NO_COMPILE_CACHE;
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['-e', loader], { env, encoding: 'utf8' });
    t.equal(r.stderr, '');
    return r.stdout;
  };
  fs.writeFileSync(mod, 'exports.f = function () { return "first"; };\n');
  t.equal(load(), 'first');
  t.equal(load(), 'first', 'from the cache');
  fs.writeFileSync(mod, 'exports.f = function () { return "later"; };\n');
  t.equal(load(), 'later', 'the new source, not the cached code of the old');
  t.equal(load(), 'later', 'and its own cache entry afterwards');
});
