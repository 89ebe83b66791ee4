// Parser for sysdig 0.29.3's filter language.
//
// sysdig's compiler is a character-level state machine rather than a
// grammar, and what it accepts (and how it groups what it accepts) follows
// from that machine: "o r" is "or", "notproc.name=x" is "not proc.name=x",
// "proc.name==x" compares with "=x", a check after another without "and"/"or"
// is silently ignored, "not not x" is "not x", and so on. This parser walks the
// text the same way so that it accepts exactly what sysdig accepts, reports
// errors at the same positions with the same messages, and builds the same
// structure: a tree of expressions, each a flat list of items (checks or
// sub-expressions) tagged with the boolean connective that precedes them.
//
// The text is handled as bytes (UTF-8), one char per byte, because positions
// in messages are byte offsets.

import { FilterError, ParseFail } from './errors';
import { BO, CO, Const, FieldBinder, FilterField, T } from './types';
import { asInListCopy } from '../fields/thread-state';
import { parseConst } from './values';
import { bytesToText, textToBytes } from '../util/bytes';

export interface CheckNode {
  readonly kind: 'check';
  /** Connective before this item in its expression (BO.*). */
  readonly bool: number;
  readonly op: number;
  readonly field: FilterField;
  /** The field as written. */
  readonly fieldText: string;
  /** Constants: one for ordinary operators, several for in/pmatch, none for exists. */
  readonly values: readonly Const[];
  /** Byte offset of the field in the filter. */
  readonly pos: number;
}

export interface ExprNode {
  readonly kind: 'expr';
  readonly bool: number;
  readonly items: (CheckNode | ExprNode)[];
  /** True for the '(f=a or f=b ...)' expansion of 'in' on a non-string field. */
  readonly inList?: boolean;
}

export type FilterNode = CheckNode | ExprNode;

const ST_NEED_EXPRESSION = 0;
const ST_EXPRESSION_DONE = 1;

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isSpecial(c: number): boolean {
  return c === 0x28 || c === 0x29 || c === 0x21 || c === 0x3d || c === 0x3c || c === 0x3e;
}

function isBracket(c: number): boolean {
  return c === 0x28 || c === 0x29;
}

/**
 * Fields whose argument sysdig loses in the copies it makes for 'in' on
 * non-string fields (the copies start from a fresh check: proc.apid then
 * reads the process's own pid, even without an index).
 */
const ARG_LOST_REBIND: Readonly<Record<string, string>> = {
  'proc.apid': 'proc.apid[0]',
  'evt.around': 'evt.around[0]',
  'evt.type.is': 'evt.type.is.0',
};

/**
 * Fields whose every check keeps its own memory of earlier events (no thread
 * state reserved): evt.deltatime's previous event, thread.exectime's last
 * switch per cpu.
 */
const OWN_STATE_PER_CHECK: ReadonlySet<string> = new Set(['evt.deltatime', 'evt.deltatime.s', 'evt.deltatime.ns', 'thread.exectime']);

/**
 * Fields that keep a value in a thread slot and take 'in' (thread.cpu* are
 * doubles, which sysdig's filters refuse): each copy of the check (the first
 * included: the check the list was parsed with is never evaluated) has its
 * own memory of earlier switches and sysdig's slot for copies
 * (thread-state.ts asInListCopy). thread.totexectime in (1,2) thus adds each
 * switch three times into slot 0 when a -p format's own thread.totexectime
 * holds that slot, as sysdig does.
 */
const SLOT_PER_CHECK: ReadonlySet<string> = new Set(['thread.totexectime']);

/** Mixed-connective message of sysdig. */
const AMBIGUOUS = "expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.";

/**
 * The expression's connective (BO.NONE/OR/AND), or -1 when its items mix 'and'
 * and 'or' (ignoring 'not').
 */
export function exprBoolop(e: ExprNode): number {
  const items = e.items;
  if (items.length <= 1) return e.bool;
  const b0 = items[1].bool & ~1;
  for (let l = 2; l < items.length; l++) if ((items[l].bool & ~1) !== b0) return -1;
  return b0;
}

class Parser {
  private readonly s: string;
  private readonly n: number;
  private pos = -1;
  private state = ST_NEED_EXPRESSION;
  private lastBool: number = BO.NONE;
  private nest = 0;
  private readonly root: ExprNode = { kind: 'expr', bool: BO.NONE, items: [] };
  private stack: ExprNode[] = [this.root];
  /** Set when a ')' closed the top level: sysdig's current expression is then gone. */
  private detached = false;

  constructor(text: string, private readonly bind: FieldBinder) {
    this.s = text;
    this.n = text.length;
  }

