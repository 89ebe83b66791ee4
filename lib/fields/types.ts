// The field catalog contract: one table of fields (evt.*, proc.*, fd.* ...)
// serving filters, -p output formats, -l listings and chisels.

import { PF, PT } from '../schema/types';
import type { ScapEvent } from '../event/event';
import type { StateView } from '../state/view';

/**
 * What a field extractor sees for the current event. The state engine fills
 * it before filters and formatters run; it is reused for every event.
 */
export interface EvalContext {
  ev: ScapEvent;
  state: StateView;
}

/**
 * A field value. Numbers for integer types that fit 2^53 (u64 values beyond
 * that as bigint), strings for text, Buffer for raw bytes/addresses, boolean
 * for BOOL. undefined means the field does not apply (sysdig prints <NA>).
 */
export type FieldValue = number | bigint | string | Buffer | boolean | undefined;

export type Extractor = (ctx: EvalContext) => FieldValue;

/** How a field takes an argument in brackets or after a dot: proc.aname[2], evt.arg.name. */
export const enum ArgMode { NONE = 0, OPTIONAL_INDEX = 1, REQUIRED_INDEX = 2, REQUIRED_KEY = 3, OPTIONAL_KEY = 4 }

export interface FieldDef {
  /** Full name, e.g. 'proc.name'. */
  readonly name: string;
  readonly type: PT;
  readonly fmt: PF;
  readonly desc: string;
  readonly arg: ArgMode;
  /** Hidden from -l unless -lv (sysdig's EPF_TABLE_ONLY/EPF_PRINT_ONLY-like flags). */
  readonly hidden?: boolean;
  /** May be used in filters (some fields are output-only). */
  readonly filterable?: boolean;
  /** Builds the extractor for a given argument (already validated by ArgMode). Throws Error with a message for a bad argument. */
  make(arg: string | undefined): Extractor;
  /**
   * Optional: render the value as sysdig prints it in -p output when this
   * differs from the generic rendering of (type, fmt), e.g. evt.info, fd.name.
   */
  print?(ctx: EvalContext, arg: string | undefined): string | undefined;
  /**
   * sysdig's EPF_FILTER_ONLY: accepted in filters only; a -p format naming it
   * is an error ("<field> is filter only and cannot be used as a display field").
   */
  readonly filterOnly?: boolean;
  /**
   * Listed as filter-only, yet sysdig 0.29.3's formatter takes it (evt.around[T]):
   * a -p format naming it prints no value rather than failing.
   */
  readonly displayMissing?: boolean;
  /**
   * The value is a function of the event type's table entry alone (evt.is_io,
   * ...): a filter analysis may decide such checks per event type.
   */
  readonly typeOnly?: boolean;
}

/**
 * A field reference resolved once (e.g. from a filter or a -p format) and
 * ready to evaluate per event. Built by bindField()/compileField() in
 * lib/fields/registry.ts.
 */
export interface BoundField {
  readonly def: FieldDef;
  readonly arg: string | undefined;
  /** The text that named it, e.g. 'proc.aname[2]'. */
  readonly text: string;
  /** Value type and print format (differ from def's for evt.rawarg.X: the argument's own type). */
  readonly type: PT;
  readonly fmt: PF;
  /** Value for comparisons (no display sanitising; raw bytes for evt.buffer). */
  readonly extract: Extractor;
  /**
   * Text sysdig prints for it in -p output, or undefined for <NA>. May throw
   * (sysdig aborts on some raw argument types, e.g. "wrong event type 14").
   */
  readonly display: (ctx: EvalContext) => string | undefined;
  /** display is the generic rendering of extract's value (renderValue of type and fmt). */
  readonly genericDisplay?: boolean;
  /**
   * For fields with several candidate values whose filter comparison holds
   * when some candidate passes, under rules of their own (evtin.*): calls
   * `test` on candidates and returns the verdict.
   */
  readonly each?: (ctx: EvalContext, test: (v: Exclude<FieldValue, undefined>) => boolean) => boolean;
}

export interface FieldClass {
  readonly name: string;        // 'evt', 'proc', 'fd' ...
  readonly desc: string;
  readonly fields: readonly FieldDef[];
  /** Shown in parentheses after the class name in -l ('All event types'). */
  readonly shortDesc?: string;
}
