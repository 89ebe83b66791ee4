// Field classes sysdig lists besides the main families: syslog (decoded from
// writes to /dev/log), mesos/marathon and span/evtin (distributed tracing).
// Captures replayed here carry no mesos state, so those fields resolve and
// parse like sysdig's but never have a value.

import { PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import { PartialTracer, requestSpanTracking, TracerParser } from '../state/tracers';
import { humanDuration, timeString } from './render';
import { ArgMode, EvalContext, FieldValue } from './types';
import { FieldClassX, FieldDefX, ParseResult, byName, defineField, parseInt32Strict, simple } from './def';
import { parseLabel } from './k8s';
import { longestParamName } from './evt';
import { FACILITIES, SEVERITIES, syslogOf } from './syslog';

// ---------------------------------------------------------------------------
// syslog

const SYSLOG_FIELDS: FieldDefX[] = [
  simple('syslog.facility.str', PT.CHARBUF, PF.NA, 'syslog facility, as text.',
    (c) => { const s = syslogOf(c); return s ? FACILITIES[s.facility] ?? '<NA>' : undefined; }),
  simple('syslog.facility', PT.UINT32, PF.DEC, 'syslog facility, as a number from 0 to 23.', (c) => syslogOf(c)?.facility),
  simple('syslog.severity.str', PT.CHARBUF, PF.NA,
    'syslog severity, as text: emerg, alert, crit, err, warn, notice, info or debug',
    (c) => { const s = syslogOf(c); return s ? SEVERITIES[s.severity] ?? '<NA>' : undefined; }),
  simple('syslog.severity', PT.UINT32, PF.DEC, 'syslog severity, as a number from 0 to 7.', (c) => syslogOf(c)?.severity),
  simple('syslog.message', PT.CHARBUF, PF.NA, 'text of the syslog message.', (c) => syslogOf(c)?.msg),
];

export const SYSLOG: FieldClassX = { name: 'syslog', desc: 'Messages written to syslog.', fields: SYSLOG_FIELDS };

// ---------------------------------------------------------------------------
// util (hidden)

export const UTIL: FieldClassX = {
  name: 'util',
  desc: '',
  hiddenClass: true,
  fields: [defineField({
    name: 'util.cnt', type: PT.UINT64, fmt: PF.ID, desc: 'a counter that grows by one each time it is read.',
    compile: () => { let n = 0; return { extract: () => ++n }; },
  })],
};

// ---------------------------------------------------------------------------
// mesos / marathon

const none = (): FieldValue => undefined;
const str = (name: string, desc: string) => simple(name, PT.CHARBUF, PF.NA, desc, none);
const keyed = (name: string, desc: string, type: PT = PT.CHARBUF, fmt: PF = PF.NA) =>
  defineField({ name, type, fmt, desc, arg: ArgMode.REQUIRED_KEY, compile: () => ({ extract: none }) });

const MESOS_FIELDS: FieldDefX[] = [
  str('mesos.task.name', 'name of the Mesos task.'),
  str('mesos.task.id', 'id of the Mesos task.'),
  keyed('mesos.task.label', 'one label of the Mesos task, named after a dot, as in mesos.task.label.foo.'),
  str('mesos.task.labels', 'labels of the Mesos task as key:value pairs, comma separated.'),
  str('mesos.framework.name', 'name of the Mesos framework.'),
  str('mesos.framework.id', 'id of the Mesos framework.'),
  str('marathon.app.name', 'name of the Marathon app.'),
  str('marathon.app.id', 'id of the Marathon app.'),
  keyed('marathon.app.label', 'one label of the Marathon app, named after a dot, as in marathon.app.label.foo.'),
  str('marathon.app.labels', 'labels of the Marathon app as key:value pairs, comma separated.'),
  str('marathon.group.name', 'name of the Marathon group.'),
  str('marathon.group.id', 'id of the Marathon group.'),
];

export const MESOS: FieldClassX = {
  name: 'mesos',
  desc: 'Mesos context of the event.',
  fields: MESOS_FIELDS,
  parse: (text, pos) => parseLabel(text, pos, MESOS_FIELDS, ['mesos.task.label', 'marathon.app.label']),
};

// ---------------------------------------------------------------------------
// span (tracers): the tracer events of lib/state/tracers.ts

/** The tracer parser behind a tracer event, or undefined for other events. */
function tracerOf(c: EvalContext): TracerParser | undefined {
  const t = c.ev.type;
  if (t !== E.TRACER_E && t !== E.TRACER_X) return undefined;
  return c.state.thread?.tracer;
}

/**
 * A span field. `tracked` fields need the open spans (sysdig requests its
 * span state tracking when they are compiled) and have no value for a tracer
 * whose enter was not seen.
 */
function spanField(name: string, type: PT, fmt: PF, desc: string, tracked: boolean,
  get: (p: TracerParser, c: EvalContext, arg: FieldArg) => FieldValue,
  opts: { arg?: ArgMode; hidden?: boolean } = {}): FieldDefX {
  return defineField({
    name, type, fmt, desc, arg: opts.arg, hidden: opts.hidden,
    compile: (text) => {
      if (tracked) requestSpanTracking();
      const arg = fieldArg(text);
      return {
        extract: (c) => {
          const p = tracerOf(c);
          if (p === undefined || (tracked && p.enter === undefined)) return undefined;
          return get(p, c, arg);
        },
      };
    },
  });
}

/** sysdig's argument id for an argument given by name (span.arg.NAME). */
const TEXT_ARG_ID = -1000000;

/**
 * A span or evtin field's argument, read once when the field is compiled:
 * the position of the [N] form as sysdig reads it (a clamped int32), or
 * TEXT_ARG_ID and the name of the .NAME form. The parsers below hand the
 * position over as its decimal text and a name after a dot.
 */
interface FieldArg { id: number; name: string }

function fieldArg(arg: string | undefined): FieldArg {
  if (arg === undefined) return { id: TEXT_ARG_ID, name: '' };
  if (arg.startsWith('.')) return { id: TEXT_ARG_ID, name: arg.slice(1) };
  return { id: Number(arg), name: '' };
}

/** Item `pos` of a list, negative from the end. */
function at<T>(list: readonly T[], pos: number): T | undefined {
  return pos >= 0 ? list[pos] : list[list.length + pos];
}

/** An argument of a span by position ([N]) or by name (.name). */
function spanArgValue(p: PartialTracer | undefined, arg: FieldArg): FieldValue {
  if (p === undefined) return undefined;
  if (arg.id !== TEXT_ARG_ID) return at(p.argVals, arg.id);
  const i = p.argNames.indexOf(arg.name);
  return i < 0 ? undefined : p.argVals[i];
}

function argsText(p: PartialTracer | undefined, sep: string): FieldValue {
  if (p === undefined) return undefined;
  let s = '';
  for (let i = 0; i < p.argNames.length; i++) s += (i ? ',' : '') + p.argNames[i] + sep + p.argVals[i];
  return s;
}

/** The span of a tracer event as args see it: its enter for an enter, the exit itself for an exit. */
const ownSide = (p: TracerParser, c: EvalContext): PartialTracer | undefined => (c.ev.type === E.TRACER_E ? p.enter : p.exit);

/** Nanoseconds of a span, at its exit. */
function spanDuration(p: TracerParser, c: EvalContext): number | undefined {
  if (c.ev.type !== E.TRACER_X || p.enter === undefined) return undefined;
  const d = p.exit.time - p.enter.time;
  return d < 0n ? 0 : Number(d);
}

const SPAN_FIELDS: FieldDefX[] = [
  spanField('span.id', PT.INT64, PF.ID, 'id of the span; the enter and exit tracers of a span share it, and so do the spans of one trace.', false,
    (p) => p.id),
  spanField('span.time', PT.CHARBUF, PF.NA, 'time of the tracer event, with nanoseconds.', true,
    (_p, c) => timeString(c.ev.sec, c.ev.nsec, false, true)),
  spanField('span.ntags', PT.UINT32, PF.DEC, 'how many tags the span has.', false, (p) => p.tags.length),
  spanField('span.nargs', PT.UINT32, PF.DEC, 'how many arguments the enter tracer of the span has.', false,
    (p) => p.enter?.argVals.length),
  spanField('span.tags', PT.CHARBUF, PF.NA, 'tags of the span, joined with dots.', false, (p) => p.tagsText()),
  spanField('span.tag', PT.CHARBUF, PF.NA, 'one tag of the span by position, as in span.tag[1]; negative positions count from the end (span.tag[-1] is the last one).', false,
    (p, _c, arg) => at(p.tags, arg.id), { arg: ArgMode.REQUIRED_KEY }),
  spanField('span.args', PT.CHARBUF, PF.NA, 'arguments of the tracer, as name=value pairs separated by commas.', true,
    (p, c) => argsText(ownSide(p, c), '=')),
  spanField('span.arg', PT.CHARBUF, PF.NA, 'one argument of the tracer, by name (span.arg.xxx) or by position (span.arg[1]); negative positions count from the end.', true,
    (p, c, arg) => spanArgValue(ownSide(p, c), arg), { arg: ArgMode.REQUIRED_KEY }),
  spanField('span.enterargs', PT.CHARBUF, PF.NA, 'arguments of the enter tracer of the span, as name=value pairs separated by commas.', true,
    (p) => argsText(p.enter, '=')),
  spanField('span.enterarg', PT.CHARBUF, PF.NA, 'one argument of the enter tracer of the span, by name or by position.', true,
    (p, _c, arg) => spanArgValue(p.enter, arg), { arg: ArgMode.REQUIRED_KEY }),
  spanField('span.duration', PT.RELTIME, PF.DEC, 'nanoseconds between the enter and the exit tracer of the span, at its exit.', true,
    (p, c) => spanDuration(p, c)),
  spanField('span.duration.quantized', PT.UINT64, PF.DEC, 'log10 bucket of the span duration (used by table views).', true,
    (p, c) => {
      const d = spanDuration(p, c);
      if (d === undefined || d === 0) return undefined;
      // sysdig scales by the terminal width of its curses views, -1 elsewhere,
      // and adds 1 in uint64: from 100 s on, (uint64)-1 + 1 wraps to 0
      const l = Math.min(Math.log10(d), 11);
      return Number(BigInt.asUintN(64, BigInt(Math.trunc((l * -1) / 11)) + 1n));
    }, { hidden: true }),
  spanField('span.duration.human', PT.CHARBUF, PF.NA, 'span duration as a short readable string, such as 10.3ms.', true,
    (p, c) => { const d = spanDuration(p, c); return d === undefined ? undefined : humanDuration(d); }),
  spanField('span.duration.fortag', PT.RELTIME, PF.DEC, 'span duration when the span has the argument plus one tags (used by table views).', true,
    (p, c, arg) => (p.tags.length - 1 === arg.id ? spanDuration(p, c) : undefined), { arg: ArgMode.REQUIRED_KEY, hidden: true }),
  spanField('span.count', PT.UINT64, PF.DEC, '1 at the exit tracer of a span, 0 at the enter (used by table views).', false,
    (_p, c) => (c.ev.type === E.TRACER_X ? 1 : 0), { hidden: true }),
  spanField('span.count.fortag', PT.UINT64, PF.DEC, '1 at the exit of a span with the argument plus one tags (used by table views).', false,
    (p, c, arg) => (c.ev.type === E.TRACER_X && p.tags.length - 1 === arg.id ? 1 : 0), { arg: ArgMode.REQUIRED_KEY, hidden: true }),
  // (sysdig adds 1 in int32, and a name's id is far below any count)
  spanField('span.childcount.fortag', PT.UINT64, PF.DEC, '1 at the exit of a span with more than the argument plus one tags (used by table views).', false,
    (p, c, arg) => (c.ev.type === E.TRACER_X && p.tags.length > ((arg.id + 1) | 0) ? 1 : 0), { arg: ArgMode.REQUIRED_KEY, hidden: true }),
  spanField('span.idtag', PT.CHARBUF, PF.NA, 'the span id followed by its tag at the given position (used by the span list view).', true,
    (p, _c, arg) => String(p.id) + (at(p.tags, arg.id) ?? ''), { arg: ArgMode.REQUIRED_KEY, hidden: true }),
  spanField('span.rawtime', PT.CHARBUF, PF.NA, 'time of the enter tracer of the span, in nanoseconds since the epoch (used by the span list view).', true,
    (p) => String(p.enter!.time), { hidden: true }),
  spanField('span.rawparenttime', PT.CHARBUF, PF.NA, 'time of the enter tracer of the parent span, in nanoseconds since the epoch (used by the span list view).', true,
    (p, c) => { const o = c.state.spans === undefined ? undefined : p.parentSpan(c.state.spans); return o === undefined ? undefined : String(o.time); },
    { hidden: true }),
];

/**
 * The [N] form of a span or evtin field's argument, '[' at text[p]: N as
 * sysdig parses it (a clamped int32), handed on as its decimal text.
 */
function positionArg(text: string, pos: number, p: number, def: FieldDefX): ParseResult {
  const close = text.indexOf(']', pos);
  const inner = close < 0 ? text.slice(p + 1) : text.slice(p + 1, close);
  const id = parseInt32Strict(inner);
  if (id === undefined) throw new Error(inner + ' is not a valid number');
  return { def, arg: String(id), end: close < 0 ? pos : close + 1 };
}

/** [N] or .rest argument forms of the tracer fields. */
function spanArg(text: string, pos: number, base: string, def: FieldDefX): ParseResult {
  const p = pos + base.length;
  if (text[p] === '[') return positionArg(text, pos, p, def);
  if (text[p] === '.') {
    if (base === 'span.tag') throw new Error('invalid syntax for span.tag');
    if (base === 'span.idtag') throw new Error('invalid syntax for span.idtag');
    return { def, arg: text.slice(p), end: text.length };
  }
  throw new Error('filter syntax error: ' + text.slice(pos));
}

export const SPAN: FieldClassX = {
  name: 'span',
  desc: 'Distributed tracing spans, when tracer events are present.',
  fields: SPAN_FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    const at = (s: string) => text.startsWith(s, pos);
    const pairs: [string, string | undefined][] = [
      ['span.tag', 'span.tags'], ['span.arg', 'span.args'], ['span.enterarg', 'span.enterargs'],
      ['span.duration.fortag', undefined], ['span.count.fortag', undefined], ['span.childcount.fortag', undefined],
      ['span.idtag', undefined],
    ];
    for (const [base, plural] of pairs) {
      if (at(base) && !(plural && at(plural))) return spanArg(text, pos, base, byName(SPAN_FIELDS, base));
    }
    return null;
  },
};

