// Field classes sysdig lists besides the main families: syslog (decoded from
// writes to /dev/log), mesos/marathon and span/evtin (distributed tracing).
// Captures replayed here carry no mesos state and no tracer events, so those
// fields resolve and parse like sysdig's but never have a value.

import { EF, PF, PT } from '../schema/types';
import { ArgMode, EvalContext, FieldValue } from './types';
import { FieldClassX, FieldDefX, ParseResult, byName, defineField, parseInt32Strict, simple } from './def';
import { parseLabel } from './k8s';
import { longestParamName } from './evt';
import { paramIndexOf } from './params';

// ---------------------------------------------------------------------------
// syslog

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'clock', 'authpriv',
  'ftp', 'ntp', 'logaudit', 'logalert', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

interface Syslog { facility: number; severity: number; msg: string }

/** Decodes "<PRI>message" written to /dev/log by the current event, if it is such a write. */
function syslogOf(c: EvalContext): Syslog | undefined {
  const ev = c.ev;
  if (ev.info.enter || !(ev.info.flags & EF.WRITES_TO_FD)) return undefined;
  const fd = c.state.fd;
  if (!fd || !fd.name.includes('/dev/log')) return undefined;
  if (ev.nparams < 2 || ev.s(0) < 0) return undefined;
  const di = paramIndexOf(ev, 'data');
  if (di < 0) return undefined;
  const data = ev.bytes(di);
  let j = 1;
  let pri = '';
  while (j < data.length && data[j] !== 0x3e && data[j] !== 0 && pri.length < 15) pri += String.fromCharCode(data[j++]);
  if (pri.length === 0 || data.length < pri.length + 2 || !/^-?\d+$/.test(pri)) return undefined;
  const p = Number(pri) | 0;
  return { severity: p & 7, facility: p >> 3, msg: data.toString('latin1', pri.length + 2) };
}

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
// span (tracers)

const SPAN_FIELDS: FieldDefX[] = [
  simple('span.id', PT.INT64, PF.ID, 'id of the span; the enter and exit tracers of a span share it, and so do the spans of one trace.', none),
  str('span.time', 'time of the enter tracer of the span, with nanoseconds.'),
  simple('span.ntags', PT.UINT32, PF.DEC, 'how many tags the span has.', none),
  simple('span.nargs', PT.UINT32, PF.DEC, 'how many arguments the span has.', none),
  str('span.tags', 'tags of the span, joined with dots.'),
  keyed('span.tag', 'one tag of the span by position, as in span.tag[1]; negative positions count from the end (span.tag[-1] is the last one).'),
  str('span.args', 'arguments of the span, comma separated.'),
  keyed('span.arg', 'one argument of the span, by name (span.arg.xxx) or by position (span.arg[1]); negative positions count from the end.'),
  str('span.enterargs', 'arguments of the enter tracer of the span, comma separated: evt.args of the enter tracer.'),
  keyed('span.enterarg', 'one argument of the enter tracer of the span, by name or by position: evt.arg of the enter tracer.'),
  simple('span.duration', PT.RELTIME, PF.DEC, 'nanoseconds between the enter and the exit tracer of the span.', none),
  simple('span.duration.quantized', PT.UINT64, PF.DEC, 'log10 bucket of the span duration (used by table views).', none, { hidden: true }),
  str('span.duration.human', 'span duration as a short readable string, such as 10.3ms.'),
  keyed('span.duration.fortag', 'span duration when its tag count equals the argument, else 0 (used by table views).', PT.RELTIME, PF.DEC),
  simple('span.count', PT.UINT64, PF.DEC, '1 for span exit events (used by table views).', none, { hidden: true }),
  keyed('span.count.fortag', '1 when the span\'s tag count equals the argument (used by table views).', PT.UINT64, PF.DEC),
  keyed('span.childcount.fortag', '1 when the span\'s tag count exceeds the argument (used by table views).', PT.UINT64, PF.DEC),
  keyed('span.idtag', 'id used by the span list view.'),
  simple('span.rawtime', PT.CHARBUF, PF.NA, 'time used by the span list view.', none, { hidden: true }),
  simple('span.rawparenttime', PT.CHARBUF, PF.NA, 'parent time used by the span list view.', none, { hidden: true }),
];

const SPAN_HIDDEN = new Set(['span.duration.fortag', 'span.count.fortag', 'span.childcount.fortag', 'span.idtag']);
for (const f of SPAN_FIELDS) if (SPAN_HIDDEN.has(f.name)) (f as { hidden?: boolean }).hidden = true;

/** [N] or .rest argument forms of the tracer fields. */
function spanArg(text: string, pos: number, base: string, def: FieldDefX): ParseResult {
  const p = pos + base.length;
  if (text[p] === '[') {
    const close = text.indexOf(']', pos);
    const inner = close < 0 ? text.slice(p + 1) : text.slice(p + 1, close);
    if (parseInt32Strict(inner) === undefined) throw new Error(inner + ' is not a valid number');
    return { def, arg: inner, end: close < 0 ? pos : close + 1 };
  }
  if (text[p] === '.') {
    if (base === 'span.tag') throw new Error('invalid syntax for span.tag');
    if (base === 'span.idtag') throw new Error('invalid syntax for span.idtag');
    return { def, arg: text.slice(p + 1), end: text.length };
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
// evtin

const EVTIN_FIELDS: FieldDefX[] = [];
for (const scope of ['', 'p.', 's.', 'm.']) {
  const who = scope === '' ? 'by the thread that produced the span'
    : scope === 'p.' ? 'by any thread of the process that produced the span'
      : scope === 's.' ? 'by the processes sharing the parent of the process that produced the span'
        : 'anywhere on the machine';
  const b = 'evtin.span.' + scope;
  EVTIN_FIELDS.push(
    simple(b + 'id', PT.INT64, PF.ID, `keeps events within spans of this id, produced ${who}.`, none),
    simple(b + 'ntags', PT.UINT32, PF.DEC, `keeps events within spans with this many tags, produced ${who}.`, none),
    simple(b + 'nargs', PT.UINT32, PF.DEC, `keeps events within spans with this many arguments, produced ${who}.`, none),
    str(b + 'tags', `keeps events within spans with these tags, produced ${who}.`),
    keyed(b + 'tag', `keeps events within spans with this tag (see span.tag), produced ${who}.`),
    str(b + 'args', `keeps events within spans with these arguments, produced ${who}.`),
    keyed(b + 'arg', `keeps events within spans with this argument (see span.arg), produced ${who}.`),
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
        if (text[p] === '[') {
          const close = text.indexOf(']', pos);
          const inner = close < 0 ? text.slice(p + 1) : text.slice(p + 1, close);
          if (parseInt32Strict(inner) === undefined) throw new Error(inner + ' is not a valid number');
          return { def, arg: inner, end: close < 0 ? pos : close + 1 };
        }
        if (text[p] === '.') {
          const found = longestParamName(text.slice(p + 1));
          if (!found) throw new Error('unknown event argument ' + text.slice(p + 1));
          return { def, arg: found.name, end: p + 1 + found.name.length };
        }
        throw new Error('filter syntax error: ' + text.slice(pos));
      }
    }
    return null;
  },
};
