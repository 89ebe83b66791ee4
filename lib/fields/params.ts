// Bridge from the fields to the parameter renderer (evt.arg.X, evt.args,
// evt.info, evt.buffer, evt.res, and fd names taken from event parameters).
//
// lib/format/params.ts owns sysdig's rendering of every parameter type (fds
// as 3(<f>/etc/passwd), tuples, flags, buffers per -x/-A ...) and installs
// it with setParamRenderer() when loaded; the first parameter rendered loads
// it if nobody has. The small fallback below (common scalar types only) is
// used when it cannot be loaded.

import { PF, PT } from '../schema/types';
import type { ScapEvent } from '../event/event';
import type { EvalContext } from './types';
import { errnoResolve } from '../schema/errno';
import { ipv4Text, ipv6Text } from './render';

/** A parameter as sysdig prints it: the value, and the resolved text ('' when none) shown in parentheses. */
export interface ParamText { value: string; resolved: string }

export type ParamRenderer = (ctx: EvalContext, index: number) => ParamText;

let renderer: ParamRenderer | undefined;
let argsRenderer: ((ctx: EvalContext) => string) | undefined;

/** Installs the real parameter renderer and argument-list renderer (from lib/format). */
export function setParamRenderer(r: ParamRenderer | undefined, args?: (ctx: EvalContext) => string): void {
  renderer = r ?? fallbackParam;
  argsRenderer = r ? args : undefined;
}

/** Rendering of parameter `index` of the current event. */
export function paramText(ctx: EvalContext, index: number): ParamText {
  if (renderer === undefined) loadRenderer();
  return renderer!(ctx, index);
}

function loadRenderer(): void {
  try {
    // Loading the module installs its renderer (see setParamRenderer); lazy to avoid an import cycle.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('../format/params');
  } catch {
    // fall back below
  }
  if (renderer === undefined) renderer = fallbackParam;
}

/** How many parameters sysdig 0.29.3 sees in an event (its table's count, capped by the record). */
export function paramCount(ev: ScapEvent): number {
  const known = ev.info.sysdigParams ?? ev.info.params.length;
  return Math.min(known, ev.nparams);
}

const idxCache = new Map<string, Int16Array>();

/** Index of the first parameter named `name` in the current event, -1 if none (cached per event type). */
export function paramIndexOf(ev: ScapEvent, name: string): number {
  let tab = idxCache.get(name);
  if (!tab) { tab = new Int16Array(1024).fill(-2); idxCache.set(name, tab); }
  const t = ev.type;
  if (t < 1024) {
    let i = tab[t];
    if (i === -2) {
      i = -1;
      const ps = ev.info.params;
      const n = ev.info.sysdigParams ?? ps.length;
      for (let k = 0; k < n && k < ps.length; k++) if (ps[k].name === name) { i = k; break; }
      tab[t] = i;
    }
    return i < ev.nparams ? i : -1;
  }
  const ps = ev.info.params;
  const n = Math.min(paramCount(ev), ps.length);
  for (let k = 0; k < n; k++) if (ps[k].name === name) return k;
  return -1;
}

/** sysdig's evt.args text: "name=value " or "name=value(resolved) " for each parameter. */
export function argsText(ctx: EvalContext): string {
  if (renderer === undefined) loadRenderer();
  if (argsRenderer !== undefined) return argsRenderer(ctx);
  const ev = ctx.ev;
  const n = paramCount(ev);
  let out = '';
  for (let i = 0; i < n; i++) {
    const p = paramText(ctx, i);
    out += ev.info.params[i].name + '=' + p.value + (p.resolved === '' ? ' ' : '(' + p.resolved + ') ');
  }
  return out;
}

function fallbackParam(ctx: EvalContext, i: number): ParamText {
  const ev = ctx.ev;
  const info = ev.info.params[i];
  if (!info) return { value: '', resolved: '' };
  const len = ev.paramLen(i);
  switch (info.type) {
    case PT.ERRNO: {
      const v = len === 8 ? ev.s(i) : ev.s(i);
      return { value: String(v), resolved: errnoResolve(v) ?? '' };
    }
    case PT.FD: case PT.FD32: {
      const fd = ev.s(i);
      if (fd < 0) return { value: String(fd), resolved: errnoResolve(fd) ?? '' };
      const t = ctx.state.thread;
      const f = t ? t.fds.get(fd) : undefined;
      return { value: String(fd), resolved: f ? `<${f.typeChar}>${f.name}` : '' };
    }
    case PT.INT8: case PT.INT16: case PT.INT32: case PT.INT64: case PT.PID: case PT.PID32:
      return { value: info.fmt === PF.HEX ? ev.s(i).toString(16) : String(ev.s(i)), resolved: '' };
    case PT.UINT8: case PT.UINT16: case PT.UINT32: case PT.UINT64: case PT.UID: case PT.GID:
    case PT.RELTIME: case PT.ABSTIME: case PT.PORT: case PT.SYSCALLID: case PT.SIGTYPE:
    case PT.FLAGS8: case PT.FLAGS16: case PT.FLAGS32: case PT.MODE:
    case PT.ENUMFLAGS8: case PT.ENUMFLAGS16: case PT.ENUMFLAGS32: {
      const v = len === 8 ? ev.big(i) : ev.u(i);
      return { value: info.fmt === PF.HEX ? v.toString(16) : String(v), resolved: '' };
    }
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH:
      return { value: ev.str(i), resolved: '' };
    case PT.BYTEBUF: {
      const b = ev.bytes(i);
      let s = '';
      for (let k = 0; k < b.length && k < 80; k++) s += b[k] >= 0x20 && b[k] < 0x7f ? String.fromCharCode(b[k]) : '.';
      return { value: s, resolved: '' };
    }
    case PT.IPV4ADDR:
      return { value: len >= 4 ? ipv4Text(ev.bytes(i)) : '', resolved: '' };
    case PT.IPV6ADDR:
      return { value: len >= 16 ? ipv6Text(ev.bytes(i)) : '', resolved: '' };
    default:
      return { value: ev.bytes(i).toString('hex'), resolved: '' };
  }
}
