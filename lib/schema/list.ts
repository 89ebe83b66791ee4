// `sysdig -L`: one line per listed event, '>' or '<', the name and its typed params.

import { EVENTS } from './events';
import type { EventInfo } from './types';

// Type labels as the listing prints them, indexed by PT value. sysdig 0.29.3
// has no label for IPv6 address/network and prints '<NA>'; the labels for the
// types it did not have yet are ours.
const PT_LABELS: readonly string[] = [
  'NONE', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'CHARBUF',
  'BYTEBUF', 'ERRNO', 'SOCKADDR', 'SOCKTUPLE', 'FD', 'PID', 'FDLIST', 'FSPATH', 'SYSCALLID',
  'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'BOOL', 'IPV4ADDR', 'DYNAMIC',
  'FLAGS8', 'FLAGS16', 'FLAGS32', 'UID', 'GID', 'DOUBLE', 'SIGSET', 'CHARBUFARRAY',
  'CHARBUF_PAIR_ARRAY', 'IPV4NET', '<NA>', '<NA>', 'IPADDR', 'IPNET', 'MODE', 'FSRELPATH',
  'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32', 'FD32', 'PID32',
];

/** Label of a param type as the event listing shows it. */
export function paramTypeLabel(type: number): string {
  return PT_LABELS[type] ?? '<NA>';
}

const EF_UNUSED = 1 << 6;
const EF_OLD_VERSION = 1 << 9;
const EC_INTERNAL = 1 << 8;

/** Whether the listing shows an event: unused, superseded and internal events are left out. */
export function isListed(e: EventInfo): boolean {
  return (e.flags & (EF_UNUSED | EF_OLD_VERSION)) === 0 && (e.category & EC_INTERNAL) === 0;
}

/** The listing line of one event (without newline); params limited to those sysdig 0.29.3 knows. */
export function eventListLine(e: EventInfo): string {
  const params = e.params.slice(0, e.sysdigParams ?? e.params.length);
  const args = params.map((p) => `${paramTypeLabel(p.type)} ${p.name}`).join(', ');
  return `${e.enter ? '>' : '<'} ${e.name}(${args})`;
}

/** What `sysdig -L` prints, for our whole table (a superset of sysdig 0.29.3's lines). */
export function renderEventList(): string {
  let out = '';
  for (const e of EVENTS) if (isListed(e)) out += eventListLine(e) + '\n';
  return out;
}