// ---------------------------------------------------------------------------
// evtin: events inside open spans

/** Which spans an evtin field looks at, relative to the event's thread. */
const enum Scope { THREAD = 0, PROCESS = 1, SCRIPT = 2, MACHINE = 3 }

/**
 * Whether an open span covers the event's thread (sysdig's extract_tracer).
 * The process scope compares thread ids, as sysdig 0.29.3 does.
 */
function covers(c: EvalContext, pae: PartialTracer, scope: Scope): boolean {
  const t = c.state.thread;
  if (t === undefined) return false;
  if (scope === Scope.THREAD) return pae.tid === t.tid;
  if (scope === Scope.MACHINE) return true;
  const owner = c.state.threads.get(pae.tid);
  if (owner === undefined) return false;
  return scope === Scope.PROCESS ? owner.tid === t.tid : owner.pid === t.ptid;
}

/** What an evtin field reads from a span covering the event. */
function evtinGetter(what: string, arg: FieldArg): (pae: PartialTracer) => FieldValue {
  switch (what) {
    case 'id': return (pae) => pae.id;
    case 'ntags': return (pae) => pae.tags.length;
    case 'nargs': return (pae) => pae.argVals.length;
    case 'tags': return (pae) => pae.tags.join('.');
    case 'tag': return (pae) => at(pae.tags, arg.id);
    case 'args': return (pae) => argsText(pae, ':');
    default: return (pae) => at(pae.argVals, arg.id);
  }
}

