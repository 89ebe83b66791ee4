// State records as stored in .scry chunks (msgpack), and the shared msgpack
// configuration. Each record is a msgpack array whose first element is a tag.

import type { Packr as PackrClass } from 'msgpackr';
import { textsFromWire, textsToWire } from './wire-text';
import { CaptureSink, FdRecord, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from '../../event/records';

/** What a capture knows besides its events, as writers receive it and scry files store it. */
export type StateRecord =
  | { kind: 'machine'; mi: MachineInfo }
  | { kind: 'thread'; thread: ThreadRecord }
  | { kind: 'fd'; tid: number; fd: FdRecord }
  | { kind: 'interfaces'; list: InterfaceRecord[] }
  | { kind: 'users'; users: UserRecord[]; groups: GroupRecord[] }
  /** Kernel drop counters, one per cpu (scry live capture). */
  | { kind: 'drops'; perCpu: number[] }
  /** A scap block scry does not interpret, kept so a .scap written back carries it. */
  | { kind: 'block'; type: number; body: Buffer };

/**
 * msgpackr, loaded without its optional native string extractor
 * (msgpackr-extract): loading that takes some 6 ms of every .scry replay's
 * start, and the strings of scry's records are short, where msgpackr's own
 * decoding is as fast. (The variable is msgpackr's switch, set only while it loads.)
 */
function loadMsgpackr(): typeof import('msgpackr') {
  const env = process.env, name = 'MSGPACKR_NATIVE_ACCELERATION_DISABLED', was = env[name];
  env[name] = 'true';
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('msgpackr') as typeof import('msgpackr');
  } finally {
    if (was === undefined) delete env[name]; else env[name] = was;
  }
}
const { Packr } = loadMsgpackr();

/**
 * Plain msgpack: no records/structures extension, so any msgpack library can
 * read the maps. Integers above 2^32 come back as numbers (float64, exact for
 * the values stored here).
 */
export const packr: PackrClass = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false });

export function recordToWire(r: StateRecord): unknown[] {
  switch (r.kind) {
    case 'machine': return ['mi', textsToWire(r.mi)];
    case 'thread': return ['th', textsToWire(r.thread)];
    case 'fd': return ['fd', r.tid, textsToWire(r.fd)];
    case 'interfaces': return ['if', r.list.map(textsToWire)];
    case 'users': return ['us', r.users.map(textsToWire), r.groups.map(textsToWire)];
    case 'drops': return ['dr', r.perCpu];
    case 'block': return ['bk', r.type, r.body];
  }
}

function own(b: unknown): Buffer {
  if (b instanceof Uint8Array) return Buffer.from(b);
  return Buffer.alloc(0);
}

export class RecordError extends Error {}

export function recordFromWire(w: unknown): StateRecord {
  if (!Array.isArray(w) || typeof w[0] !== 'string') throw new RecordError('state record is not a tagged array');
  const obj = (x: unknown): Record<string, unknown> => {
    if (!x || typeof x !== 'object') throw new RecordError(`state record '${w[0]}' has no body`);
    return x as Record<string, unknown>;
  };
  switch (w[0]) {
    case 'mi': return { kind: 'machine', mi: textsFromWire(obj(w[1])) as unknown as MachineInfo };
    case 'th': return { kind: 'thread', thread: textsFromWire(obj(w[1])) as unknown as ThreadRecord };
    case 'fd': return { kind: 'fd', tid: Number(w[1]), fd: textsFromWire(obj(w[2])) as unknown as FdRecord };
    case 'if': return { kind: 'interfaces', list: (w[1] as unknown[]).map((x) => textsFromWire(obj(x)) as unknown as InterfaceRecord) };
    case 'us': return {
      kind: 'users',
      users: (w[1] as unknown[]).map((x) => textsFromWire(obj(x))) as unknown as UserRecord[],
      groups: (w[2] as unknown[]).map((x) => textsFromWire(obj(x))) as unknown as GroupRecord[],
    };
    case 'dr': return { kind: 'drops', perCpu: (w[1] as number[]).map(Number) };
    case 'bk': return { kind: 'block', type: Number(w[1]), body: own(w[2]) };
    default: throw new RecordError(`unknown state record '${String(w[0])}'`);
  }
}

/** Delivers a state record to a sink (drops and opaque blocks go to the callbacks). */
export function deliverRecord(r: StateRecord, sink: CaptureSink, onDrops?: (perCpu: number[]) => void,
  onBlock?: (type: number, body: Buffer) => void): void {
  switch (r.kind) {
    case 'machine': sink.machineInfo?.(r.mi); break;
    case 'thread': sink.thread?.(r.thread); break;
    case 'fd': sink.fd?.(r.tid, r.fd); break;
    case 'interfaces': sink.interfaces?.(r.list); break;
    case 'users': sink.users?.(r.users, r.groups); break;
    case 'drops': onDrops?.(r.perCpu); break;
    case 'block': onBlock?.(r.type, r.body); break;
  }
}
