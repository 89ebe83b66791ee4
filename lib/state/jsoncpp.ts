// The JSON reading of sysdig 0.29.3's container events: jsoncpp's lenient
// Reader (comments in some places, anything after the first value ignored,
// raw control characters in strings, a NUL ends the text) and its typed values
// (integers apart from reals), with the conversions the container parser
// asks for (isConvertibleTo / asString / asUInt / asBool). Runtimes write
// plain JSON, so this matters only where a capture's JSON is odd; then it
// decides what sysdig keeps, drops or stops on.
//
// Texts are byte strings (one character per byte) in and out, as every
// string scry takes from an event.

/** A number as jsoncpp keeps it: a signed or an unsigned 64-bit integer, or a double. */
export class JsonNumber {
  constructor(readonly kind: 'int' | 'uint' | 'real', readonly int: bigint, readonly real: number) {}
}

/** An object: its members, the last of a repeated key kept (jsoncpp keeps them in key order: see memberNames). */
export class JsonObject {
  readonly members = new Map<string, JsonValue>();
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** What jsoncpp throws where a value has the wrong type for an operation (Json::LogicError), or nests too deep. */
export class JsonLogicError extends Error {}

const MAX_INT32 = 2147483647n;
const MAX_UINT32 = 4294967295n;
const MAX_INT64 = 9223372036854775807n;
const MAX_UINT64 = 18446744073709551615n;

/** Parses `text` as jsoncpp's Reader does; undefined where it reports an error. */
export function parseJsoncpp(text: string): JsonValue | undefined {
  const p = new Reader(text);
  try {
    return p.value();
  } catch (e) {
    if (e === SYNTAX) return undefined;
    throw e;
  }
}

const SYNTAX = new Error('json syntax');

// jsoncpp's token kinds
const enum T { EOS, OBJ_BEGIN, OBJ_END, ARR_BEGIN, ARR_END, STRING, NUMBER, TRUE, FALSE, NULL, ARR_SEP, MEMBER_SEP, COMMENT, ERROR }

/**
 * jsoncpp's (old) Reader with Features::all(): tokens one at a time, a
 * comment being a token of its own, skipped only where the Reader skips
 * them (before a value, before an object member's name, after a value).
 */
class Reader {
  private pos = 0;
  private depth = 0;
  /** Start of the last token read (strings and numbers are decoded from there). */
  private start = 0;
  constructor(private readonly s: string) {}

  /** The next character, or 0 at the end (a NUL byte reads as the end too, for tokens). */
  private next(): number {
    return this.pos < this.s.length ? this.s.charCodeAt(this.pos++) : 0;
  }

