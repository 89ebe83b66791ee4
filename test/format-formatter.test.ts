// The -p format compiler and renderer on a stub field set: parsing rules,
// widths, the '*' prefix, escapes, JSON layout, -t modes; plus the text
// helpers behind them (printf conversions, %g, JSON quoting).

import t from 'tap';
import { ScapEvent, EVENT_HEADER_LEN } from '../lib/event/event';
import type { BoundField, EvalContext, FieldDef, FieldValue } from '../lib/fields/types';
import { ArgMode } from '../lib/fields/types';
import { PF, PT } from '../lib/schema/types';
import type { StateView, ThreadInfo } from '../lib/state/view';
import { hasEscape } from '../lib/format/print-arg';
import {
  compileFormat, FieldCompiler, FormatError, formatForPrintArg, unescapeFormat, CONTAINER_FORMAT, K8S_FORMAT,
  MESOS_FORMAT, DEFAULT_FORMAT,
} from '../lib/format/formatter';
import { cFormatG, cInt, IntConv, fitWidth, bufEols, bufHex } from '../lib/format/text';
import { jsonQuote } from '../lib/format/json';
import { diffText } from '../lib/format/time';

// ---- stub fields
interface Stub { type: PT; fmt: PF; get: (c: EvalContext) => FieldValue; show?: (c: EvalContext) => string | undefined }
const STUBS: Record<string, Stub> = {
  'e.num': { type: PT.UINT64, fmt: PF.ID, get: (c) => c.ev.num },
  'e.name': { type: PT.CHARBUF, fmt: PF.NA, get: () => 'h\xc3\xa9llo "q"\n' },
  'e.miss': { type: PT.CHARBUF, fmt: PF.NA, get: () => undefined },
  'e.bool': { type: PT.BOOL, fmt: PF.NA, get: () => true },
  'e.hex': { type: PT.UINT32, fmt: PF.HEX, get: () => 255, show: () => '255' },
  'e.na32': { type: PT.UINT32, fmt: PF.NA, get: () => 5, show: () => undefined },
  'e.neg': { type: PT.INT64, fmt: PF.DEC, get: () => -5 },
  'e.big': { type: PT.UINT64, fmt: PF.DEC, get: () => 18446744073709551615n },
  'e.errno': { type: PT.ERRNO, fmt: PF.DEC, get: () => -2 },
  'e.filter': { type: PT.CHARBUF, fmt: PF.NA, get: () => 'x' },
  'evt.outputtime': { type: PT.CHARBUF, fmt: PF.NA, get: () => 'unused' },
  'evt.time': { type: PT.CHARBUF, fmt: PF.NA, get: () => 'clock' },
};

const stubCompiler: FieldCompiler = (text, pos) => {
  let best: string | undefined;
  for (const k of Object.keys(STUBS)) if (text.startsWith(k, pos) && (!best || k.length > best.length)) best = k;
  if (!best) return undefined;
  const s = STUBS[best];
  const def: FieldDef = { name: best, type: s.type, fmt: s.fmt, desc: '', arg: ArgMode.NONE, make: () => s.get, filterOnly: best === 'e.filter' };
  const field: BoundField = {
    def, arg: undefined, text: best, type: s.type, fmt: s.fmt, extract: s.get,
    display: s.show ?? ((c) => { const v = s.get(c); return v === undefined ? undefined : String(v); }),
  };
  return { field, end: pos + best.length };
};

function event(sec: number, nsec: number, num: number, enter = true): ScapEvent {
  const rec = Buffer.alloc(EVENT_HEADER_LEN);
  rec.writeBigUInt64LE(BigInt(sec) * 1000000000n + BigInt(nsec), 0);
  rec.writeBigInt64LE(100n, 8);
  rec.writeUInt32LE(rec.length, 16);
  rec.writeUInt16LE(enter ? 4 : 5, 20);
  const ev = new ScapEvent();
  ev.set(rec, 0, 0, 0, num);
  return ev;
}

function ctxOf(ev: ScapEvent, thread?: Partial<ThreadInfo> & { latencyNs?: number }): EvalContext {
  const state = {
    thread, fd: undefined, fdNum: -1, enterEvent: undefined, threads: new Map(), users: new Map(), groups: new Map(),
    containers: new Map(), interfaces: [], machine: undefined, mainThread: () => undefined, parent: () => undefined,
    firstSec: 1000, firstNsec: 500, prevSec: 0, prevNsec: 0,
  } as unknown as StateView;
  return { ev, state };
}

const c1 = ctxOf(event(1000, 500, 7));
const fmt = (f: string, o = {}) => compileFormat(f, { compiler: stubCompiler, ...o });
const line = (f: string, c: EvalContext = c1, o = {}) => fmt(f, o).render(c);

