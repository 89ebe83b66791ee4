// sysdig's -p output formats: parsed once into literal and field tokens,
// then rendered per event into one line (or one JSON object with -j).
//
// Syntax, as sysdig 0.29.3 reads it:
//   - backslash escapes \n \t \e \\ are expanded first (a lone backslash stays,
//     a trailing one aborts the run silently);
//   - a leading '*' prints the line even when some field has no value (shown
//     as <NA>); without it an event with any missing field prints nothing;
//   - %field, %field[arg], %field.arg: the longest field name the field
//     catalog recognises at that point; whatever follows is literal text;
//   - %Nfield: the value is padded with spaces or cut to exactly N bytes.
// Every field is evaluated for every event, even after one is found
// missing, because some fields keep state between lines (evt.deltatime,
// evt.outputtime under -t D).

import type { EvalContext, BoundField, FieldValue } from '../fields/types';
import { eventThread } from '../fields/evt';
import { nsToString } from '../util/time';
import { PF, PT } from '../schema/types';
import { fitWidth } from './text';
import { bytesToText, textToBytes } from '../util/bytes';
import { renderArgs } from './params';
import { syslogInfo } from '../fields/syslog';
import { clockText, diffText, nsText, TimeMode } from './time';
import { jsonFieldValue, jsonInt, jsonQuote, JsonText, JSON_NULL } from './json';
import { bindField, resolveField } from '../fields/registry';
import { FieldRenderError } from '../fields/render';
import { FormatError } from './errors';
import { unescapeFormat } from './print-arg';

export {
  DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, CONTAINER_FORMAT, K8S_FORMAT, MESOS_FORMAT, PLUGIN_FORMAT, PLUGIN_FORMAT_TTY,
  formatForPrintArg, unescapeFormat,
} from './print-arg';
export { COLOR_RESET } from './color-reset';
export { FormatError };

/**
 * Resolves the field named at text[pos..]: returns the bound field and the
 * index just past its name (and argument). Returns undefined when no field
 * matches; throws Error with sysdig's message for a bad argument.
 */
export type FieldCompiler = (text: string, pos: number) => { field: BoundField; end: number } | undefined;

export interface FormatOptions {
  /** -j: one JSON object per event. */
  json?: boolean;
  /** -t: how evt.outputtime shows (default 'h'). */
  timeMode?: TimeMode;
  /** Expand backslash escapes first (sysdig does for -p; chisel formatters do not). Default true. */
  escapes?: boolean;
  /** Field lookup; defaults to the field catalog (lib/fields/registry). */
  compiler?: FieldCompiler;
  /** The text is already bytes, one char per byte (a chisel's Lua string), not Unicode text. */
  bytes?: boolean;
}

export interface CompiledFormat {
  /** The line for this event, or undefined when it must not be printed. May throw FormatError. */
  render(ctx: EvalContext): string | undefined;
  /** false when the format started with '*'. */
  readonly requireAll: boolean;
  /** Field texts in order of appearance, e.g. ['evt.num', 'proc.aname[2]']. */
  readonly fields: readonly string[];
}

const enum Tok { LIT = 0, FIELD = 1, OUTTIME = 2, ARGS = 3, INT = 4, INFO = 5 }

interface Token {
  kind: Tok;
  /** Literal text, or the field text (JSON key). */
  text: string;
  width: number;
  field?: BoundField;
  /** INT: the range of values printed as plain decimals. */
  min: number;
  max: number;
  /** evt.outputtime under -t D: the previous line's event time (-1 before the first). */
  lastSec: number;
  lastNsec: number;
}

/** Fields whose -j value sysdig takes from the event time (evt.time and friends). */
const JSON_TS_FIELDS = new Set(['evt.time', 'evt.time.s', 'evt.time.iso8601', 'evt.datetime', 'evt.datetime.s', 'evt.outputtime']);
/** Fields whose -j value is their numeric value whatever their print format. */
const JSON_NUM_FIELDS = new Set([
  'evt.rawtime', 'evt.rawtime.s', 'evt.rawtime.ns', 'evt.reltime', 'evt.reltime.s', 'evt.reltime.ns',
  'evt.latency', 'evt.latency.s', 'evt.latency.ns', 'evt.deltatime', 'evt.deltatime.s', 'evt.deltatime.ns',
]);

/** The field catalog's resolver in display mode (filter-only fields are refused). */
export const catalogCompiler: FieldCompiler = (text, pos) => {
  const r = resolveField(text, pos, { display: true });
  if (!r) return undefined;
  return { field: bindField(r.def, r.arg, text.slice(pos, r.end)), end: r.end };
};

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

