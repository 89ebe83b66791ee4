// Which event types can a filter match?
//
// For every node of the filter we compute two sets of event type ids: those
// for which the node may be true ("may") and those for which it is true for
// every event ("must"). Checks on evt.type and evt.dir are decided per type id
// (their value is a function of the id, except for the generic syscall events
// 0/1, whose evt.type is the syscall's name), and so are checks on the fields
// marked typeOnly (evt.is_io, evt.is_wait, ...); every
// other check may be true or false for any type. 'not' swaps the two sets (complemented), so the answer
// stays sound under negation. A filter that may abort (sysdig's runtime
// errors) answers "any": skipping events would also skip the abort.

import type { CompiledFilter } from './compile';
import { makePredicate } from './compare';
import type { CheckNode, ExprNode, FilterNode } from './parser';
import { BO, CO, T } from './types';

interface EventsTable { EVENTS: readonly { name: string; enter: boolean; flags: number }[] }

let table: EventsTable | undefined;
function events(): EventsTable {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  if (table === undefined) table = require('../schema/events') as EventsTable;
  return table;
}

type Bits = Uint8Array;

interface Sets { may: Bits; must: Bits }

function all(n: number): Bits { return new Uint8Array(n).fill(1); }
function none(n: number): Bits { return new Uint8Array(n); }
function and(a: Bits, b: Bits): Bits { const r = new Uint8Array(a.length); for (let i = 0; i < a.length; i++) r[i] = a[i] & b[i]; return r; }
function or(a: Bits, b: Bits): Bits { const r = new Uint8Array(a.length); for (let i = 0; i < a.length; i++) r[i] = a[i] | b[i]; return r; }
function not(a: Bits): Bits { const r = new Uint8Array(a.length); for (let i = 0; i < a.length; i++) r[i] = a[i] ^ 1; return r; }

/** Sets of a check on a typeOnly field: its extractor run on each type's table entry. */
function typeFieldSets(chk: CheckNode, n: number): Sets {
  if (chk.op === CO.PMATCH || (chk.op === CO.IN && chk.field.type === T.CHARBUF)) return { may: all(n), must: none(n) };
  const ev = events().EVENTS;
  const pred = chk.op === CO.EXISTS ? undefined : makePredicate(chk.field.type, chk.op, chk.values[0]);
  const may = new Uint8Array(n);
  const must = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const info = ev[t];
    if (info === undefined) { may[t] = 1; continue; }
    const v = chk.field.extract({ ev: { type: t, info } } as never);
    const r = v !== undefined && (pred === undefined || pred(v)) ? 1 : 0;
    may[t] = r;
    must[t] = r;
  }
  return { may, must };
}

function checkSets(chk: CheckNode, n: number): Sets {
  const name = chk.field.def.name;
  if (chk.field.def.typeOnly && chk.field.arg === undefined) return typeFieldSets(chk, n);
  if ((name !== 'evt.type' && name !== 'evt.dir') || chk.field.arg !== undefined) return { may: all(n), must: none(n) };
  const ev = events().EVENTS;
  let test: (v: string) => boolean;
  if (chk.op === CO.EXISTS) test = () => true;
  else if (chk.op === CO.IN) { const s = new Set(chk.values.map((v) => v.str ?? '')); test = (v) => s.has(v); }
  else if (chk.op === CO.PMATCH) return { may: all(n), must: none(n) };
  else { const p = makePredicate(T.CHARBUF, chk.op, chk.values[0]); test = (v) => p(v); }
  const may = new Uint8Array(n);
  const must = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const info = ev[t];
    if (info === undefined) { may[t] = 1; continue; }
    if (name === 'evt.type' && t <= 1) { may[t] = 1; continue; } // generic: named after its syscall
    const v = name === 'evt.type' ? info.name : (info.enter ? '>' : '<');
    const r = test(v) ? 1 : 0;
    may[t] = r;
    must[t] = r;
  }
  return { may, must };
}

function nodeSets(nd: FilterNode, n: number): Sets {
  return nd.kind === 'check' ? checkSets(nd, n) : exprSets(nd, n);
}

function exprSets(e: ExprNode, n: number): Sets {
  const items = e.items;
  if (items.length === 0) return { may: all(n), must: all(n) };
  const neg = (s: Sets): Sets => ({ may: not(s.must), must: not(s.may) });
  const first = items[0];
  let acc: Sets = first.bool === BO.NONE ? nodeSets(first, n)
    : first.bool === BO.NOT ? neg(nodeSets(first, n))
      : { may: all(n), must: all(n) };
  if (items.length === 1) return acc;
  const b0 = items[1].bool & ~1;
  if (b0 === BO.NONE) return acc;
  for (let i = 1; i < items.length; i++) {
    let s = nodeSets(items[i], n);
    if (items[i].bool & BO.NOT) s = neg(s);
    acc = b0 === BO.OR ? { may: or(acc.may, s.may), must: or(acc.must, s.must) }
      : { may: and(acc.may, s.may), must: and(acc.must, s.must) };
  }
  return acc;
}

/** Number of event type ids covered by the analysis. */
export function eventTypeCount(): number {
  return events().EVENTS.length;
}

/**
 * Per event type id, 1 when the filter may match events of that type, 0 when it
 * cannot; ids past the end of the array may match. undefined means "any type".
 */
export function eventTypeMask(f: CompiledFilter): Uint8Array | undefined {
  if (f.mayThrow) return undefined;
  const n = eventTypeCount();
  let may: Bits;
  try {
    may = exprSets(f.ast, n).may;
  } catch {
    return undefined; // absurdly deep nesting: no answer but "any"
  }
  for (let i = 0; i < n; i++) if (may[i] === 0) return may;
  return undefined;
}

/** The event type ids the filter can match, or 'any'. */
export function filterEventTypes(f: CompiledFilter): ReadonlySet<number> | 'any' {
  const m = eventTypeMask(f);
  if (m === undefined) return 'any';
  const s = new Set<number>();
  for (let i = 0; i < m.length; i++) if (m[i]) s.add(i);
  return s;
}