  private skipSpaces(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) this.pos++;
      else break;
    }
  }

  private token(): T {
    this.skipSpaces();
    this.start = this.pos;
    const c = this.next();
    switch (c) {
      case 123: return T.OBJ_BEGIN;
      case 125: return T.OBJ_END;
      case 91: return T.ARR_BEGIN;
      case 93: return T.ARR_END;
      case 34: return this.readString() ? T.STRING : T.ERROR;
      case 47: return this.readComment() ? T.COMMENT : T.ERROR;
      case 116: return this.match('rue') ? T.TRUE : T.ERROR;
      case 102: return this.match('alse') ? T.FALSE : T.ERROR;
      case 110: return this.match('ull') ? T.NULL : T.ERROR;
      case 44: return T.ARR_SEP;
      case 58: return T.MEMBER_SEP;
      case 0: return T.EOS;
      default:
        if (c === 45 || (c >= 48 && c <= 57)) { this.readNumber(); return T.NUMBER; }
        return T.ERROR;
    }
  }

  private match(rest: string): boolean {
    if (!this.s.startsWith(rest, this.pos)) return false;
    this.pos += rest.length;
    return true;
  }

  private readString(): boolean {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos++);
      if (c === 92) this.pos++;
      else if (c === 34) return true;
    }
    return false;
  }

  private readComment(): boolean {
    const c = this.next();
    if (c === 42) {
      const end = this.s.indexOf('*/', this.pos);
      if (end < 0) { this.pos = this.s.length; return false; }
      this.pos = end + 2;
      return true;
    }
    if (c !== 47) return false;
    while (this.pos < this.s.length) {
      const k = this.s.charCodeAt(this.pos++);
      if (k === 10) break;
      if (k === 13) { if (this.s.charCodeAt(this.pos) === 10) this.pos++; break; }
    }
    return true;
  }

  /** [-] digits [. digits] [e [+-] digits]: the token jsoncpp takes as a number (decoded later). */
  private readNumber(): void {
    const s = this.s;
    let p = this.pos;
    const digits = () => { while (p < s.length && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p++; };
    digits();
    if (s[p] === '.') { p++; digits(); }
    if (s[p] === 'e' || s[p] === 'E') { p++; if (s[p] === '+' || s[p] === '-') p++; digits(); }
    this.pos = p;
  }

  private skipComments(): T {
    let t: T;
    do t = this.token(); while (t === T.COMMENT);
    return t;
  }

  value(): JsonValue {
    if (++this.depth > 1000) throw new JsonLogicError('Exceeded stackLimit in readValue().');
    try {
      const t = this.skipComments();
      switch (t) {
        case T.OBJ_BEGIN: return this.object();
        case T.ARR_BEGIN: return this.array();
        case T.STRING: return this.decodeString();
        case T.NUMBER: return this.decodeNumber();
        case T.TRUE: return true;
        case T.FALSE: return false;
        case T.NULL: return null;
        default: throw SYNTAX;
      }
    } finally {
      this.depth--;
    }
  }

  private object(): JsonObject {
    const o = new JsonObject();
    let name = '';
    for (;;) {
      let t = this.token();
      while (t === T.COMMENT) t = this.token();
      // (a '}' where a name goes ends the object while the last name read is empty: `{}` and `{"":1,}`)
      if (t === T.OBJ_END && name === '') return o;
      if (t !== T.STRING) throw SYNTAX;
      name = this.decodeString();
      if (this.token() !== T.MEMBER_SEP) throw SYNTAX;
      o.members.set(name, this.value());
      let sep = this.token();
      if (sep !== T.OBJ_END && sep !== T.ARR_SEP && sep !== T.COMMENT) throw SYNTAX;
      while (sep === T.COMMENT) sep = this.token();
      if (sep === T.OBJ_END) return o;
      // (whatever follows comments after a value counts as the separator, as in jsoncpp)
      if (sep === T.EOS || sep === T.ERROR) throw SYNTAX;
    }
  }

  private array(): JsonValue[] {
    const a: JsonValue[] = [];
    this.skipSpaces();
    if (this.s.charCodeAt(this.pos) === 93) { this.pos++; return a; }
    for (;;) {
      a.push(this.value());
      let t = this.token();
      while (t === T.COMMENT) t = this.token();
      if (t === T.ARR_END) return a;
      if (t !== T.ARR_SEP) throw SYNTAX;
    }
  }

  /** The string token just read: its bytes, escapes decoded (\u as UTF-8). */
  private decodeString(): string {
    const s = this.s, end = this.pos - 1; // (before the closing quote)
    let p = this.start + 1;
    let out = '';
    let from = p;
    while (p < end) {
      const c = s.charCodeAt(p++);
      if (c !== 92) continue;
      out += s.slice(from, p - 1);
      if (p === end) throw SYNTAX;
      const e = s[p++];
      switch (e) {
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case '\\': out += '\\'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          let u = hex4(s, p, end); p += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            if (end - p < 6 || s[p] !== '\\' || s[p + 1] !== 'u') throw SYNTAX;
            u = 0x10000 + ((u & 0x3ff) << 10) + (hex4(s, p + 2, end) & 0x3ff);
            p += 6;
          }
          out += utf8(u);
          break;
        }
        default: throw SYNTAX;
      }
      from = p;
    }
    return out + s.slice(from, end);
  }

  /** The number token just read, as jsoncpp's decodeNumber keeps it. */
  private decodeNumber(): JsonNumber {
    const tok = this.s.slice(this.start, this.pos);
    const neg = tok[0] === '-';
    const body = neg ? tok.slice(1) : tok;
    if (/^[0-9]*$/.test(body)) {
      const v = body === '' ? 0n : BigInt(body);
      if (v <= (neg ? MAX_INT64 + 1n : MAX_UINT64)) {
        if (neg) return new JsonNumber('int', -v, Number(-v));
        if (v <= MAX_INT32) return new JsonNumber('int', v, Number(v));
        return new JsonNumber('uint', v, Number(v));
      }
    }
    // a double, as an istringstream reads one: the whole token must be one ("1.5e" is not)
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok)) throw SYNTAX;
    const r = Number(tok);
    if (!Number.isFinite(r)) throw SYNTAX;
    return new JsonNumber('real', 0n, r);
  }
}

