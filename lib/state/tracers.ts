// Tracers: sysdig's user-space spans. A process marks the start and end of a
// span by writing a short text to /dev/null, either
//   >:ID:TAG1.TAG2:NAME=VAL,NAME=VAL:      (enter; '<' for exit)
// or the JSON form  [">", ID, ["tag1", "tag2"], [{"name": "val"}]].
// ID is a number, t (the thread id), p (the pid), pp (the parent pid), or
// empty / g (0). sysdig turns each such write into a tracer event (type
// "tracer") in place of the write's exit, and keeps the spans that are open
// for the span.* and evtin.* fields.
//
// The parser below follows sysdig 0.29.3's byte by byte, quirks included
// (a scope or tag starting with the digit 0 reads as "wait for more", a
// scope char is skipped with the char after it, unfinished writes are kept
// and completed by the next write of the thread), because which writes turn
// into events depends on them. It works on a NUL-terminated copy of the
// bytes, which it cuts in place as sysdig's does.

import { cString } from '../util/bytes';

/** Outcome of parsing a tracer write (sysdig's parse_result). */
export const enum TracerResult { OK = 0, COMMA = 1, FAILED = 2, TRUNCATED = 3 }

/** Unfinished tracer texts longer than this are dropped (sysdig's MAX_USER_EVT_BUFFER). */
const MAX_FRAGMENT = 65536;
/** Open spans kept at most; the list is emptied when an enter finds no room (sysdig's pool of 128). */
const POOL_SIZE = 128;

const C_NUL = 0, C_COLON = 0x3a, C_DOT = 0x2e, C_GT = 0x3e, C_LT = 0x3c, C_EQ = 0x3d, C_NL = 0x0a, C_BSLASH = 0x5c;
const C_COMMA = 0x2c, C_SPACE = 0x20, C_QUOTE = 0x22, C_LSQ = 0x5b, C_RSQ = 0x5d, C_LCB = 0x7b, C_RCB = 0x7d;
const C_0 = 0x30, C_9 = 0x39, C_MINUS = 0x2d;

/** The ids a tracer's scope letters stand for. */
export interface TracerThreadIds { tid: number; pid: number; ptid: number }

/** One span seen entering (sysdig's partial tracer); pooled and reused. */
export class PartialTracer {
  id: number | bigint = 0;
  tags: string[] = [];
  argNames: string[] = [];
  argVals: string[] = [];
  /** Tags as sysdig packs them: each followed by NUL, then one more NUL. */
  packedTags = '\0';
  time = 0n;
  tid = 0;

  fill(p: TracerParser, tid: number): void {
    this.tid = tid;
    this.id = p.id;
    this.tags = p.tags.slice();
    this.argNames = p.argNames.slice();
    this.argVals = p.argVals.slice();
    let s = '';
    for (const t of this.tags) s += t + '\0';
    this.packedTags = s + '\0';
  }

  /** sysdig's compare(): same id and same tags. */
  sameSpan(o: PartialTracer): boolean {
    return this.id === o.id && this.packedTags === o.packedTags;
  }
}

/**
 * The spans open across the capture, and the pool their records come from
 * (sysdig's m_partial_tracers_list and m_partial_tracers_pool). Newest first.
 */
export class TracerSpans {
  readonly open: PartialTracer[] = [];
  private readonly pool: PartialTracer[] = [];
  /** Whether open spans are kept: only when a field needs them (see requestSpanTracking). */
  tracking = false;

  constructor() {
    for (let i = 0; i < POOL_SIZE; i++) this.pool.push(new PartialTracer());
  }

  /** A record from the pool, or undefined when all are in use. */
  take(): PartialTracer | undefined { return this.pool.pop(); }

  give(p: PartialTracer): void { this.pool.push(p); }

  /** Returns every open span to the pool. */
  clear(): void {
    // the list is newest first; sysdig returns them to a LIFO pool front to back
    for (const p of this.open) this.pool.push(p);
    this.open.length = 0;
  }
}

