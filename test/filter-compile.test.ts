// sysdig 0.29.3's verdicts on thousands of random and mutated filter
// expressions (fixtures/golden/filter/compile.json, recorded by
// generate-compile.js): scry must accept what sysdig accepts and reject what
// it rejects with the same message and position. Uses the real field catalog.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { compileFilter, eventTypeMask, FilterError, registryBinder } from '../lib/filter';
import { ScapReader } from '../lib/sources/scap/reader';
import { StateEngine } from '../lib/state/engine';
import { ScapEvent } from '../lib/event/event';
import type { EvalContext } from '../lib/fields/types';
import type { FieldBinder } from '../lib/filter';

const DIR = path.join(__dirname, '..', 'fixtures', 'golden', 'filter');

interface Verdict { expr: string; status: number | null; err: string; signal?: string }
const doc = JSON.parse(fs.readFileSync(path.join(DIR, 'compile.json'), 'utf8')) as { cases: Verdict[] };

let bind: FieldBinder | string;
try {
  bind = registryBinder();
} catch (e) {
  bind = `the field catalog does not load yet: ${(e as Error).message.split('\n')[0]}`;
}

/** sysdig's message when it rejected the filter while compiling it, else undefined. */
function compileError(v: Verdict): string | undefined {
  const line = v.err.replace(/\n$/, '');
  if (v.status === 1 && (/^filter error at position \d+: /.test(line) || line === 'error parsing the filter string')) return line;
  return undefined;
}

t.test('compile verdicts as sysdig', { skip: typeof bind === 'string' ? bind : false }, async (t) => {
  const b = bind as FieldBinder;
  let same = 0;
  const bad: string[] = [];
  for (const v of doc.cases) {
    let ours: string;
    let crash = false;
    try {
      compileFilter(v.expr, { bind: b });
      ours = 'accepted';
    } catch (e) {
      if (!(e instanceof FilterError)) {
        bad.push(`${JSON.stringify(v.expr)}: threw ${(e as Error).stack}`);
        continue;
      }
      ours = e.message;
      crash = e.sysdigCrashes;
    }
    let ok: boolean;
    let want: string;
    if (v.signal) {
      want = `rejected (sysdig crashes with ${v.signal})`;
      ok = ours !== 'accepted';
      void crash;
    } else {
      want = compileError(v) ?? 'accepted';
      ok = ours === want;
    }
    if (ok) same++;
    else bad.push(`${JSON.stringify(v.expr)}: scry ${JSON.stringify(ours)}, sysdig ${JSON.stringify(want)}`);
  }
  t.comment(`${same}/${doc.cases.length} verdicts as sysdig`);
  for (const m of bad) t.fail(m);
  if (bad.length === 0) t.pass(`all ${doc.cases.length} verdicts as sysdig`);
});

t.test('fields that read only the type table narrow the event types', async (t) => {
  const compile = (s: string) => compileFilter(s, { bind: registryBinder() });
  const io = eventTypeMask(compile('fd.type=file and evt.is_io=true'));
  t.ok(io && io[7] === 1 && io[9] === 1 && io[3] === 0 && io[6] === 1, 'evt.is_io=true: read and write (both directions), not open exits');
  t.equal(eventTypeMask(compile('evt.is_io=true or proc.name=x')), undefined);
});

t.test('type masks never exclude a matching event (fixtures)', async (t) => {
  const compile = (s: string) => compileFilter(s, { bind: registryBinder() });
  const filters = ['evt.is_io=true', 'evt.is_io=false', 'evt.is_io_read=true and fd.type=file', 'not evt.is_io_write=true',
    'evt.is_wait=true or evt.type=open', 'evt.is_io exists', 'evt.is_io!=true and evt.dir=<', 'evt.is_io in (true)',
    'evt.is_wait=false', 'evt.is_io_write=false and evt.dir=>'];
  const fixtures = ['curl_google.scap', 'falco_cat_write.scap', 'modern_head.scap'];
  for (const f of filters) {
    const cf = compile(f);
    const mask = eventTypeMask(cf);
    let matched = 0, excluded = 0;
    for (const fx of fixtures) {
      const state = new StateEngine();
      const ctx: EvalContext = { ev: new ScapEvent(), state };
      await new ScapReader(path.join(__dirname, '..', 'fixtures', fx), state.sink(), (ev) => {
        ctx.ev = ev;
        state.process(ev);
        if (cf.match(ctx)) { matched++; if (mask && ev.type < mask.length && mask[ev.type] === 0) excluded++; }
      }).read();
    }
    t.equal(excluded, 0, `${f}: ${matched} matching events, none of an excluded type`);
  }
});