t.test('literals, fields, adjacent fields and what follows a field name', async (t) => {
  t.equal(line('n=%e.num;'), 'n=7;');
  t.equal(line('%e.num%e.num'), '77');
  t.equal(line('%e.numx'), '7x', 'the longest known name, then literal text');
  t.same(fmt('a %e.num b %e.name').fields, ['e.num', 'e.name']);
});

t.test("missing values: skip the line, or <NA> with '*'", async (t) => {
  t.equal(line('%e.num %e.miss'), undefined);
  t.equal(line('*%e.num %e.miss'), '7 <NA>');
  t.equal(line('%e.na32'), undefined, 'a value sysdig cannot print counts as missing');
  t.equal(fmt('*%e.num').requireAll, false);
});

t.test('widths pad or cut to exactly N bytes', async (t) => {
  t.equal(line('[%5e.num]'), '[7    ]');
  t.equal(line('[%2e.neg]'), '[-5]');
  t.equal(line('[%1e.neg]'), '[-]');
  t.equal(line('[%6e.miss]', c1, {}), undefined);
  t.equal(line('*[%6e.miss]'), '[<NA>  ]');
  t.equal(line('[%02e.num]'), '[7 ]', 'a leading zero is just part of the number');
  t.equal(fitWidth('h\xc3\xa9llo', 3), 'h\xc3\xa9', 'bytes, not characters (values are byte strings)');
});

t.test('escapes', async (t) => {
  t.equal(unescapeFormat('a\\tb\\nc\\\\d\\qe\\e[0m'), 'a\tb\nc\\d\\qe\x1b[0m');
  t.throws(() => unescapeFormat('abc\\'), new FormatError(''), 'a trailing backslash aborts silently');
  t.equal(hasEscape('\\e[01;32m%e.num\\e[00m'), true, 'a color escape');
  t.equal(hasEscape('%e.num\\\\e\\'), false, 'an escaped backslash before e, a trailing backslash: none');
  t.equal(hasEscape('\x1b[0m'), true, 'ESC itself');
  t.equal(line('%e.num\\t|', c1, { escapes: false }), '7\\t|', 'chisel formats are taken literally');
});

t.test("sysdig's format errors", async (t) => {
  const err = (f: string, msg: string) => t.throws(() => fmt(f), new FormatError(msg), JSON.stringify(f));
  err('', 'empty formatting token');
  err('abc%', 'invalid formatting syntax: formatting cannot end with a %');
  err('%5', 'invalid formatting syntax: formatting cannot end with a number');
  err('%12', 'invalid formatting syntax: formatting cannot end with a number');
  err('%foo.bar x', 'invalid formatting token foo.bar x');
  err('%%e.num', 'invalid formatting token %e.num');
  err('%e.num 100% done', 'invalid formatting token  done');
  err('%e.filter x', 'e.filter x is filter only and cannot be used as a display field');
  t.equal(fmt('*').render(c1), '', "a lone '*' is an empty format");
});

t.test('presets', async (t) => {
  t.equal(formatForPrintArg('c'), CONTAINER_FORMAT);
  t.equal(formatForPrintArg('container'), CONTAINER_FORMAT);
  t.equal(formatForPrintArg('k'), K8S_FORMAT);
  t.equal(formatForPrintArg('kubernetes'), K8S_FORMAT);
  t.equal(formatForPrintArg('m'), MESOS_FORMAT);
  t.equal(formatForPrintArg('%evt.num'), '%evt.num');
  t.equal(DEFAULT_FORMAT, '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info');
});

t.test('-j: sorted keys, JSON types, literals left out, last duplicate wins', async (t) => {
  const j = (f: string, c = c1) => compileFormat(f, { compiler: stubCompiler, json: true }).render(c);
  t.equal(j('%e.num x %e.name %e.bool %e.neg %e.big %e.hex'),
    '{"e.big":18446744073709551615,"e.bool":true,"e.hex":"255","e.name":"h\\u00e9llo \\"q\\"\\n","e.neg":-5,"e.num":7}');
  t.equal(j('%e.num %e.miss'), undefined, 'null without * skips the event');
  t.equal(j('*%e.num %e.miss %e.na32'), '{"e.miss":null,"e.na32":null,"e.num":7}');
  t.equal(j('%5e.num'), '{"e.num":7}', 'widths do not apply');
  t.equal(j('only text'), 'null', 'no field: the empty root value');
  t.equal(j('%evt.outputtime %evt.time', ctxOf(event(1600000000, 5, 1))), '{"evt.outputtime":1600000000000000005,"evt.time":1600000000000000005}');
  t.throws(() => j('%e.errno'), new FormatError('wrong event type 11'));
});