function hex4(s: string, p: number, end: number): number {
  if (end - p < 4) throw SYNTAX;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const d = parseInt(s[p + i], 16);
    if (Number.isNaN(d)) throw SYNTAX;
    v = v * 16 + d;
  }
  return v;
}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

// ---- conversions (jsoncpp's isConvertibleTo and as*)

const isNum = (v: JsonValue): v is JsonNumber => v instanceof JsonNumber;

/** isConvertibleTo(stringValue), null excluded (sysdig's check keeps its default for null). */
export function isStringLike(v: JsonValue): boolean {
  return v !== null && (typeof v === 'string' || typeof v === 'boolean' || isNum(v));
}

/** asString: numbers in jsoncpp's text, booleans as true/false, null as ''; other types throw. */
export function asString(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isNum(v)) return v.kind === 'real' ? realText(v.real) : v.int.toString();
  throw new JsonLogicError('Type is not convertible to string');
}

/** jsoncpp's text of a double: printf's %.17g, with ".0" added to one that reads as an integer. */
function realText(r: number): string {
  if (Object.is(r, -0)) return '-0.0';
  // %g takes the exponent of the value rounded to 17 digits: exponent form below -4 or from 17 on
  const e = r.toExponential(16);
  const x = Number(e.slice(e.indexOf('e') + 1));
  let t: string;
  if (x < -4 || x >= 17) {
    const mantissa = e.slice(0, e.indexOf('e')).replace(/\.?0+$/, '');
    t = `${mantissa}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  } else {
    t = r.toFixed(16 - x);
    if (t.includes('.')) t = t.replace(/\.?0+$/, '');
  }
  if (!t.includes('.') && !t.includes('e')) t += '.0';
  return t;
}

/** isConvertibleTo(uintValue) without null: asUInt(v) is then its value. */
export function asUInt32(v: JsonValue): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (!isNum(v)) return undefined;
  if (v.kind === 'real') return v.real >= 0 && v.real <= 4294967295 ? Math.trunc(v.real) : undefined;
  return v.int >= 0n && v.int <= MAX_UINT32 ? Number(v.int) : undefined;
}

/** isConvertibleTo(booleanValue) without null: asBool(v) is then its value. */
export function asBoolean(v: JsonValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (!isNum(v)) return undefined;
  return v.kind === 'real' ? v.real !== 0 : v.int !== 0n;
}

/** const operator[](key): a member of an object, null for a missing one or a null value; other types throw. */
export function member(v: JsonValue, key: string): JsonValue {
  if (v === null) return null;
  if (!(v instanceof JsonObject)) throw new JsonLogicError('in Json::Value::find(begin, end): requires objectValue or nullValue');
  return v.members.get(key) ?? null;
}

/** getMemberNames(): an object's keys in order, none for null; other types throw. */
export function memberNames(v: JsonValue): string[] {
  if (v === null) return [];
  if (!(v instanceof JsonObject)) throw new JsonLogicError('in Json::Value::getMemberNames(), value must be objectValue');
  return [...v.members.keys()].sort(compareBytes);
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