let spanTrackingRequested = false;

/**
 * Called when a field that needs the open spans is compiled (span.duration,
 * span.args, ... as sysdig's request_tracer_state_tracking): from then on the
 * engine keeps them. sysdig keeps none otherwise, so span.nargs and the
 * evtin.* fields have no value unless some such field is in use.
 */
export function requestSpanTracking(): void { spanTrackingRequested = true; }

/** Whether requestSpanTracking() was called since the last reset. */
export function spanTrackingWanted(): boolean { return spanTrackingRequested; }

/** Forgets earlier requests (at the start of a run). */
export function resetSpanTracking(): void { spanTrackingRequested = false; }

/** Per-thread tracer parser (sysdig's sinsp_tracerparser). */
export class TracerParser {
  result = TracerResult.OK;
  /** '>' for an enter, anything else for an exit. */
  typeChar = 0;
  id: number | bigint = 0;
  tags: string[] = [];
  argNames: string[] = [];
  argVals: string[] = [];
  /**
   * Tag lengths as sysdig's m_taglens vector holds them: cleared (not freed)
   * by each parse, so entries past `tagLenCount` keep older values. span.tags
   * copies that many bytes of each tag, which cuts the one tag of a bad
   * tracer to the length of an earlier parse's first tag.
   */
  readonly tagLens: number[] = [];
  tagLenCount = 0;
  /** Sum of the tags' lengths (sysdig's m_tot_taglens, used by span.rawparenttime). */
  totTagLens = 0;
  /** The span this tracer enters, or the one it exits when that was open; undefined when none. */
  enter: PartialTracer | undefined;
  /** This tracer as an exit, for span.args and span.duration of an exit. */
  readonly exit = new PartialTracer();

  private s = Buffer.alloc(256);
  private fragment = 0;
  /** Text of the previous fragments, while a tracer is split over writes (sysdig's m_fullfragment_storage_str). */
  private fullFragment: Buffer | undefined;
  private ids: TracerThreadIds = { tid: 0, pid: 0, ptid: 0 };
  // tag and argument starts in s, turned into strings once the parse succeeds
  private tagAt: number[] = [];
  private nameAt: number[] = [];
  private valAt: number[] = [];

  /**
   * Parses one write's bytes (with what earlier writes left unfinished) and,
   * when spans are tracked, updates the open spans. Returns the result.
   */
  process(data: Buffer, off: number, len: number, ids: TracerThreadIds, ts: bigint, spans: TracerSpans): TracerResult {
    this.ids = ids;
    const storLen = this.fragment + len;
    // (zero bytes to spare: a scope letter is skipped with the char after it,
    // which may step past the terminating NUL, as in sysdig)
    if (this.s.length < storLen + 16) {
      const n = Buffer.alloc(storLen + 256);
      this.s.copy(n);
      this.s = n;
    }
    const s = this.s;
    data.copy(s, this.fragment, off, off + len);
    s[storLen] = 0;
    if (this.fragment !== 0) {
      // a copy: parsing cuts s in place
      const z = s.indexOf(0);
      this.fullFragment = Buffer.from(s.subarray(0, z < 0 ? s.length : z));
    }

    if (storLen > 0) {
      this.result = TracerResult.OK;
      this.tagAt.length = 0; this.nameAt.length = 0; this.valAt.length = 0;
      this.totTagLens = 0;
      this.tagLenCount = 0;
      if (s[0] === C_GT || s[0] === C_LT) this.parseSimple();
      else this.parseJson();
    } else {
      this.result = TracerResult.FAILED;
    }

    const result = this.result as TracerResult;
    if (result === TracerResult.FAILED) {
      this.fragment = 0;
      this.fullFragment = undefined;
      return result;
    }
    if (result === TracerResult.TRUNCATED) {
      if (this.fragment > MAX_FRAGMENT) { this.fragment = 0; return result; }
      if (this.fullFragment === undefined || this.fullFragment.length === 0) {
        data.copy(s, 0, off, off + len);
        s[len] = 0;
        this.fragment += len;
      } else {
        s.set(this.fullFragment, 0);
        this.fragment = this.fullFragment.length;
      }
      return result;
    }
    this.fragment = 0;
    this.fullFragment = undefined;
    this.tags = this.tagAt.map((p) => cString(s, p, s.length));
    this.argNames = this.nameAt.map((p) => cString(s, p, s.length));
    this.argVals = this.valAt.map((p) => cString(s, p, s.length));

    if (!spans.tracking) return TracerResult.OK;
    if (this.typeChar === C_GT) {
      const p = spans.take();
      if (p === undefined) {
        // no room: likely drops left spans that never end; start afresh (this enter is lost)
        spans.clear();
        return TracerResult.OK;
      }
      p.fill(this, ids.tid);
      p.time = ts;
      spans.open.unshift(p);
      this.enter = p;
    } else {
      this.exit.fill(this, ids.tid);
      for (let i = 0; i < spans.open.length; i++) {
        const o = spans.open[i];
        if (this.exit.sameSpan(o)) {
          this.exit.time = ts;
          // back to the pool, yet still read by this event's fields (as in sysdig)
          this.enter = o;
          spans.give(o);
          spans.open.splice(i, 1);
          return TracerResult.OK;
        }
      }
      this.enter = undefined;
    }
    return TracerResult.OK;
  }

