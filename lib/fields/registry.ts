// The field catalog: every field class in sysdig's order, how a field
// reference is parsed out of a filter or a -p format, binding a reference
// to its evaluators, and the -l / -lv listing.

import { PF, PT } from '../schema/types';
import { ArgMode } from './types';
import type { BoundField, EvalContext, FieldClass, FieldDef, FieldValue } from './types';
import type { FieldClassX, FieldDefX } from './def';
import { renderValue } from './render';
import { EVT_GENERAL, EVT_SYSCALL } from './evt';
import { PROCESS } from './proc';
import { USER } from './user';
import { GROUP } from './group';
import { CONTAINER } from './container';
import { FD } from './fd';
import { FDLIST } from './fdlist';
import { K8S } from './k8s';
import { EVTIN, MESOS, SPAN, SYSLOG, UTIL } from './misc';

/** Every class in the order sysdig resolves names (util is hidden from listings). */
const RESOLUTION_ORDER: readonly FieldClassX[] = [
  EVT_GENERAL, EVT_SYSCALL, PROCESS, USER, GROUP, CONTAINER, FD, SYSLOG, UTIL, FDLIST, K8S, MESOS, SPAN, EVTIN,
];

/** The field classes in sysdig's -l order. */
export const FIELD_CLASSES: readonly FieldClass[] = RESOLUTION_ORDER.filter((c) => !c.hiddenClass);

/** Every field definition, hidden ones included, by full name. */
export const FIELDS_BY_NAME: ReadonlyMap<string, FieldDef> = (() => {
  const m = new Map<string, FieldDef>();
  for (const c of RESOLUTION_ORDER) for (const f of c.fields) if (!m.has(f.name)) m.set(f.name, f);
  return m;
})();

export interface ResolvedField { def: FieldDef; arg: string | undefined; end: number }

export interface ResolveOptions {
  /**
   * Resolving for a -p format (sysdig's display mode): a filter-only field
   * throws "<rest of text> is filter only and cannot be used as a display field".
   */
  display?: boolean;
}

function longestPrefix(cls: FieldClassX, text: string, pos: number): FieldDefX | undefined {
  let best: FieldDefX | undefined;
  for (const f of cls.fields) {
    if (text.startsWith(f.name, pos) && (!best || f.name.length > best.name.length)) best = f;
  }
  return best;
}

/**
 * Parses the field reference starting at text[pos], the way sysdig does:
 * classes are tried in order and the first that recognises the start of the
 * text wins (within a class, the longest field name; then the field's
 * argument form: proc.aname[2], evt.arg.name, evt.arg[0], evt.rawarg.res,
 * thread.cgroup.cpu, k8s.pod.label.app, container.mount[/data] ...).
 *
 * Returns undefined when no class recognises the text. `end` is the offset
 * just past the reference; a filter must check that it covers its whole
 * operand word (sysdig rejects 'evt.typex' as an unknown field). In a few
 * quirky cases sysdig accepts a field but consumes nothing (end === pos,
 * e.g. '%proc.apid' followed by more text, or '%evt.type.is.open ...').
 * A malformed argument throws an Error with sysdig's message.
 */
export function resolveField(text: string, pos: number, opts: ResolveOptions = {}): ResolvedField | undefined {
  for (const cls of RESOLUTION_ORDER) {
    const custom = cls.parse ? cls.parse(text, pos) : null;
    if (custom) return custom;
    const def = longestPrefix(cls, text, pos);
    if (def) {
      if (opts.display && def.filterOnly) {
        throw new Error(text.slice(pos) + ' is filter only and cannot be used as a display field');
      }
      return { def, arg: undefined, end: pos + def.name.length };
    }
  }
  return undefined;
}

function refText(def: FieldDef, arg: string | undefined): string {
  if (arg === undefined) return def.name;
  const bracket = def.arg === ArgMode.OPTIONAL_INDEX || def.arg === ArgMode.REQUIRED_INDEX || /^-?\d+$/.test(arg);
  return def.name + (bracket ? '[' + arg + ']' : '.' + arg);
}

