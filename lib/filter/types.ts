// Shared definitions of the filter compiler.

import type { EvalContext, FieldValue } from '../fields/types';

/** Comparison operators, numbered as sysdig 0.29.3 numbers them (they appear in some of its messages). */
export const CO = {
  NONE: 0, EQ: 1, NE: 2, LT: 3, LE: 4, GT: 5, GE: 6, CONTAINS: 7, IN: 8, EXISTS: 9,
  ICONTAINS: 10, STARTSWITH: 11, GLOB: 12, PMATCH: 13, ENDSWITH: 14, INTERSECTS: 15,
} as const;
export type CmpOp = (typeof CO)[keyof typeof CO];

/** Textual form of each operator (as written in filters). */
export const CO_TEXT: readonly string[] = [
  '', '=', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'exists',
  'icontains', 'startswith', 'glob', 'pmatch', 'endswith', 'intersects',
];

/** Boolean connectives attached to each check/sub-expression (sysdig's boolop bits). */
export const BO = { NONE: 0, NOT: 1, OR: 2, AND: 4, ORNOT: 3, ANDNOT: 5 } as const;

/**
 * Parameter type codes (ppm_param_type) the filter cares about. Plain numbers
 * so this module does not depend on const-enum inlining across files.
 */
export const T = {
  NONE: 0, INT8: 1, INT16: 2, INT32: 3, INT64: 4, UINT8: 5, UINT16: 6, UINT32: 7, UINT64: 8,
  CHARBUF: 9, BYTEBUF: 10, ERRNO: 11, SOCKADDR: 12, SOCKTUPLE: 13, FD: 14, PID: 15, FDLIST: 16,
  FSPATH: 17, SYSCALLID: 18, SIGTYPE: 19, RELTIME: 20, ABSTIME: 21, PORT: 22, L4PROTO: 23,
  SOCKFAMILY: 24, BOOL: 25, IPV4ADDR: 26, DYN: 27, FLAGS8: 28, FLAGS16: 29, FLAGS32: 30,
  UID: 31, GID: 32, DOUBLE: 33, SIGSET: 34, CHARBUFARRAY: 35, CHARBUF_PAIR_ARRAY: 36,
  IPV4NET: 37, IPV6ADDR: 38, IPV6NET: 39, IPADDR: 40, IPNET: 41, MODE: 42, FSRELPATH: 43,
} as const;

/**
 * What the filter needs from a field reference. lib/fields' BoundField
 * satisfies it structurally.
 */
export interface FilterField {
  /** typeOnly: the value depends on the event type alone (see FieldDef.typeOnly). */
  readonly def: { readonly name: string; readonly typeOnly?: boolean };
  /** Argument as written ('2' for proc.aname[2], 'fd' for evt.arg.fd), if any. */
  readonly arg: string | undefined;
  /** Value type (for evt.rawarg.X the argument's own type). */
  readonly type: number;
  /** Value for comparisons (raw bytes for evt.buffer); undefined when the field does not apply. */
  readonly extract: (ctx: EvalContext) => FieldValue;
  /** Candidate values tested one by one (see BoundField.each in lib/fields/types.ts). */
  readonly each?: (ctx: EvalContext, test: (v: Exclude<FieldValue, undefined>) => boolean) => boolean;
}

/**
 * Binds the text of a field reference (the whole word, e.g. 'proc.aname[2]').
 * Returns undefined for an unknown field; throws an Error carrying sysdig's
 * message for a known field with a bad argument ("unknown event argument foo").
 */
export type FieldBinder = (text: string) => FilterField | undefined;

/** A parsed constant (right-hand side value), already converted for the field's type. */
export interface Const {
  /** The operand as written, after escape processing (one char per byte). */
  readonly raw: string;
  /** Integers: exact value. */
  readonly big?: bigint;
  /** Integers: Number(big) (exact when |big| <= 2^53). */
  readonly num?: number;
  /** Strings: the bytes as a byte string (lib/util/bytes.ts), cut at the first NUL as C does. */
  readonly str?: string;
  /** Byte buffers and addresses: raw bytes (addresses/networks: 16 bytes, zero padded). */
  readonly bytes?: Buffer;
  /** Addresses/networks: 4 (IPv4) or 16 (IPv6) as parsed. */
  readonly ipLen?: number;
}