  /**
   * The open span whose tags are this tracer's minus the last (the parent),
   * found the way sysdig's find_parent_enter_pae does.
   */
  parentSpan(spans: TracerSpans): PartialTracer | undefined {
    const e = this.enter;
    if (e === undefined) return undefined;
    const packed = e.packedTags;
    let i = this.totTagLens;
    const at = (k: number) => (k < packed.length ? packed.charCodeAt(k) : 0);
    if (at(i) === 0 && i > 0) i--;
    let len = 0;
    while (i !== 0) {
      if (at(i) === 0) { len = i + 1; break; }
      i--;
    }
    const prefix = packed.slice(0, len);
    for (const o of spans.open) {
      if (o.id === e.id && len === o.packedTags.length - 1 && o.packedTags.startsWith(prefix)) return o;
    }
    return undefined;
  }

  // ---- the two syntaxes ----

  private scopeId(p: number): { id: number | bigint; delta: number; p: number } | undefined {
    const s = this.s;
    switch (s[p]) {
      case 0x74: return { id: this.ids.tid, delta: 2, p }; // t
      case 0x70: // p, pp
        if (s[p + 1] === 0x70) return { id: this.ids.ptid, delta: 2, p: p + 1 };
        return { id: this.ids.pid, delta: 2, p };
      case C_COLON: return { id: 0, delta: 1, p };
      case 0x67: return { id: 0, delta: 2, p }; // g
      default: return undefined;
    }
  }