function evtinField(scope: Scope, what: string, type: PT, fmt: PF, desc: string, keyedArg: boolean): FieldDefX {
  const name = 'evtin.span.' + ['', 'p.', 's.', 'm.'][scope] + what;
  return defineField({
    name, type, fmt, desc, arg: keyedArg ? ArgMode.REQUIRED_KEY : undefined,
    compile: (text) => {
      requestSpanTracking();
      const get = evtinGetter(what, fieldArg(text));
      /** The field's value for one open span, or undefined when the span does not cover the event. */
      const valueIn = (c: EvalContext, pae: PartialTracer): FieldValue => (covers(c, pae, scope) ? get(pae) : undefined);
      return {
        // shown: the first open span covering the event (tracer events excluded)
        extract: (c) => {
          const ty = c.ev.type;
          if (ty === E.TRACER_E || ty === E.TRACER_X) return undefined;
          const spans = c.state.spans;
          if (spans === undefined || c.state.thread?.tracer === undefined) return undefined;
          for (const pae of spans.open) {
            const v = valueIn(c, pae);
            if (v !== undefined) return v;
          }
          return undefined;
        },
        // compared: any open span covering the event whose value passes; a
        // tracer enter does not count its own span, a tracer exit also tries
        // the span it closes
        each: (c, test) => {
          const t = c.state.thread;
          const spans = c.state.spans;
          if (t === undefined || spans === undefined) return false;
          const ty = c.ev.type;
          for (const pae of spans.open) {
            const v = valueIn(c, pae);
            if (v !== undefined && test(v)) return !(ty === E.TRACER_E && pae === t.tracer?.enter);
          }
          if (ty === E.TRACER_X) {
            const e = t.tracer?.enter;
            if (e === undefined) return false;
            const v = valueIn(c, e);
            return v !== undefined && test(v);
          }
          return false;
        },
      };
    },
  });
}