  private c(i: number): number {
    return i >= 0 && i < this.n ? this.s.charCodeAt(i) : 0;
  }

  /** Advances to the next non-blank char and returns it (0 at the end). */
  private next(): number {
    for (;;) {
      this.pos++;
      if (this.pos >= this.n) return 0;
      const ch = this.s.charCodeAt(this.pos);
      if (!isBlank(ch)) return ch;
    }
  }

  private get cur(): ExprNode {
    return this.stack[this.stack.length - 1];
  }

  private addItem(item: FilterNode): void {
    if (this.detached) throw new ParseFail("unbalanced ')'", 'no text after the unbalanced closing parenthesis', true);
    this.cur.items.push(item);
  }

  private pushExpr(bool: number, inList = false): void {
    const e: ExprNode = { kind: 'expr', bool, items: [], inList };
    this.addItem(e);
    this.stack.push(e);
  }

  private popExpr(): void {
    if (this.detached) throw new ParseFail("unbalanced ')'", "a matching '('", true);
    if (exprBoolop(this.cur) === -1) throw new ParseFail(AMBIGUOUS, 'brackets around the and/or groups');
    if (this.stack.length === 1) this.detached = true;
    else this.stack.pop();
  }

  /**
   * Reads an operand: the field name (first) or a value. Values may be quoted
   * ('...' or "..." — either quote closes) and may hold escapes (\\, \", \xHH;
   * any other backslash is kept). Returns the bytes.
   */
  private operand(first: boolean, inList: boolean): string {
    const s = this.s;
    if (isBlank(this.c(this.pos))) this.next();
    let quoted = false;
    if (this.pos < this.n && (this.c(this.pos) === 0x22 || this.c(this.pos) === 0x27)) {
      quoted = true;
      this.pos++;
    }
    const start = this.pos;
    let res = '';
    const NORMAL = 0, SLASH = 1, NUMBER = 2, ERROR = 3;
    let esc = NORMAL;
    let nums0 = 0;
    let numPos = 0;
    while (this.pos < this.n && esc !== ERROR) {
      const ch = s.charCodeAt(this.pos);
      let end: boolean;
      if (first) end = isBlank(ch) || isSpecial(ch);
      else end = (!quoted && (isBlank(ch) || isBracket(ch) || (inList && ch === 0x2c))) ||
        (quoted && esc !== SLASH && (ch === 0x22 || ch === 0x27));
      if (end) {
        if (esc !== NORMAL) { esc = ERROR; break; }
        if (ch === 0x28 || ch === 0x29 || (inList && ch === 0x2c)) this.pos--;
        return res;
      }
      switch (esc) {
        case NORMAL:
          if (ch === 0x5c && !first) esc = SLASH;
          else res += s[this.pos];
          break;
        case SLASH:
          if (ch === 0x5c || ch === 0x22) { esc = NORMAL; res += s[this.pos]; }
          else if (ch === 0x78) esc = NUMBER;
          else { esc = NORMAL; res += '\\' + s[this.pos]; }
          break;
        case NUMBER: {
          let d = -1;
          if (ch >= 0x30 && ch <= 0x39) d = ch - 0x30;
          else if ((ch >= 0x61 && ch <= 0x66) || (ch >= 0x41 && ch <= 0x46)) d = (ch | 0x20) - 0x61 + 10;
          if (d < 0) esc = ERROR;
          else if (numPos === 0) { nums0 = d; numPos = 1; }
          else { res += String.fromCharCode(nums0 * 16 + d); numPos = 0; esc = NORMAL; }
          break;
        }
      }
      this.pos++;
    }
    if (esc === ERROR) {
      // sysdig prints substr(start, pos): `pos` bytes from `start`.
      throw new ParseFail(`filter error: unrecognized escape sequence at ${s.substr(start, this.pos)}`,
        'a valid escape (\\\\, \\" or \\x followed by two hex digits)');
    }
    if (quoted) throw new ParseFail('filter error: unclosed quotes', 'a closing quote');
    return res;
  }

  private startsHere(word: string): boolean {
    if (this.pos + word.length > this.n) return false;
    return this.s.startsWith(word, this.pos);
  }