  private parseSimple(): void {
    const s = this.s;
    let p = 0;
    this.typeChar = s[p++];
    if (s[p] !== C_COLON) { this.result = s[p] === C_NUL ? TracerResult.TRUNCATED : TracerResult.FAILED; return; }
    s[p++] = 0;
    if (s[p] === C_0) { this.result = TracerResult.TRUNCATED; return; }
    const scope = this.scopeId(p);
    let delta: number;
    if (scope !== undefined) {
      this.id = scope.id; p = scope.p; delta = scope.delta;
    } else {
      const n = this.numberColonEnd(p);
      this.result = n.result;
      if (n.result > TracerResult.COMMA) return;
      this.id = n.value; delta = n.delta;
    }
    p += delta;
    if (s[p] === C_0) { this.result = TracerResult.TRUNCATED; return; }
    if (s[p] !== C_COLON) {
      let literal = false;
      for (;;) {
        const start = p;
        this.tagAt.push(p);
        while (s[p] !== C_NUL) {
          if (literal) { literal = false; p++; continue; }
          const c = s[p];
          if (c === C_BSLASH) { literal = true; this.deleteChar(p); continue; }
          if (c === C_DOT || c === C_COLON) break;
          if (c === C_GT || c === C_LT || c === C_EQ || c === C_NL) { this.result = TracerResult.FAILED; return; }
          p++;
        }
        this.addTagLen(p - start);
        if (s[p] === C_COLON) { s[p] = 0; break; }
        if (s[p] === C_NUL) { this.result = TracerResult.TRUNCATED; return; }
        s[p++] = 0;
      }
    }
    p++;
    if (s[p] === C_NUL) { this.result = TracerResult.TRUNCATED; return; }
    if (s[p] === C_COLON) return;
    let literal = false;
    for (;;) {
      this.nameAt.push(p);
      while (s[p] !== C_NUL) {
        if (literal) { literal = false; p++; continue; }
        const c = s[p];
        if (c === C_BSLASH) { literal = true; this.deleteChar(p); continue; }
        if (c === C_EQ) break;
        if (c === C_GT || c === C_LT || c === C_NL) { this.result = TracerResult.FAILED; return; }
        p++;
      }
      if (s[p] === C_NUL) {
        // a name with no value is not supported; otherwise wait for more
        this.result = s[p - 1] === C_COLON ? TracerResult.FAILED : TracerResult.TRUNCATED;
        return;
      }
      s[p++] = 0;
      this.valAt.push(p);
      literal = false;
      while (s[p] !== C_NUL) {
        if (literal) { literal = false; p++; continue; }
        const c = s[p];
        if (c === C_BSLASH) { literal = true; this.deleteChar(p); continue; }
        if (c === C_COMMA || c === C_COLON || c === C_EQ) break;
        p++;
      }
      if (s[p] === C_COLON) { s[p] = 0; this.result = TracerResult.OK; return; }
      if (s[p] === C_NUL) { this.result = TracerResult.TRUNCATED; return; }
      s[p++] = 0;
    }
  }

  private parseJson(): void {
    const s = this.s;
    let p = 0;
    let r = this.skipSpaces(p);
    p += r.delta;
    if (s[p++] !== C_LSQ) { this.result = TracerResult.FAILED; return; }
    r = this.str(p);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    this.typeChar = s[r.at];
    p += r.delta;
    r = this.skipSpacesAndCommas(p, 1);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    let delta = r.delta;
    if (s[p] === C_QUOTE) {
      p++;
      const scope = this.scopeId(p);
      if (scope !== undefined) {
        this.id = scope.id; p = scope.p; delta = scope.delta;
      } else {
        // an unknown scope letter; sysdig's next step overwrites this verdict
        this.result = TracerResult.FAILED;
      }
    } else {
      const n = this.number(p);
      this.result = n.result;
      if (n.result > TracerResult.COMMA) return;
      this.id = n.value; delta = n.delta;
    }
    p += delta;
    r = this.result === TracerResult.COMMA ? this.skipSpaces(p) : this.skipSpacesAndCommas(p, 1);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;

    r = this.skipSpacesAndChar(p, C_LSQ);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    r = this.strOrNone(p);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    if (r.at >= 0) {
      this.tagAt.push(r.at); this.addTagLen(r.delta - 2);
      for (;;) {
        r = this.skipSpacesAndCommas(p, 0);
        this.result = r.result;
        if (r.result !== TracerResult.OK) return;
        p += r.delta;
        if (s[p] === C_RSQ) break;
        r = this.str(p);
        this.result = r.result;
        if (r.result !== TracerResult.OK) return;
        p += r.delta;
        this.tagAt.push(r.at); this.addTagLen(r.delta - 2);
      }
    }

    r = this.skipToArgs(p);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    r = this.strOrNone(p);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    if (r.at >= 0) {
      this.nameAt.push(r.at);
      for (let first = true; ; first = false) {
        if (!first) {
          r = this.skipBetweenArgs(p);
          this.result = r.result;
          if (r.result !== TracerResult.OK) return;
          p += r.delta;
          if (s[p] === C_RSQ) { p++; break; }
          r = this.str(p);
          this.result = r.result;
          if (r.result !== TracerResult.OK) return;
          p += r.delta;
          this.nameAt.push(r.at);
        }
        r = this.skipSpacesAndChar(p, C_COLON);
        this.result = r.result;
        if (r.result !== TracerResult.OK) return;
        p += r.delta;
        r = this.str(p);
        this.result = r.result;
        if (r.result !== TracerResult.OK) return;
        p += r.delta;
        this.valAt.push(r.at);
      }
    }

    r = this.skipSpaces(p);
    this.result = r.result;
    if (r.result !== TracerResult.OK) return;
    p += r.delta;
    if (s[p] !== C_RSQ) { this.result = s[p] === C_NUL ? TracerResult.TRUNCATED : TracerResult.FAILED; return; }
    this.result = TracerResult.OK;
  }

