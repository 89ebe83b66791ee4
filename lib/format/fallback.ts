// A minimal field set the formatter uses only when the field catalog
// (lib/fields/registry) is not available: enough for sysdig's default and
// container lines and a few common fields, so output can be produced and
// tested on its own. The catalog, when present, replaces all of it.

import type { BoundField, EvalContext, FieldDef, FieldValue } from '../fields/types';
import { ArgMode } from '../fields/types';
import { PF, PT } from '../schema/types';
import { syscallName } from '../schema/syscalls';
import { renderValue } from '../fields/render';
import { clockText } from './time';
import { eventBufferText, paramDisplay, renderArgs, visibleParamCount, visibleParamIndex } from './params';
import { EVENTS } from '../schema/events';

interface Simple {
  name: string;
  type: PT;
  fmt: PF;
  get: (ctx: EvalContext) => FieldValue;
  show?: (ctx: EvalContext) => string | undefined;
}

function evtType(ctx: EvalContext): string {
  const ev = ctx.ev;
  if ((ev.type === 0 || ev.type === 1) && ev.nparams > 0) return syscallName(ev.u(0)) ?? ev.info.name;
  return ev.info.name;
}

const SIMPLE: Simple[] = [
  { name: 'evt.num', type: PT.UINT64, fmt: PF.ID, get: (c) => c.ev.num },
  { name: 'evt.cpu', type: PT.INT16, fmt: PF.ID, get: (c) => c.ev.cpu },
  { name: 'evt.dir', type: PT.CHARBUF, fmt: PF.DIR, get: (c) => (c.ev.info.enter ? '>' : '<') },
  { name: 'evt.type', type: PT.CHARBUF, fmt: PF.NA, get: evtType },
  { name: 'evt.info', type: PT.CHARBUF, fmt: PF.NA, get: renderArgs },
  { name: 'evt.args', type: PT.CHARBUF, fmt: PF.NA, get: renderArgs },
  { name: 'evt.outputtime', type: PT.CHARBUF, fmt: PF.NA, get: (c) => clockText(c.ev.sec, c.ev.nsec) },
  { name: 'evt.time', type: PT.CHARBUF, fmt: PF.NA, get: (c) => clockText(c.ev.sec, c.ev.nsec) },
  { name: 'evt.rawtime', type: PT.ABSTIME, fmt: PF.DEC, get: (c) => BigInt(c.ev.sec) * 1000000000n + BigInt(c.ev.nsec) },
  { name: 'evt.deltatime', type: PT.RELTIME, fmt: PF.DEC, get: () => 0 },
  { name: 'evt.deltatime.s', type: PT.RELTIME, fmt: PF.DEC, get: () => 0 },
  { name: 'evt.deltatime.ns', type: PT.RELTIME, fmt: PF.PADDED_DEC_10, get: () => 0 },
  { name: 'evt.buffer', type: PT.BYTEBUF, fmt: PF.NA, get: eventBufferText, show: eventBufferText },
  { name: 'proc.name', type: PT.CHARBUF, fmt: PF.NA, get: (c) => c.state.thread?.comm },
  { name: 'proc.pid', type: PT.INT64, fmt: PF.ID, get: (c) => c.state.thread?.pid },
  { name: 'thread.tid', type: PT.INT64, fmt: PF.ID, get: (c) => c.ev.tid },
  { name: 'thread.vtid', type: PT.INT64, fmt: PF.ID, get: (c) => c.state.thread?.vtid },
  { name: 'container.id', type: PT.CHARBUF, fmt: PF.NA, get: (c) => (c.state.thread ? c.state.thread.containerId || 'host' : undefined) },
  {
    name: 'container.name', type: PT.CHARBUF, fmt: PF.NA,
    get: (c) => {
      const t = c.state.thread;
      if (!t) return undefined;
      if (t.containerId === '') return 'host';
      return c.state.containers.get(t.containerId)?.name;
    },
  },
];

function def(name: string, type: PT, fmt: PF, arg: ArgMode, make: FieldDef['make']): FieldDef {
  return { name, type, fmt, desc: '', arg, make };
}

function bound(d: FieldDef, arg: string | undefined, text: string, get: (c: EvalContext) => FieldValue,
  show: (c: EvalContext) => string | undefined): BoundField {
  return { def: d, arg, text, type: d.type, fmt: d.fmt, extract: get, display: show };
}

/** Longest parameter name (over the event table) that prefixes s, as sysdig picks evt.arg.X names. */
function longestParamName(s: string): string | undefined {
  let best: string | undefined;
  for (const e of EVENTS) {
    const n = e.sysdigParams ?? e.params.length;
    for (let i = 0; i < n; i++) {
      const p = e.params[i].name;
      if (p.length > (best?.length ?? 0) && s.startsWith(p)) best = p;
    }
  }
  return best;
}

/** The fallback compiler (see the module comment). */
export function fallbackCompiler(text: string, pos: number): { field: BoundField; end: number } | undefined {
  if (text.startsWith('evt.arg', pos) && !text.startsWith('evt.args', pos)) {
    const d = def('evt.arg', PT.CHARBUF, PF.NA, ArgMode.REQUIRED_KEY, () => () => undefined);
    const c = text[pos + 7];
    if (c === '[') {
      const close = text.indexOf(']', pos + 8);
      const num = text.slice(pos + 8, close < 0 ? undefined : close);
      if (!/^\s*[+-]?\d+$/.test(num)) throw new Error(num + ' is not a valid number');
      const idx = Number(num);
      const end = close < 0 ? pos : close + 1;
      const show = (ctx: EvalContext) => (idx < visibleParamCount(ctx.ev) ? paramDisplay(ctx, idx) : undefined);
      return { field: bound(d, num, text.slice(pos, end), show, show), end };
    }
    if (c === '.') {
      const name = longestParamName(text.slice(pos + 8));
      if (name === undefined) throw new Error('unknown event argument ' + text.slice(pos + 8));
      const show = (ctx: EvalContext) => paramDisplay(ctx, visibleParamIndex(ctx.ev, name));
      const end = pos + 8 + name.length;
      return { field: bound(d, name, text.slice(pos, end), show, show), end };
    }
    throw new Error('filter syntax error: ' + text.slice(pos));
  }
  let best: Simple | undefined;
  for (const f of SIMPLE) {
    if (text.startsWith(f.name, pos) && (!best || f.name.length > best.name.length)) best = f;
  }
  if (!best) return undefined;
  const f = best;
  const d = def(f.name, f.type, f.fmt, ArgMode.NONE, () => f.get);
  const show = f.show ?? ((ctx: EvalContext) => renderValue(f.type, f.fmt, f.get(ctx)));
  return { field: bound(d, undefined, f.name, f.get, show), end: pos + f.name.length };
}
