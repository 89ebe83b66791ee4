// Compiles a parsed filter into a tree of closures.
//
// Evaluation follows sysdig's: in each expression the first item gives the
// starting result (negated after 'not'), then each further item is combined
// by its connective with short-circuit; when the further items carry no
// connective at all ("a=1 b=2", "a=1 not b=2") they are never evaluated. A
// check on a field that does not apply to the event is false, whatever the
// operator ('!=' and 'exists' included); 'not' turns that into true.
//
// Within an and/or chain, operands are evaluated cheapest first. Operands that
// may abort evaluation (sysdig's runtime errors) or whose extraction has side
// effects stay where they are, and nothing moves across them, so results and
// errors are the same as evaluating in written order.

import type { EvalContext, FieldValue } from '../fields/types';
import { FilterError } from './errors';
import { makePredicate } from './compare';
import { parseFilter, CheckNode, ExprNode, FilterNode } from './parser';
import { PathPrefixSet } from './pmatch';
import { specialMatcher } from './special';
import { BO, CO, FieldBinder, T } from './types';

export type Matcher = (ctx: EvalContext) => boolean;

interface Piece {
  fn: Matcher;
  cost: number;
  /** Must not be reordered, nor anything moved across it. */
  barrier: boolean;
  /** May throw FilterRuntimeError. */
  mayThrow: boolean;
  /** Constant result, when known (empty expressions). */
  constant?: boolean;
}

export interface CompileOptions {
  /** Field binder (defaults to lib/fields/registry). */
  bind?: FieldBinder;
  /** Evaluate cheap operands first (default true). */
  reorder?: boolean;
  /** The text is already bytes, one char per byte (a chisel's Lua string), not Unicode text. */
  bytes?: boolean;
  /**
   * A filter over the thread table (a chisel's sysdig.get_thread_table):
   * only fields sysdig can evaluate without an event (see threadTableBinder).
   */
  threadTable?: boolean;
}

export interface CompiledFilter {
  /** The filter as given. */
  readonly text: string;
  /** sysdig's verdict for the current event. May throw FilterRuntimeError (sysdig aborts). */
  readonly match: Matcher;
  /** The parsed structure. */
  readonly ast: ExprNode;
  /** Whether evaluation can throw FilterRuntimeError for some event. */
  readonly mayThrow: boolean;
}

/** Fields whose extraction updates per-thread state in sysdig: evaluate exactly as written. */
const STATEFUL = new Set([
  'thread.exectime', 'thread.totexectime', 'thread.cpu', 'thread.cpu.user', 'thread.cpu.system',
  'proc.cpu', 'evt.latency.quantized',
  // each check remembers the previous event it saw: it must see the events sysdig's left-to-right order shows it
  'evt.deltatime', 'evt.deltatime.s', 'evt.deltatime.ns',
]);

function fieldCost(name: string, arg: string | undefined, op: number): number {
  let c: number;
  if (name === 'evt.type' || name === 'evt.dir') c = 1;
  else if (name === 'evt.num' || name === 'evt.cpu' || name.startsWith('evt.rawtime') || name.startsWith('evt.count')) c = 2;
  else if (name.startsWith('evt.arg') || name.startsWith('evt.rawarg') || name === 'evt.args' || name === 'evt.info' ||
    name === 'evt.buffer' || name.startsWith('evt.abspath')) c = 12;
  else if (name.startsWith('evt.') || name.startsWith('syscall.')) c = 4;
  else if (name === 'proc.cmdline' || name === 'proc.args' || name === 'proc.env' || name === 'proc.exeline' ||
    name === 'proc.pcmdline') c = 8;
  else if (name.startsWith('proc.a') && arg !== undefined) c = 8;
  else if (name.startsWith('proc.') || name.startsWith('thread.') || name.startsWith('user.') || name.startsWith('group.')) c = 4;
  else if (name.startsWith('fd.')) c = 6;
  else if (name.startsWith('fdlist.')) c = 15;
  else if (name.startsWith('container.') || name.startsWith('k8s.')) c = 10;
  else c = 8;
  if (op === CO.IN || op === CO.CONTAINS || op === CO.STARTSWITH || op === CO.ENDSWITH) c += 1;
  else if (op === CO.ICONTAINS || op === CO.GLOB || op === CO.PMATCH) c += 3;
  else if (op === CO.EXISTS) c -= 0.5;
  return c;
}