  /** span.tags: each tag cut to its recorded length (see tagLens), joined with dots. */
  tagsText(): string {
    let s = '';
    for (let i = 0; i < this.tags.length; i++) {
      if (i) s += '.';
      const n = this.tagLens[i] ?? 0;
      s += n < this.tags[i].length ? this.tags[i].slice(0, n) : this.tags[i];
    }
    return s;
  }

  private addTagLen(n: number): void {
    this.tagLens[this.tagLenCount++] = n;
    this.totTagLens += n;
  }

  // ---- lexical helpers (each returns how far it went) ----

  private deleteChar(p: number): void {
    const s = this.s;
    while (s[p] !== C_NUL) { s[p] = s[p + 1]; p++; }
  }

  private skipSpaces(p: number): Step {
    const start = p;
    while (this.s[p] === C_SPACE) p++;
    return step(TracerResult.OK, p - start);
  }

  private skipSpacesAndCommas(p: number, minCommas: number): Step {
    const s = this.s, start = p;
    let commas = 0;
    for (;;) {
      const c = s[p];
      if (c === C_SPACE) { p++; continue; }
      if (c === C_COMMA) commas++;
      else if (c === C_NUL) return step(TracerResult.TRUNCATED, 0);
      else break;
      p++;
    }
    if (commas < minCommas) return step(TracerResult.FAILED, 0);
    return step(TracerResult.OK, p - start);
  }

  private skipSpacesAndChar(p: number, ch: number): Step {
    const s = this.s, start = p;
    let n = 0;
    while (s[p] === C_SPACE || s[p] === ch || s[p] === C_NUL) {
      if (s[p] === C_NUL) return step(TracerResult.TRUNCATED, 0);
      if (s[p] === ch) n++;
      p++;
    }
    if (n !== 1) return step(TracerResult.FAILED, 0);
    return step(TracerResult.OK, p - start);
  }

  /** Between the tags' ']' and the first argument: one comma, one '[', at most one '{'. */
  private skipToArgs(p: number): Step {
    const s = this.s, start = p;
    let commas = 0, squares = 0, curlies = 0;
    for (;;) {
      const c = s[p];
      if (c !== C_SPACE && c !== C_COMMA && c !== C_LSQ && c !== C_RSQ && c !== C_LCB && c !== C_RCB && c !== C_NUL) break;
      if (c === C_NUL) return step(TracerResult.TRUNCATED, 0);
      if (c === C_COMMA) commas++;
      else if (c === C_LSQ) squares++;
      else if (c === C_RSQ) { if (squares !== 0) break; }
      else if (c === C_LCB) curlies++;
      p++;
    }
    if (commas !== 1 || squares !== 1) return step(TracerResult.FAILED, 0);
    if (curlies !== 1 && s[p] !== C_RSQ) return step(TracerResult.FAILED, 0);
    return step(TracerResult.OK, p - start);
  }