const EVTIN_FIELDS: FieldDefX[] = [];
for (const scope of [Scope.THREAD, Scope.PROCESS, Scope.SCRIPT, Scope.MACHINE]) {
  const who = scope === Scope.THREAD ? 'by the thread that produced the span'
    : scope === Scope.PROCESS ? 'by any thread of the process that produced the span'
      : scope === Scope.SCRIPT ? 'by the processes sharing the parent of the process that produced the span'
        : 'anywhere on the machine';
  EVTIN_FIELDS.push(
    evtinField(scope, 'id', PT.INT64, PF.ID, `keeps events within spans of this id, produced ${who}.`, false),
    evtinField(scope, 'ntags', PT.UINT32, PF.DEC, `keeps events within spans with this many tags, produced ${who}.`, false),
    evtinField(scope, 'nargs', PT.UINT32, PF.DEC, `keeps events within spans with this many arguments, produced ${who}.`, false),
    evtinField(scope, 'tags', PT.CHARBUF, PF.NA, `keeps events within spans with these tags, produced ${who}.`, false),
    evtinField(scope, 'tag', PT.CHARBUF, PF.NA, `keeps events within spans with this tag (see span.tag), produced ${who}.`, true),
    evtinField(scope, 'args', PT.CHARBUF, PF.NA, `keeps events within spans with these arguments, produced ${who}.`, false),
    evtinField(scope, 'arg', PT.CHARBUF, PF.NA, `keeps events within spans with this argument (see span.arg), produced ${who}.`, true),
  );
}

export const EVTIN: FieldClassX = {
  name: 'evtin',
  desc: 'Events that happen inside distributed tracing spans.',
  fields: EVTIN_FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    for (const scope of ['', 'p.', 's.', 'm.']) {
      for (const what of ['tag', 'arg']) {
        const base = 'evtin.span.' + scope + what;
        if (!text.startsWith(base, pos) || text.startsWith(base + 's', pos)) continue;
        const def = byName(EVTIN_FIELDS, base);
        const p = pos + base.length;
        if (text[p] === '[') return positionArg(text, pos, p, def);
        if (text[p] === '.') {
          // a name must be an event parameter's, and then reads as position
          // -1, the last one (sysdig keeps no name here)
          const found = longestParamName(text.slice(p + 1));
          if (!found) throw new Error('unknown event argument ' + text.slice(p + 1));
          return { def, arg: '-1', end: p + 1 + found.name.length };
        }
        throw new Error('filter syntax error: ' + text.slice(pos));
      }
    }
    return null;
  },
};
