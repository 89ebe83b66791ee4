// Time windows (--from/--to) and chunk predicates shared by the readers.

import { ChunkSummary, summaryHasType } from './scry/format';

/** A time bound: absolute ns since the epoch, or ns after the capture's first event. */
export interface TimeBound {
  ns: bigint;
  relative: boolean;
}

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n,
};

/**
 * Parses a --from/--to value:
 *   +30s, +1.5m, +250ms, +0   relative to the capture's start (units ns us ms s m h; none = s)
 *   1700000000123456789       absolute ns since the epoch (an integer of 11 digits or more)
 *   1700000000.5              absolute seconds since the epoch (with a fraction, or 10 digits or fewer)
 *   2026-01-02T03:04:05.5Z    an ISO 8601 date (UTC unless it carries an offset)
 * Throws an Error with a readable message otherwise.
 */
export function parseTimeBound(s: string): TimeBound {
  const t = s.trim();
  const rel = /^\+(\d+)(?:\.(\d+))?\s*(ns|us|ms|s|m|h)?$/.exec(t);
  if (rel) return { ns: decimalTimes(rel[1], rel[2] ?? '', UNITS[rel[3] ?? 's']), relative: true };
  if (/^\d{11,}$/.test(t)) return { ns: BigInt(t), relative: false };
  const sec = /^(\d{1,10})(?:\.(\d+))?$/.exec(t);
  if (sec) return { ns: decimalTimes(sec[1], sec[2] ?? '', UNITS.s), relative: false };
  const iso = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (iso) {
    const ms = Date.parse(iso[1].replace(' ', 'T') + (iso[3] ?? 'Z'));
    if (!Number.isNaN(ms)) {
      const frac = (iso[2] ?? '').padEnd(9, '0');
      return { ns: BigInt(ms) * 1000000n + BigInt(frac), relative: false };
    }
  }
  throw new Error(`invalid time '${s}' (expected +30s, +1.5m, ns since the epoch, or an ISO date)`);
}

function decimalTimes(int: string, frac: string, unit: bigint): bigint {
  const digits = frac.length;
  const scale = 10n ** BigInt(digits);
  return (BigInt(int) * scale + BigInt(frac || '0')) * unit / scale;
}

/** Absolute bound given the capture's first timestamp (strings are parsed with parseTimeBound). */
export function resolveBound(b: TimeBound | bigint | string | undefined, start: bigint): bigint | undefined {
  if (b === undefined) return undefined;
  if (typeof b === 'bigint') return b;
  if (typeof b === 'string') b = parseTimeBound(b);
  return b.relative ? start + b.ns : b.ns;
}

/**
 * What a filter can promise about the events it may match, so whole chunks
 * can be skipped: a chunk is read when it may hold a match. Each present
 * field narrows; leave a field out when the filter says nothing about it.
 */
export interface ChunkNeeds {
  /** Event type ids the filter can match (any other type never matches). */
  types?: Iterable<number>;
  /** Thread ids the filter can match. */
  tids?: Iterable<number>;
  /** Process names (proc.name) the filter can match. */
  comms?: Iterable<string>;
}

/** Returns a chunk predicate (true = read the chunk) for what a filter needs. */
export function chunkPredicate(needs: ChunkNeeds): (s: ChunkSummary) => boolean {
  const types = needs.types ? [...needs.types] : null;
  const tids = needs.tids ? new Set(needs.tids) : null;
  const comms = needs.comms ? new Set(needs.comms) : null;
  return (s) => {
    if (types && !types.some((t) => summaryHasType(s, t))) return false;
    if (tids && s.tids && !s.tids.some((t) => tids.has(t))) return false;
    if (comms && s.commsComplete && !s.comms.some((c) => comms.has(c))) return false;
    return true;
  };
}