  private comparisonOperator(): number {
    if (isBlank(this.c(this.pos))) this.next();
    const start = this.pos;
    const ops: [string, number][] = [
      ['=', CO.EQ], ['!=', CO.NE], ['<=', CO.LE], ['<', CO.LT], ['>=', CO.GE], ['>', CO.GT],
      ['contains', CO.CONTAINS], ['icontains', CO.ICONTAINS], ['startswith', CO.STARTSWITH],
      ['endswith', CO.ENDSWITH], ['glob', CO.GLOB], ['in', CO.IN], ['intersects', CO.INTERSECTS],
      ['pmatch', CO.PMATCH], ['exists', CO.EXISTS],
    ];
    for (const [w, op] of ops) {
      if (this.startsHere(w)) {
        this.pos += w.length;
        return op;
      }
    }
    throw new ParseFail(`filter error: unrecognized comparison operator after ${this.s.slice(0, Math.max(0, start))}`,
      'a comparison operator (=, !=, <, <=, >, >=, contains, icontains, startswith, endswith, glob, in, pmatch, exists)');
  }

  private value(field: FilterField, op: number, raw: string): Const {
    const c = parseConst(field.type, raw, field.def.name === 'evt.rawarg');
    validateValue(field, op, c);
    return c;
  }

  private bindField(text: string): FilterField | undefined {
    try {
      return this.bind(text);
    } catch (e) {
      if (e instanceof ParseFail) throw e;
      throw new ParseFail(e instanceof Error ? e.message : String(e), 'a valid field argument');
    }
  }

  private parseCheck(): void {
    const startpos = this.pos;
    const fieldText = this.operand(true, false);
    const field = this.bindField(fieldText);
    const bool = this.lastBool;
    if (field === undefined) {
      throw new ParseFail(`filter error: unrecognized field ${fieldText} at pos ${startpos}`, 'a field name (see scry -l)');
    }
    const op = this.comparisonOperator();
    if (op === CO.IN || op === CO.INTERSECTS || op === CO.PMATCH) {
      if (isBlank(this.c(this.pos))) this.next();
      if (this.c(this.pos) !== 0x28) {
        throw new ParseFail("expected '(' after 'in/intersects/pmatch' operand", "'('");
      }
      this.pos++;
      if (field.type === T.CHARBUF) {
        const values: Const[] = [];
        for (;;) {
          const raw = this.operand(false, true);
          values.push(this.value(field, op, raw));
          const ch = (this.next(), this.c(this.pos));
          if (ch === 0x29) break;
          if (ch === 0x2c) this.pos++;
          else throw new ParseFail("expected either ')' or ',' after a value inside the 'in/pmatch' clause", "')' or ','");
        }
        this.addItem({ kind: 'check', bool, op, field, fieldText, values, pos: startpos });
      } else if (op === CO.PMATCH) {
        throw new ParseFail('pmatch requires all charbuf arguments', 'a string field');
      } else {
        // '(field=v1 or field=v2 ...)': copies of the check that keep the field but not its argument.
        let copyField = field;
        const name = field.def.name;
        if (ARG_LOST_REBIND[name] !== undefined) copyField = this.bindField(ARG_LOST_REBIND[name]) ?? field;
        this.pushExpr(bool, true);
        this.lastBool = BO.NONE;
        this.nest++;
        let itemBool: number = BO.NONE;
        for (;;) {
          const raw = this.operand(false, true);
          if (name === 'evt.rawarg') {
            // The copy has no argument type to convert the value with: sysdig dereferences a null pointer.
            throw new ParseFail("'in' on evt.rawarg", 'evt.rawarg.X=v1 or evt.rawarg.X=v2 (sysdig crashes on this form)', true);
          }
          // each copy is a check of its own in sysdig: one that remembers the
          // previous event it saw (evt.deltatime) remembers it for itself
          const f = SLOT_PER_CHECK.has(name) ? asInListCopy(() => this.bindField(fieldText)) ?? copyField
            : itemBool !== BO.NONE && OWN_STATE_PER_CHECK.has(name) ? this.bindField(fieldText) ?? copyField : copyField;
          const v = this.value(f, CO.EQ, raw);
          this.addItem({ kind: 'check', bool: itemBool, op: CO.EQ, field: f, fieldText, values: [v], pos: startpos });
          const ch = (this.next(), this.c(this.pos));
          if (ch === 0x29) break;
          if (ch === 0x2c) this.pos++;
          else throw new ParseFail("expected either ')' or ',' after a value inside the 'in' clause", "')' or ','");
          itemBool = BO.OR;
        }
        this.popExpr();
        this.nest--;
      }
    } else if (op === CO.EXISTS) {
      this.pos--;
      this.addItem({ kind: 'check', bool, op, field, fieldText, values: [], pos: startpos });
    } else {
      const raw = this.operand(false, false);
      const v = this.value(field, op, raw);
      this.addItem({ kind: 'check', bool, op, field, fieldText, values: [v], pos: startpos });
    }
  }