/** Whether makePredicate(type, op) may throw for a value. */
function predicateMayThrow(type: number, op: number): boolean {
  const cmp = op >= CO.EQ && op <= CO.GE;
  switch (type) {
    case T.CHARBUF: case T.FSPATH: case T.FSRELPATH: return false;
    case T.BYTEBUF: return !(op === CO.EQ || op === CO.NE || op === CO.CONTAINS || op === CO.STARTSWITH || op === CO.ENDSWITH);
    case T.IPV4NET: case T.IPV6ADDR: case T.IPV6NET: return !(op === CO.EQ || op === CO.NE || op === CO.IN);
    case T.IPADDR: case T.IPNET: return true;
    case T.DOUBLE: case T.SOCKADDR: case T.SOCKTUPLE: case T.FDLIST: case T.SIGSET: case T.L4PROTO: case T.SOCKFAMILY:
      return false;
    default: return !cmp;
  }
}

/** The evt.type shortcut: the verdict depends only on the event type id, except for generic events. */
function typeCached(slow: Matcher): Matcher {
  const table = new Uint8Array(1024); // 0 unknown, 1 true, 2 false
  return (ctx) => {
    const t = ctx.ev.type;
    if (t < 1024) {
      const r = table[t];
      if (r !== 0) return r === 1;
      const res = slow(ctx);
      if (t > 1) table[t] = res ? 1 : 2;
      return res;
    }
    return slow(ctx);
  };
}

function compileCheck(chk: CheckNode): Piece {
  const field = chk.field;
  const name = field.def.name;
  const op = chk.op;
  const stateful = STATEFUL.has(name);
  const special = specialMatcher(field, op, chk.values);
  if (special) {
    return { fn: special.fn, cost: special.cost + fieldCost('', undefined, op) - 8, barrier: special.mayThrow || stateful, mayThrow: special.mayThrow };
  }
  const ex = field.extract;
  const type = field.type;
  // the test of one extracted value
  let test: (v: Exclude<FieldValue, undefined>) => boolean;
  let mayThrow = false;
  if (op === CO.EXISTS) {
    test = () => true;
  } else if (op === CO.IN && type === T.CHARBUF) {
    const set = new Set(chk.values.map((v) => v.str ?? ''));
    test = (v) => set.has(typeof v === 'string' ? v : String(v));
  } else if (op === CO.PMATCH) {
    const ps = new PathPrefixSet();
    for (const v of chk.values) ps.add(v.str ?? '');
    test = (v) => ps.match(typeof v === 'string' ? v : String(v));
  } else {
    test = makePredicate(type, op, chk.values[0]);
    mayThrow = predicateMayThrow(type, op);
  }
  let fn: Matcher;
  const each = field.each;
  if (each !== undefined) {
    fn = (ctx) => each(ctx, test);
  } else if (op === CO.EXISTS) {
    fn = (ctx) => ex(ctx) !== undefined;
  } else {
    fn = (ctx) => {
      const v = ex(ctx);
      return v !== undefined && test(v);
    };
  }
  if (name === 'evt.type' && field.arg === undefined && !mayThrow) fn = typeCached(fn);
  return { fn, cost: fieldCost(name, field.arg, op), barrier: mayThrow || stateful, mayThrow };
}

const TRUE: Piece = { fn: () => true, cost: 0, barrier: false, mayThrow: false, constant: true };

function negate(p: Piece): Piece {
  if (p.constant !== undefined) {
    const v = !p.constant;
    return { fn: v ? () => true : () => false, cost: 0, barrier: false, mayThrow: false, constant: v };
  }
  const f = p.fn;
  return { fn: (ctx) => !f(ctx), cost: p.cost, barrier: p.barrier, mayThrow: p.mayThrow };
}

/** Stable sort by cost within the runs between barriers. */
function reorder(ops: Piece[]): Piece[] {
  const out: Piece[] = [];
  let run: Piece[] = [];
  const flush = () => {
    run.sort((a, b) => a.cost - b.cost);
    out.push(...run);
    run = [];
  };
  for (const p of ops) {
    if (p.barrier) { flush(); out.push(p); } else run.push(p);
  }
  flush();
  return out;
}

