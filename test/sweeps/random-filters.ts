// Differential sweep against sysdig 0.29.3: random filter expressions over the
// whole field catalog, with values taken from what the capture itself holds,
// run by `sysdig -r` and `scry -r` on the fixtures, outputs and exit codes
// compared. A developer's tool (it needs sysdig installed), not a test: what
// it finds becomes a case of fixtures/golden/filter/cases.txt.
//
//   npx ts-node-transpile-only test/sweeps/random-filters.ts [options] [capture ...]
//     --seed N      seed (default 1)
//     --filters N   expressions to run (default 200)
//     --focus P,Q   draw fields starting with these prefixes half of the time
//                   (e.g. container.,k8s. on random-captures --containers files)
//
// The fields and their types come from `sysdig -lv`; each capture's values
// from `sysdig -p` over its first events (cut at random sometimes, so that
// contains/startswith/endswith see partial values). Operators are mostly ones
// the field's type takes, sometimes any: errors are compared too. In 40% of
// the runs the output prints the filter's fields, not only evt.num.
// Known differences: fd.dev on non-file fds (sysdig prints a stale value),
// and sysdig crashing on some expressions (exit by signal).

import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { prng } from '../../lib/filter/fuzzgen';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROOT = path.join(__dirname, '..', '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const ENV = { ...process.env, TZ: 'UTC' };
const RUN = { env: ENV, maxBuffer: 1 << 28, timeout: 60000 };

const rnd = prng(Number(opt('--seed', '1')));
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

const DEFAULT_CAPTURES = ['falco_cat_write', 'curl_google', 'falco_connect_localhost', 'falco_ping_sendto',
  'scry_live_udp_streams', 'scry_live_shellshock', 'falco_psp_privileged', 'single_ipv6_conn', 'scry_live_tracers',
  'falco_run_as_user_0_container'];

/** Field name -> type, from `sysdig -lv` (lines "name   (Type: T) text"). */
function catalog(): Map<string, string> {
  const out = spawnSync('sysdig', ['-lv'], RUN).stdout.toString();
  const types = new Map<string, string>();
  for (const m of out.matchAll(/^([a-z0-9_]+\.[A-Za-z0-9_.]+) +\(Type: ([A-Z0-9_]+)\)/gm)) types.set(m[1], m[2]);
  // fields that take no value from random captures, or need a plugin
  for (const f of ['evt.around', 'evt.pluginname', 'evt.plugininfo']) types.delete(f);
  return types;
}

const TYPES = catalog();
const WITH_ARGS = ['proc.aname[1]', 'proc.aname[2]', 'proc.apid[0]', 'proc.apid[1]', 'proc.apid[2]', 'proc.aexe[1]',
  'proc.acmdline[1]', 'proc.env[HOME]', 'proc.env[PATH]', 'evt.arg.fd', 'evt.arg.res', 'evt.arg.name', 'evt.arg.data',
  'evt.arg.flags', 'evt.arg[0]', 'evt.arg[1]', 'evt.rawarg.fd', 'evt.rawarg.res', 'evt.rawarg.size',
  'evt.rawarg.flags', 'fd.cip.name', 'fd.sip.name'];
const FIELDS = [...TYPES.keys(), ...WITH_ARGS,
  'container.mount[0]', 'container.mount.dest[1]', 'container.mount.source[/data]', 'k8s.pod.label.app', 'k8s.pod.label[tier]'];
const FOCUS = opt('--focus', '').split(',').filter((p) => p !== '');
const FOCUSED = FIELDS.filter((f) => FOCUS.some((p) => f.startsWith(p)));
/** A field of the catalog (a focused one half of the time, with --focus). */
const pickField = (): string => (FOCUSED.length > 0 && rnd() < 0.5 ? pick(FOCUSED) : pick(FIELDS));
const ALL_OPS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'in',
  'pmatch', 'exists', 'intersects', 'bcontains', 'bstartswith'];
const NUM_OPS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'exists', '=', 'in'];
const STR_OPS = ['=', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'in', 'pmatch', 'exists', '=', 'contains'];
const NUMERIC = /INT|RELTIME|ABSTIME|PORT|L4PROTO|SOCKFAMILY|FD|PID|ERRNO|SIGTYPE|FLAGS|MODE|UID|GID|DOUBLE|BOOL/;