  parse(): ExprNode {
    for (;;) {
      const a = this.next();
      switch (a) {
        case 0:
          if (this.nest !== 0) throw new ParseFail('filter error: unexpected end of filter', "')'");
          if (this.state !== ST_EXPRESSION_DONE) throw new ParseFail('filter error: unexpected end of filter', 'a field comparison');
          if (exprBoolop(this.root) === -1) throw new ParseFail(AMBIGUOUS, 'brackets around the and/or groups');
          return this.root;
        case 0x28: // (
          if (this.state !== ST_NEED_EXPRESSION) {
            throw new ParseFail(`unexpected '(' after ${this.s.slice(0, this.pos)}`, "'and', 'or' or the end of the filter");
          }
          this.pushExpr(this.lastBool);
          this.lastBool = BO.NONE;
          this.nest++;
          break;
        case 0x29: // )
          this.popExpr();
          this.nest--;
          break;
        case 0x6f: // o
          if (this.pos !== 0 && this.state !== ST_NEED_EXPRESSION) {
            if (this.next() === 0x72) this.lastBool = BO.OR;
            else throw new ParseFail('syntax error in filter', "'or'");
            this.state = ST_NEED_EXPRESSION;
          } else {
            this.parseCheck();
            this.state = ST_EXPRESSION_DONE;
          }
          break;
        case 0x61: // a
          if (this.pos !== 0 && this.state !== ST_NEED_EXPRESSION) {
            if (this.next() === 0x6e && this.next() === 0x64) this.lastBool = BO.AND;
            else throw new ParseFail('syntax error in filter', "'and'");
            this.state = ST_NEED_EXPRESSION;
          } else {
            this.parseCheck();
            this.state = ST_EXPRESSION_DONE;
          }
          break;
        case 0x6e: // n
          if (this.next() === 0x6f && this.next() === 0x74) this.lastBool = this.lastBool | BO.NOT;
          else throw new ParseFail('syntax error in filter', "'not'");
          this.state = ST_NEED_EXPRESSION;
          break;
        default:
          if (this.state === ST_NEED_EXPRESSION) {
            this.parseCheck();
            this.state = ST_EXPRESSION_DONE;
          } else {
            throw new ParseFail('syntax error in filter', "'and', 'or', 'not', ')' or the end of the filter");
          }
      }
    }
  }

  get position(): number {
    return this.pos;
  }
}

/** Checks sysdig makes on values of particular fields once parsed. */
let eventNames: Set<string> | undefined;

function knownEventTypeName(name: string): boolean {
  if (eventNames === undefined) {
    eventNames = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ev = require('../schema/events') as { EVENTS: readonly { name: string }[]; PPM_EVENT_MAX_0293?: number };
    const nev = ev.PPM_EVENT_MAX_0293 ?? ev.EVENTS.length;
    for (let i = 0; i < nev && i < ev.EVENTS.length; i++) eventNames.add(ev.EVENTS[i].name);
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const sc = require('../schema/syscalls') as { PPM_SC_NAMES: readonly string[]; PPM_SC_MAX_0293?: number };
      const nsc = sc.PPM_SC_MAX_0293 ?? sc.PPM_SC_NAMES.length;
      for (let i = 0; i < nsc && i < sc.PPM_SC_NAMES.length; i++) eventNames.add(sc.PPM_SC_NAMES[i]);
    } catch {
      // no syscall table: event names only
    }
  }
  return eventNames.has(name);
}

function validateValue(field: FilterField, op: number, c: Const): void {
  const name = field.def.name;
  if (name === 'evt.type' && field.arg === undefined) {
    const s = c.str ?? '';
    if (!knownEventTypeName(s)) throw new ParseFail(`unknown event type ${s}`, 'an event type name (see scry -L)');
  } else if (name === 'evt.around') {
    if (op !== CO.EQ) throw new ParseFail("evt.around supports only '=' comparison operator", "'='");
  }
}

/**
 * Parses a filter into sysdig's expression structure, or throws FilterError.
 * `text` is Unicode text, or with isBytes a byte string (one char per byte).
 */
export function parseFilter(text: string, bind: FieldBinder, isBytes = false): ExprNode {
  const bytes = isBytes ? text : textToBytes(text);
  const p = new Parser(bytes, bind);
  try {
    return p.parse();
  } catch (e) {
    if (e instanceof ParseFail) {
      const msg = e.bare ? e.message : `filter error at position ${p.position}: ${e.message}`;
      throw new FilterError(bytesToText(msg), e.bare ? -1 : p.position, e.expected, e.crash);
    }
    if (e instanceof FilterError) throw e;
    // Anything else is a bug of ours; sysdig would say this.
    throw new FilterError('error parsing the filter string', -1, 'a valid filter');
  }
}