function chain(ops: Piece[], isOr: boolean): Matcher {
  const fns = ops.map((p) => p.fn);
  if (isOr) {
    switch (fns.length) {
      case 1: return fns[0];
      case 2: { const [a, b] = fns; return (ctx) => a(ctx) || b(ctx); }
      case 3: { const [a, b, c] = fns; return (ctx) => a(ctx) || b(ctx) || c(ctx); }
      case 4: { const [a, b, c, d] = fns; return (ctx) => a(ctx) || b(ctx) || c(ctx) || d(ctx); }
      default: return (ctx) => {
        for (let i = 0; i < fns.length; i++) if (fns[i](ctx)) return true;
        return false;
      };
    }
  }
  switch (fns.length) {
    case 1: return fns[0];
    case 2: { const [a, b] = fns; return (ctx) => a(ctx) && b(ctx); }
    case 3: { const [a, b, c] = fns; return (ctx) => a(ctx) && b(ctx) && c(ctx); }
    case 4: { const [a, b, c, d] = fns; return (ctx) => a(ctx) && b(ctx) && c(ctx) && d(ctx); }
    default: return (ctx) => {
      for (let i = 0; i < fns.length; i++) if (!fns[i](ctx)) return false;
      return true;
    };
  }
}

function compileNode(n: FilterNode, doReorder: boolean): Piece {
  return n.kind === 'check' ? compileCheck(n) : compileExpr(n, doReorder);
}

function compileExpr(e: ExprNode, doReorder: boolean): Piece {
  const items = e.items;
  if (items.length === 0) return TRUE;
  const first = items[0];
  let head: Piece;
  if (first.bool === BO.NONE) head = compileNode(first, doReorder);
  else if (first.bool === BO.NOT) head = negate(compileNode(first, doReorder));
  else head = TRUE; // sysdig leaves the result at true without evaluating it
  if (items.length === 1) return head;
  const b0 = items[1].bool & ~1;
  if (b0 === BO.NONE) return head; // items after the first without and/or are ignored
  const ops: Piece[] = [head];
  for (let i = 1; i < items.length; i++) {
    const p = compileNode(items[i], doReorder);
    ops.push(items[i].bool & BO.NOT ? negate(p) : p);
  }
  const isOr = b0 === BO.OR;
  const ordered = doReorder ? reorder(ops) : ops;
  return {
    fn: chain(ordered, isOr),
    cost: sum(ops),
    barrier: ops.some((q) => q.barrier),
    mayThrow: ops.some((q) => q.mayThrow),
  };
}

function sum(ps: Piece[]): number {
  let c = 0;
  for (const p of ps) c += p.cost;
  return c;
}

let defaultBinder: FieldBinder | undefined;

/** The field classes sysdig filters its thread table with (those flagged FL_WORKS_ON_THREAD_TABLE). */
const THREAD_TABLE_FIELD = /^(fd|proc|thread|user|group|container|fdlist|k8s|mesos|marathon)\./;
/** The event time fields sysdig also lets through there, by their exact text. */
const THREAD_TABLE_TIMES = new Set(['evt.rawtime', 'evt.rawtime.s', 'evt.rawtime.ns', 'evt.time', 'evt.time.s', 'evt.datetime', 'evt.reltime']);

/** A binder that refuses, as sysdig does for its thread table, the fields that need an event. */
function threadTableBinder(bind: FieldBinder): FieldBinder {
  return (text) => {
    const f = bind(text);
    if (f !== undefined && !THREAD_TABLE_FIELD.test(f.def.name) && !THREAD_TABLE_TIMES.has(text)) {
      throw new Error('the given filter is not supported for thread table filtering');
    }
    return f;
  };
}

/** The field binder of lib/fields/registry. */
export function registryBinder(): FieldBinder {
  if (defaultBinder === undefined) {
    // Loaded lazily so that the filter compiler can be used (and tested) with another binder.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const reg = require('../fields/registry') as Record<string, unknown>;
    const bindField = reg.bindField as ((text: string) => FieldBinderResult) | undefined;
    if (typeof bindField !== 'function') throw new Error('lib/fields/registry has no bindField()');
    defaultBinder = (text) => bindField(text) ?? undefined;
  }
  return defaultBinder;
}
type FieldBinderResult = ReturnType<FieldBinder> | null;

/**
 * Compiles a filter as sysdig 0.29.3 does (same accepted language, same
 * verdicts, same errors). Throws FilterError for a filter sysdig rejects.
 */
export function compileFilter(text: string, opts: CompileOptions = {}): CompiledFilter {
  const base = opts.bind ?? registryBinder();
  const bind = opts.threadTable ? threadTableBinder(base) : base;
  const ast = parseFilter(text, bind, opts.bytes);
  let piece: Piece;
  try {
    piece = compileExpr(ast, opts.reorder !== false);
  } catch (e) {
    if (e instanceof FilterError) throw e;
    throw new FilterError('error parsing the filter string', -1, 'a valid filter');
  }
  return { text, match: piece.fn, ast, mayThrow: piece.mayThrow };
}