/** Parses a -p format. Throws FormatError with sysdig's message when it is invalid. */
export function compileFormat(text: string, opts: FormatOptions = {}): CompiledFormat {
  const json = opts.json ?? false;
  const mode: TimeMode = opts.timeMode ?? 'h';
  const compile = opts.compiler ?? catalogCompiler;
  // the format's text is matched against event bytes and printed with them
  const given = opts.escapes === false ? text : unescapeFormat(text);
  let fmt = opts.bytes ? given : textToBytes(given);
  if (fmt === '') throw new FormatError('empty formatting token');
  let requireAll = true;
  if (fmt[0] === '*') { requireAll = false; fmt = fmt.slice(1); }

  const tokens: Token[] = [];
  const n = fmt.length;
  let lit = 0;
  let j = 0;
  for (; j < n; j++) {
    if (fmt.charCodeAt(j) !== 37 /* % */) continue;
    if (lit !== j) tokens.push(literal(fmt.slice(lit, j)));
    if (j === n - 1) throw new FormatError('invalid formatting syntax: formatting cannot end with a %');
    let width = 0;
    if (isDigit(fmt.charCodeAt(j + 1))) {
      let k = j + 1;
      while (k < n && isDigit(fmt.charCodeAt(k))) k++;
      width = parseCInt(fmt.slice(j + 1, k));
      for (;;) {
        if (j === n - 1) throw new FormatError('invalid formatting syntax: formatting cannot end with a number');
        if (isDigit(fmt.charCodeAt(j + 1))) { j++; continue; }
        break;
      }
    }
    const start = j + 1;
    let r: { field: BoundField; end: number } | undefined;
    try {
      r = compile(fmt, start);
    } catch (e) {
      throw new FormatError(bytesToText((e as Error).message));
    }
    if (!r) throw new FormatError('invalid formatting token ' + bytesToText(fmt.slice(start)));
    if (r.field.def.filterOnly && !r.field.def.displayMissing) throw new FormatError(bytesToText(fmt.slice(start)) + ' is filter only and cannot be used as a display field');
    tokens.push(fieldToken(r.field, fmt.slice(start, r.end), width));
    j = r.end - 1;
    lit = j + 1;
  }
  if (lit < n) tokens.push(literal(fmt.slice(lit)));

  const fields = tokens.filter((t) => t.kind !== Tok.LIT).map((t) => t.text);
  const inner = json ? jsonRenderer(tokens, requireAll) : textRenderer(tokens, requireAll, mode);
  const render = (ctx: EvalContext): string | undefined => {
    try {
      return inner(ctx);
    } catch (e) {
      // Values sysdig cannot print abort the run with its message.
      if (e instanceof FieldRenderError) throw new FormatError(e.message);
      throw e;
    }
  };
  return { render, requireAll, fields };
}

/** sscanf("%d") of a digit run (saturating like glibc's strtol, then cut to int). */
function parseCInt(s: string): number {
  const v = Number(s);
  if (v <= 0x7fffffff) return v;
  return -1; // out of range: strtol saturates to LONG_MAX, which truncates to -1 as an int
}

function literal(s: string): Token {
  return { kind: Tok.LIT, text: s, width: 0, min: 0, max: 0, lastSec: -1, lastNsec: 0 };
}

function fieldToken(field: BoundField, text: string, width: number): Token {
  const name = field.def.name;
  let kind = Tok.FIELD;
  let min = 0, max = 0;
  if (name === 'evt.outputtime') kind = Tok.OUTTIME;
  else if (name === 'evt.args') kind = Tok.ARGS;
  else if (name === 'evt.info') kind = Tok.INFO;
  else {
    const r = plainIntRange(field);
    if (r) { kind = Tok.INT; min = r[0]; max = r[1]; }
  }
  return { kind, text, width: width > 0 ? width : 0, field, min, max, lastSec: -1, lastNsec: 0 };
}

/**
 * For integer fields printed in decimal with the catalog's generic rendering,
 * the values that print as String(value); the hot fields of the default line
 * (evt.num, evt.cpu, thread.tid) take this path.
 */