function bindResolved(def: FieldDef, arg: string | undefined, text: string): BoundField {
  const x = def as FieldDefX;
  if (typeof x.compile !== 'function') {
    const extract = def.make(arg);
    return {
      def, arg, text, type: def.type, fmt: def.fmt, extract,
      display: def.print ? (ctx) => def.print!(ctx, arg) : (ctx) => renderValue(def.type, def.fmt, extract(ctx)),
    };
  }
  const c = x.compile(arg);
  const type = c.type ?? def.type;
  const fmt = def.fmt;
  const extract = c.extract;
  const display = c.display ?? ((ctx: EvalContext) => renderValue(type, fmt, extract(ctx)));
  return { def, arg, text, type, fmt, extract, display, genericDisplay: c.display === undefined, each: c.each };
}

/**
 * Binds a field reference to its evaluators. Two forms:
 *  - bindField(def, arg, text?): a field and argument as resolveField returns them;
 *  - bindField(text): the whole text is one field reference (a filter operand);
 *    undefined when it is not a known field (or has trailing text), and an
 *    Error with sysdig's message for a bad argument.
 * The argument is the text inside the brackets or after the dot: '2' for
 * proc.aname[2], '0' for evt.arg[0], 'fd' for evt.arg.fd.
 */
export function bindField(text: string): BoundField | undefined;
export function bindField(def: FieldDef, arg: string | undefined, text?: string): BoundField;
export function bindField(a: FieldDef | string, arg?: string, text?: string): BoundField | undefined {
  if (typeof a === 'string') {
    const r = resolveField(a, 0);
    if (!r || r.end !== a.length) return undefined;
    return bindResolved(r.def, r.arg, a);
  }
  return bindResolved(a, arg, text ?? refText(a, arg));
}

/**
 * For -p formats: resolves the field reference at text[pos] and binds it.
 * Returns the bound field and the offset past the reference, or undefined
 * when no field starts there. Filter-only fields are returned too (their
 * display is always absent); the caller reports them as sysdig does.
 */
export function compileField(text: string, pos = 0): { field: BoundField; end: number } | undefined {
  const r = resolveField(text, pos);
  if (!r) return undefined;
  return { field: bindResolved(r.def, r.arg, text.slice(pos, r.end)), end: r.end };
}

/** Resolves and binds a complete field reference; throws when the text is not exactly one field. */
export function requireField(text: string): BoundField {
  const b = bindField(text);
  if (!b) throw new Error('unrecognized field ' + text);
  return b;
}

/** Convenience for tests and chisels: the -p text of a field reference for one event. */
export function fieldText(text: string, ctx: EvalContext): string | undefined {
  return requireField(text).display(ctx);
}

/** Convenience: the comparison value of a field reference for one event. */
export function fieldValue(text: string, ctx: EvalContext): FieldValue {
  return requireField(text).extract(ctx);
}

// ---------------------------------------------------------------------------
// Listing

