// Helpers to declare fields: a field is described once and compiled per
// argument into an extractor, a display function and (for "any of" fields)
// a candidate-values function.

import { PF, PT } from '../schema/types';
import { ArgMode, EvalContext, Extractor, FieldClass, FieldDef, FieldValue } from './types';
import { renderValue } from './render';
import { reserveThreadState } from './thread-state';

/** What a field compiles to for one argument. */
export interface Compiled {
  extract: Extractor;
  /** -p text; defaults to renderValue(type, fmt, extract(ctx)). */
  display?: (ctx: EvalContext) => string | undefined;
  /** See BoundField.each. */
  each?: (ctx: EvalContext, test: (v: Exclude<FieldValue, undefined>) => boolean) => boolean;
  /** Value type when it depends on the argument (evt.rawarg.X). */
  type?: PT;
}

export interface FieldSpec {
  name: string;
  type: PT;
  fmt: PF;
  desc: string;
  arg?: ArgMode;
  /** Not listed by -l (sysdig's table-only and print-only fields). */
  hidden?: boolean;
  filterOnly?: boolean;
  /** See FieldDef.displayMissing. */
  displayMissing?: boolean;
  /** See FieldDef.typeOnly. */
  typeOnly?: boolean;
  compile(arg: string | undefined): Compiled;
}

/** A FieldDef that also knows how to compile itself fully. */
export interface FieldDefX extends FieldDef {
  compile(arg: string | undefined): Compiled;
}

export function defineField(spec: FieldSpec): FieldDefX {
  let lastArg: string | undefined;
  let last: Compiled | undefined;
  const cached = (arg: string | undefined): Compiled => {
    if (!last || arg !== lastArg) { last = spec.compile(arg); lastArg = arg; }
    return last;
  };
  const def: FieldDefX = {
    name: spec.name,
    type: spec.type,
    fmt: spec.fmt,
    desc: spec.desc,
    arg: spec.arg ?? ArgMode.NONE,
    hidden: spec.hidden,
    filterable: true,
    filterOnly: spec.filterOnly,
    displayMissing: spec.displayMissing,
    typeOnly: spec.typeOnly,
    compile: spec.compile,
    make(arg) { return spec.compile(arg).extract; },
    print(ctx, arg) {
      const c = cached(arg);
      if (c.display) return c.display(ctx);
      return renderValue(c.type ?? spec.type, spec.fmt, c.extract(ctx));
    },
  };
  return def;
}

/** Shorthand for fields without arguments whose value comes from one function. */
export function simple(name: string, type: PT, fmt: PF, desc: string, get: Extractor,
  opts: { hidden?: boolean; filterOnly?: boolean; typeOnly?: boolean; display?: (ctx: EvalContext) => string | undefined;
    /** Each compiled instance reserves a per-thread slot, as in sysdig (see thread-state.ts). */
    reservesThreadState?: boolean; } = {}): FieldDefX {
  const compiled: Compiled = { extract: get, display: opts.display };
  const compile = opts.reservesThreadState ? () => { reserveThreadState(); return compiled; } : () => compiled;
  return defineField({ name, type, fmt, desc, hidden: opts.hidden, filterOnly: opts.filterOnly, typeOnly: opts.typeOnly, compile });
}

/** A class with an optional custom name parser (see registry.ts). */
export interface FieldClassX extends FieldClass {
  readonly fields: readonly FieldDefX[];
  /** Hidden classes (sysdig's util) resolve but are not listed. */
  readonly hiddenClass?: boolean;
  /**
   * Custom parse of a field reference starting at text[pos]: returns the
   * field, argument and end offset; null when the class's generic
   * longest-prefix match applies; throws for a malformed argument.
   */
  parse?(text: string, pos: number): ParseResult | null;
}

export interface ParseResult { def: FieldDefX; arg: string | undefined; end: number }

export function byName(fields: readonly FieldDefX[], name: string): FieldDefX {
  const f = fields.find((d) => d.name === name);
  if (!f) throw new Error('internal: no field ' + name);
  return f;
}

/** true when text[pos..] starts with s. */
export function startsAt(text: string, pos: number, s: string): boolean {
  return text.startsWith(s, pos);
}

/** sscanf("%d%c") == 1: an optionally signed decimal int32 with nothing after it (leading blanks allowed). */
export function parseInt32Strict(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  let v = Number(m[1]);
  if (!Number.isFinite(v)) return undefined;
  // glibc clamps out-of-range conversions for %d via strtol then truncates to int.
  if (v > 0x7fffffff || v < -0x80000000) {
    const big = BigInt(m[1]);
    const clamped = big > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : big < -0x8000000000000000n ? -0x8000000000000000n : big;
    v = Number(BigInt.asIntN(32, clamped));
  }
  return v;
}

/** sscanf("%u%c") == 1 for uint32 (accepts a leading sign like strtoul). */
export function parseUint32Strict(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  const big = BigInt(m[1]);
  return Number(BigInt.asUintN(32, big));
}

/** sscanf("%" PRIu64 "%c") == 1. */
export function parseUint64Strict(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  const big = BigInt(m[1]);
  if (big > 0xffffffffffffffffn) return 0xffffffffffffffffn;
  return BigInt.asUintN(64, big);
}