function plainIntRange(field: BoundField): [number, number] | undefined {
  if (field.fmt !== PF.DEC && field.fmt !== PF.ID) return undefined;
  if (!field.genericDisplay) return undefined;
  switch (field.type) {
    case PT.INT8: return [-0x80, 0x7f];
    case PT.INT16: return [-0x8000, 0x7fff];
    case PT.INT32: return [-0x80000000, 0x7fffffff];
    case PT.INT64: case PT.PID: return [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    case PT.UINT8: return [0, 0xff];
    case PT.UINT16: return [0, 0xffff];
    case PT.UINT32: return [0, 0xffffffff];
    case PT.UINT64: return [0, Number.MAX_SAFE_INTEGER];
    default: return undefined;
  }
}

function outputTime(t: Token, ctx: EvalContext, mode: TimeMode): string {
  const ev = ctx.ev;
  switch (mode) {
    case 'h': return clockText(ev.sec, ev.nsec);
    case 'a': return ev.sec + '.' + ev.nsec;
    case 'r': return diffText(ev.sec, ev.nsec, ctx.state.firstSec, ctx.state.firstNsec);
    case 'd': {
      // the event's own thread (sysdig's m_tinfo): none for events that skip
      // the parser's reset (page_fault, switch), which then show 0
      const th = eventThread(ctx);
      if (!th) return '0.000000000';
      return nsText(th.latencyNs ?? latencyFallback(ctx));
    }
    case 'D': {
      if (t.lastSec < 0) { t.lastSec = ev.sec; t.lastNsec = ev.nsec; }
      const s = diffText(ev.sec, ev.nsec, t.lastSec, t.lastNsec);
      t.lastSec = ev.sec; t.lastNsec = ev.nsec;
      return s;
    }
  }
}

/** Latency from the matching enter event, for state engines that do not track sysdig's per-thread value. */
function latencyFallback(ctx: EvalContext): number {
  const ev = ctx.ev;
  const en = ctx.state.enterEvent;
  if (ev.info.enter || !en) return 0;
  return (ev.sec - en.sec) * 1e9 + (ev.nsec - en.nsec);
}

function textRenderer(tokens: Token[], requireAll: boolean, mode: TimeMode): (ctx: EvalContext) => string | undefined {
  const nt = tokens.length;
  return (ctx) => {
    let out = '';
    let ok = true;
    for (let i = 0; i < nt; i++) {
      const t = tokens[i];
      let s: string | undefined;
      switch (t.kind) {
        case Tok.LIT: out += t.text; continue;
        case Tok.FIELD: s = t.field!.display(ctx); break;
        case Tok.INT: {
          const v = t.field!.extract(ctx);
          s = typeof v === 'number' && v >= t.min && v <= t.max && Number.isInteger(v) ? '' + v : t.field!.display(ctx);
          break;
        }
        case Tok.ARGS: s = renderArgs(ctx); break;
        case Tok.INFO: s = syslogInfo(ctx) ?? renderArgs(ctx); break;
        case Tok.OUTTIME: s = outputTime(t, ctx, mode); break;
      }
      if (!ok) continue;
      if (s === undefined) {
        if (requireAll) { ok = false; continue; }
        s = '<NA>';
      }
      out += t.width !== 0 ? fitWidth(s, t.width) : s;
    }
    return ok ? out : undefined;
  };
}

interface JsonSlot { key: string; token: Token }

function jsonRenderer(tokens: Token[], requireAll: boolean): (ctx: EvalContext) => string | undefined {
  const fieldTokens = tokens.filter((t) => t.kind !== Tok.LIT);
  if (fieldTokens.length === 0) {
    // No fields: jsoncpp writes the empty root value.
    return () => 'null';
  }
  // The object is keyed by field text; a repeated key keeps the last token's value.
  const keys = [...new Set(fieldTokens.map((t) => t.text))].sort(byteCompare);
  const slotOf = new Map<string, number>(keys.map((k, i) => [k, i]));
  const prefix = keys.map((k, i) => (i === 0 ? '{' : ',') + jsonQuote(k) + ':');
  const values: JsonText[] = keys.map(() => JSON_NULL);
  const slots: JsonSlot[] = fieldTokens.map((t) => ({ key: t.text, token: t }));
  const slotIndex = slots.map((s) => slotOf.get(s.key)!);
  return (ctx) => {
    let ok = true;
    for (let i = 0; i < slots.length; i++) {
      const t = slots[i].token;
      // sysdig evaluates each field once to test it and once more to store it.
      const v = jsonValue(t, ctx);
      if (!ok) continue;
      if (v === JSON_NULL && requireAll) { ok = false; continue; }
      values[slotIndex[i]] = jsonValue(t, ctx);
    }
    if (!ok) return undefined;
    let out = '';
    for (let i = 0; i < keys.length; i++) out += prefix[i] + values[i];
    return out + '}';
  };
}

/** Byte order of two byte strings (char codes are the bytes). */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jsonValue(t: Token, ctx: EvalContext): JsonText {
  const ev = ctx.ev;
  switch (t.kind) {
    case Tok.OUTTIME: return nsToString(ev.sec, ev.nsec);
    case Tok.ARGS: return jsonQuote(renderArgs(ctx));
    case Tok.INFO: return jsonQuote(syslogInfo(ctx) ?? renderArgs(ctx));
    default: break;
  }
  const f = t.field!;
  const name = f.def.name;
  if (JSON_TS_FIELDS.has(name)) return nsToString(ev.sec, ev.nsec);
  if (name === 'evt.count') return '1';
  let v: FieldValue;
  if (JSON_NUM_FIELDS.has(name)) {
    v = f.extract(ctx);
    return v === undefined ? JSON_NULL : jsonInt(typeof v === 'number' || typeof v === 'bigint' ? v : 0);
  }
  return jsonFieldValue(f.type, f.fmt, () => f.extract(ctx), () => f.display(ctx));
}