  /** Between two arguments: "}, {" (or the closing "}]"). */
  private skipBetweenArgs(p: number): Step {
    const s = this.s, start = p;
    let commas = 0, open = 0, close = 0;
    for (;;) {
      const c = s[p];
      if (c !== C_SPACE && c !== C_COMMA && c !== C_LCB && c !== C_RCB && c !== C_NUL) break;
      if (c === C_NUL) return step(TracerResult.TRUNCATED, 0);
      if (c === C_COMMA) commas++;
      else if (c === C_LCB) open++;
      else if (c === C_RCB) close++;
      p++;
    }
    if (!((commas === 1 && open === 1) || (commas === 1 && close === 1) || (close === 1 && s[p] === C_RSQ))) {
      return step(TracerResult.FAILED, 0);
    }
    return step(TracerResult.OK, p - start);
  }

  /** A quoted string at p (cut at its closing quote); `at` is its first char. */
  private str(p: number): Step {
    const s = this.s, initial = p;
    if (s[p] !== C_QUOTE) return step(s[p] === C_NUL ? TracerResult.TRUNCATED : TracerResult.FAILED, 1, -1);
    const at = ++p;
    while (!(s[p] === C_QUOTE && s[p - 1] !== C_BSLASH)) {
      if (s[p] === C_NUL) return step(TracerResult.TRUNCATED, p - initial + 1, at);
      p++;
    }
    s[p] = 0;
    return step(TracerResult.OK, p - initial + 1, at);
  }

  /** str(), where anything but a string reads as "no string" (at = -1). */
  private strOrNone(p: number): Step {
    const r = this.str(p);
    if (r.result === TracerResult.TRUNCATED) return r;
    if (r.result === TracerResult.FAILED) return step(TracerResult.OK, r.delta, -1);
    return r;
  }

  /** An optional '-' and decimal digits at p (int64, wrapping as C does); `end` is where they stop. */
  private digits(p: number): { value: number | bigint; end: number } {
    const s = this.s;
    const neg = s[p] === C_MINUS;
    if (neg) p++;
    let v = 0n;
    while (s[p] >= C_0 && s[p] <= C_9) { v = BigInt.asIntN(64, v * 10n + BigInt(s[p] - C_0)); p++; }
    return { value: idValue(neg ? -v : v), end: p };
  }

  private number(start: number): NumberStep {
    const s = this.s;
    const { value, end: p } = this.digits(start);
    let result = TracerResult.OK;
    if (s[p] === C_COMMA) result = TracerResult.COMMA;
    else if (s[p] !== C_NUL && s[p] !== C_SPACE) return { result: TracerResult.FAILED, value: 0, delta: 0 };
    else if (s[p] === C_NUL) return { result: TracerResult.TRUNCATED, value: 0, delta: 0 };
    s[p] = 0;
    return { result, value, delta: p - start + 1 };
  }

  private numberColonEnd(start: number): NumberStep {
    const s = this.s;
    const { value, end: p } = this.digits(start);
    if (s[p] !== C_COLON) return { result: s[p] === C_NUL ? TracerResult.TRUNCATED : TracerResult.FAILED, value: 0, delta: 0 };
    return { result: TracerResult.OK, value, delta: p - start + 1 };
  }
}

interface Step { result: TracerResult; delta: number; at: number }
interface NumberStep { result: TracerResult; value: number | bigint; delta: number }

function step(result: TracerResult, delta: number, at = -1): Step { return { result, delta, at }; }

/** An int64 id as a number when exact, else a bigint. */
function idValue(v: bigint): number | bigint {
  const w = BigInt.asIntN(64, v);
  return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
}