t.test('JSON strings as jsoncpp 1.9 writes them', async (t) => {
  t.equal(jsonQuote('plain/path'), '"plain/path"');
  t.equal(jsonQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(jsonQuote('\b\f\n\r\t\x01\x1f\x7f'), '"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"');
  // byte strings of UTF-8 text
  t.equal(jsonQuote('\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80'), '"\\u00e9\\u20ac\\ud83d\\ude00"');
  // not UTF-8: jsoncpp's utf8ToCodepoint, as sysdig printed it for curl_google's payloads
  t.equal(jsonQuote('\xb6\t'), '"\\u0589"', 'continuation bytes are not checked');
  t.equal(jsonQuote('\xecl\xe7'), '"\\ucb27"');
  t.equal(jsonQuote('\x81\x80'), '"\\ufffd"', 'overlong two-byte form: one U+FFFD for both bytes');
  t.equal(jsonQuote('a\xc3'), '"a\\ufffd"', 'cut by the end');
  t.equal(jsonQuote('\xe2\x82'), '"\\ufffd\\ufffd"', 'cut by the end: each byte on its own');
  t.equal(jsonQuote('\xed\xa0\x80'), '"\\ufffd"', 'a surrogate');
  t.equal(jsonQuote('\xff!'), '"\\ufffd!"');
});

t.test('-t modes for evt.outputtime', async (t) => {
  const th = { tid: 100, latencyNs: 1500000123 };
  const at = (sec: number, nsec: number, enter = true) => ctxOf(event(sec, nsec, 1, enter), th);
  t.equal(line('%evt.outputtime', at(1600000000, 5), { timeMode: 'a' }), '1600000000.5', "'a' keeps sysdig's unpadded nanoseconds");
  t.equal(line('%evt.outputtime', at(1600000000, 123456789), { timeMode: 'a' }), '1600000000.123456789');
  t.equal(line('%evt.outputtime', at(1002, 400), { timeMode: 'r' }), '1.999999900');
  t.equal(line('%evt.outputtime', at(1000, 500), { timeMode: 'r' }), '0.000000000');
  t.equal(line('%evt.outputtime', at(1000, 500), { timeMode: 'd' }), '1.500000123');
  t.equal(line('%evt.outputtime', ctxOf(event(1000, 500, 1)), { timeMode: 'd' }), '0.000000000', 'no thread');
  const d = fmt('%evt.outputtime|%evt.outputtime', { timeMode: 'D' });
  t.equal(d.render(at(5, 100)), '0.000000000|0.000000000');
  t.equal(d.render(at(6, 50)), '0.999999950|0.999999950', 'each field keeps its own previous time');
  t.equal(d.render(at(6, 50)), '0.000000000|0.000000000');
  t.equal(line('%evt.outputtime', ctxOf(event(0, 0, 1)), { timeMode: 'h' })?.length, 18);
  t.equal(diffText(5, 0, 6, 0), '18446744072.709551616', 'negative intervals wrap like u64');
});

t.test('printf conversions', async (t) => {
  t.equal(cInt(-1, 32, IntConv.HEX), 'FFFFFFFF');
  t.equal(cInt(-1, 64, IntConv.HEX), 'FFFFFFFFFFFFFFFF');
  t.equal(cInt(0, 32, IntConv.OCT_ALT), '0');
  t.equal(cInt(0o644, 32, IntConv.OCT_ALT), '0644');
  t.equal(cInt(-1, 32, IntConv.OCT_ALT), '037777777777');
  t.equal(cInt(-5, 64, IntConv.PAD9), '-00000005');
  t.equal(cInt(42, 64, IntConv.PAD9), '000000042');
  t.equal(cInt(-1, 64, IntConv.UDEC), '18446744073709551615');
  t.equal(cInt(2n ** 63n, 64, IntConv.DEC), '9223372036854775808');
  const g: [number, string][] = [
    [0, '0'], [1e-9, '1e-09'], [0.001, '0.001'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5, '1.5'],
    [0.123456789, '0.123457'], [123456, '123456'], [1234567, '1.23457e+06'], [999999.5, '1e+06'], [5000, '5000'],
    [1e100, '1e+100'], [-2.5, '-2.5'],
  ];
  for (const [x, want] of g) t.equal(cFormatG(x), want, `%g of ${x}`);
});

t.test('buffer encodings on edge inputs', async (t) => {
  const b = Buffer.from('\r\nA\r\rB\n\n');
  t.equal(bufEols(b, 0, b.length), '\n\nA\n\nB\n\n', 'CR becomes LF, LF after CR dropped');
  t.equal(bufEols(Buffer.from('\nx'), 0, 2), '\nx', 'an LF first in the buffer is dropped');
  const h = Buffer.from(Array.from({ length: 33 }, (_, i) => i + 0x41));
  t.equal(bufHex(h, 0, h.length, false).split('\n').length, 5, 'three rows, framed by newlines');
  t.match(bufHex(h, 0, h.length, false), /\t0x0020: 61\n$/);
});