const TYPE_NAMES: Record<number, string> = {
  [PT.NONE]: 'NONE', [PT.INT8]: 'INT8', [PT.INT16]: 'INT16', [PT.INT32]: 'INT32', [PT.INT64]: 'INT64',
  [PT.UINT8]: 'UINT8', [PT.UINT16]: 'UINT16', [PT.UINT32]: 'UINT32', [PT.UINT64]: 'UINT64',
  [PT.CHARBUF]: 'CHARBUF', [PT.BYTEBUF]: 'BYTEBUF', [PT.ERRNO]: 'ERRNO', [PT.SOCKADDR]: 'SOCKADDR',
  [PT.SOCKTUPLE]: 'SOCKTUPLE', [PT.FD]: 'FD', [PT.PID]: 'PID', [PT.FDLIST]: 'FDLIST', [PT.FSPATH]: 'FSPATH',
  [PT.SYSCALLID]: 'SYSCALLID', [PT.SIGTYPE]: 'SIGTYPE', [PT.RELTIME]: 'RELTIME', [PT.ABSTIME]: 'ABSTIME',
  [PT.PORT]: 'PORT', [PT.L4PROTO]: 'L4PROTO', [PT.SOCKFAMILY]: 'SOCKFAMILY', [PT.BOOL]: 'BOOL',
  [PT.IPV4ADDR]: 'IPV4ADDR', [PT.IPADDR]: 'IPADDR', [PT.IPNET]: 'IPNET', [PT.DYN]: 'DYNAMIC',
  [PT.FLAGS8]: 'FLAGS8', [PT.FLAGS16]: 'FLAGS16', [PT.FLAGS32]: 'FLAGS32', [PT.MODE]: 'MODE', [PT.UID]: 'UID',
  [PT.GID]: 'GID', [PT.SIGSET]: 'SIGSET', [PT.IPV4NET]: 'IPV4NET', [PT.DOUBLE]: 'DOUBLE',
  [PT.CHARBUFARRAY]: 'CHARBUFARRAY', [PT.CHARBUF_PAIR_ARRAY]: 'CHARBUF_PAIR_ARRAY', [PT.FSRELPATH]: 'FSRELPATH',
};

/** sysdig's name of a value type, as -lv shows it. */
export function typeName(t: PT): string {
  return TYPE_NAMES[t] ?? '<NA>';
}

const PF_NAMES: Record<number, string> = {
  [PF.DEC]: 'DEC', [PF.HEX]: 'HEX', [PF.PADDED_DEC_10]: '10_PADDED_DEC', [PF.ID]: 'ID', [PF.DIR]: 'DIR', [PF.OCT]: 'OCT', [PF.NA]: 'NA',
};

export function formatName(f: PF): string {
  return PF_NAMES[f] ?? 'NA';
}

const COL = 30;
const WIDTH = 120;

function pad(s: string): string {
  return s.length >= COL ? s : s + ' '.repeat(COL - s.length);
}

/** Word-wraps into the right column: each word followed by a space, lines of at most 90 columns. */
function wrap(text: string): string {
  let out = '';
  let len = 0;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const wl = word.length + 1;
    if (len + wl <= WIDTH - COL) len += wl;
    else { out += '\n' + ' '.repeat(COL); len = wl; }
    out += word + ' ';
  }
  return out;
}

/** The -l --list-markdown listing: per class, a markdown table of the fields (sysdig's layout). */
export function renderFieldListMarkdown(): string {
  let out = '';
  for (const cls of FIELD_CLASSES) {
    out += '\n## Field Class: ' + cls.name + '\n\n';
    if (cls.desc !== '') out += cls.desc + '\n\n';
    out += 'Name | Type | Description\n:----|:-----|:-----------\n';
    for (const f of cls.fields) {
      if (f.hidden) continue;
      out += '`' + f.name + '` | ' + typeName(f.type) + ' | ' + f.desc.replace(/\s+/g, ' ').trim() + '\n';
    }
  }
  return out;
}

/** The -l (verbose: -lv) listing, in sysdig's layout. */
export function renderFieldList(verbose: boolean): string {
  let out = '';
  for (const cls of FIELD_CLASSES) {
    out += '-------------------------------\n';
    out += pad('Field Class:') + cls.name + (cls.shortDesc ? ' (' + cls.shortDesc + ')' : '') + '\n';
    if (cls.desc !== '') out += pad('Description:') + wrap(cls.desc) + '\n';
    out += '\n';
    for (const f of cls.fields) {
      if (f.hidden) continue;
      out += f.name.length > COL ? f.name + '\n' + ' '.repeat(COL) : pad(f.name);
      let desc = f.desc;
      if (f.filterOnly) desc = '(FILTER ONLY) ' + desc;
      if (verbose) desc = '(Type: ' + typeName(f.type) + ') ' + desc;
      out += wrap(desc) + '\n';
    }
    out += '\n';
  }
  return out;
}