function typeOf(field: string): string | undefined {
  return TYPES.get(field.replace(/\[.*$/, '')) ?? (/^evt\.(raw)?arg/.test(field) ? 'CHARBUF' : undefined);
}

function opFor(field: string): string {
  const t = typeOf(field);
  if (t === undefined || rnd() < 0.12) return pick(ALL_OPS);
  if (NUMERIC.test(t)) return pick(NUM_OPS);
  if (/IPADDR|IPNET/.test(t)) return pick(['=', '!=', 'in', 'exists']);
  return pick(STR_OPS);
}

/** Distinct values (up to 200) each field takes in the capture's first 3000 events. */
const harvested = new Map<string, Map<string, string[]>>();
function valuesOf(capture: string): Map<string, string[]> {
  let vals = harvested.get(capture);
  if (vals) return vals;
  vals = new Map();
  const printed = (fields: string[]): string[] | undefined => {
    const r = spawnSync('sysdig', ['-r', capture, '-n', '3000', '-p', fields.map((f) => '%' + f).join('\x01')], RUN);
    return r.status === 0 ? r.stdout.toString('latin1').split('\n') : undefined;
  };
  for (let i = 0; i < FIELDS.length; i += 20) {
    const group = FIELDS.slice(i, i + 20);
    // one field sysdig refuses fails the group: then each alone
    const lines = printed(group);
    const sets = group.map(() => new Set<string>());
    if (lines) {
      for (const l of lines) {
        const p = l.split('\x01');
        if (p.length === group.length) p.forEach((v, j) => { if (sets[j].size < 200) sets[j].add(v); });
      }
      group.forEach((f, j) => vals!.set(f, [...sets[j]]));
    } else {
      for (const f of group) {
        const one = printed([f]);
        if (one) vals.set(f, [...new Set(one)].slice(0, 200));
      }
    }
  }
  harvested.set(capture, vals);
  return vals;
}

function quote(v: string): string {
  return v === '' || /[\s()=<>!,"']/.test(v) ? '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"' : v;
}

function value(vals: Map<string, string[]>, field: string): string {
  const seen = (vals.get(field) ?? []).filter((x) => (x !== '' && x !== '<NA>') || rnd() < 0.05);
  let v: string;
  if (seen.length > 0 && rnd() < 0.85) {
    v = pick(seen);
    if (rnd() < 0.3 && v.length > 2) { const at = Math.floor(rnd() * v.length); v = rnd() < 0.5 ? v.slice(0, at + 1) : v.slice(at); }
  } else if (NUMERIC.test(typeOf(field) ?? '')) {
    v = pick(['0', '1', '-1', '2', '80', '1000', '4294967296']);
  } else {
    v = pick(['0', '1', '-1', '/', 'a', 'tcp', 'ipv4', '10.0.0.0/8', '127.0.0.1', '::1', 'true', 'false', '<NA>', 'file', 'open', '']);
  }
  return quote(v);
}

function atom(vals: Map<string, string[]>, used: string[]): string {
  let f = pickField();
  for (let i = 0; i < 5 && !vals.has(f) && rnd() < 0.9; i++) f = pickField();
  used.push(f);
  const op = opFor(f);
  if (op === 'exists') return `${f} exists`;
  if (op === 'in' || op === 'pmatch' || op === 'intersects') {
    const list: string[] = [];
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) list.push(value(vals, f));
    return `${f} ${op} (${list.join(',')})`;
  }
  return `${f} ${op} ${value(vals, f)}`;
}

function expr(vals: Map<string, string[]>, used: string[], depth: number): string {
  const r = rnd();
  if (depth > 2 || r < 0.45) return (rnd() < 0.15 ? 'not ' : '') + atom(vals, used);
  const paren = (x: string): string => (rnd() < 0.7 ? `(${x})` : x);
  if (r < 0.7) return paren(`${expr(vals, used, depth + 1)} and ${expr(vals, used, depth + 1)}`);
  if (r < 0.9) return paren(`${expr(vals, used, depth + 1)} or ${expr(vals, used, depth + 1)}`);
  return `not (${expr(vals, used, depth + 1)})`;
}

function main(): void {
  const named = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  const all = (named.length > 0 ? named : DEFAULT_CAPTURES.map((c) => path.join(ROOT, 'fixtures', c + '.scap')));
  // sysdig crashes on about half of random-captures' files as soon as any
  // filter is set: such a capture would only add crashes to the differences
  const captures = all.filter((c) => {
    const r = spawnSync('sysdig', ['-r', c, '-p', '%evt.num', 'evt.num=1'], RUN);
    if (r.signal) console.log(`${path.basename(c)}: left out (sysdig ${r.signal} with a filter)`);
    return !r.signal;
  });
  if (captures.length === 0) { console.error('no capture left'); process.exit(2); }
  const n = Number(opt('--filters', '200'));
  let differ = 0, refused = 0, matched = 0;
  for (let k = 0; k < n; k++) {
    const capture = pick(captures);
    const vals = valuesOf(capture);
    const used: string[] = [];
    const filter = expr(vals, used, 0);
    const format = rnd() < 0.4 ? '*%evt.num ' + used.map((f) => '%' + f).join(' ') : '%evt.num';
    const a = spawnSync('sysdig', ['-r', capture, '-p', format, filter], RUN);
    const b = spawnSync(process.execPath, [SCRY, '-r', capture, '-p', format, filter], RUN);
    const ao = a.stdout.toString('latin1'), bo = b.stdout.toString('latin1');
    if (a.status !== 0) refused++; else if (ao !== '') matched++;
    if (a.status === b.status && ao === bo) continue;
    differ++;
    const line = (r: typeof a, o: string): string =>
      `rc=${r.status ?? r.signal} lines=${o.split('\n').length - 1} ${r.stderr.toString().split('\n')[0].slice(0, 200)}`;
    console.log(`${path.basename(capture)} :: ${filter} :: -p ${format}\n  sysdig ${line(a, ao)}\n  scry   ${line(b, bo)}`);
  }
  console.log(`${differ}/${n} differ; sysdig refused ${refused}, ${matched} matched some event`);
}

if (!fs.existsSync(SCRY)) { console.error('build scry first (npm run build)'); process.exit(2); }
main();
