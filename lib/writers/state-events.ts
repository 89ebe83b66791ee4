// Which events change state. These are the events a filtered capture keeps
// although they do not match (sysdig's fatfile mode), and the events a .scry
// chunk stores apart so a reader that skips the chunk can still replay them.
//
// The rule is libsinsp's: an event type flagged EF_MODIFIES_STATE (clone,
// execve, procexit, open, close, socket, connect, accept, dup, fcntl, chdir,
// setuid, ...), plus the internal (meta) events such as container and
// procinfo, which are always kept. A .scry chunk also stores apart the
// fd-creating and -destroying types without that flag (bpf): a superset
// costs nothing there, while a fatfile keeps exactly what sysdig's -F keeps.

import { ScapEvent } from '../event/event';
import { EVENTS } from '../schema/events';

const EF_CREATES_FD = 1 << 0, EF_DESTROYS_FD = 1 << 1, EF_MODIFIES_STATE = 1 << 5;
const EC_INTERNAL = 1 << 8;

const STATE = new Uint8Array(65536);
const FATFILE = new Uint8Array(65536);
const INTERNAL = new Uint8Array(65536);
for (const e of EVENTS) {
  if (!e || e.id < 0) continue;
  if (e.flags & (EF_CREATES_FD | EF_DESTROYS_FD | EF_MODIFIES_STATE)) STATE[e.id] = 1;
  if (e.flags & EF_MODIFIES_STATE) FATFILE[e.id] = 1;
  if (e.category & EC_INTERNAL) { STATE[e.id] = 1; INTERNAL[e.id] = 1; }
}

/** True when events of this type change process, fd or container state. */
export function isStateType(type: number): boolean {
  return STATE[type] === 1;
}

/** True when a filtered capture (fatfile) keeps non-matching events of this type, hidden: sysdig's EF_MODIFIES_STATE. */
export function isFatfileType(type: number): boolean {
  return FATFILE[type] === 1;
}

/** True for internal (meta) events, which a filtered capture always keeps as they are. */
export function isInternalType(type: number): boolean {
  return INTERNAL[type] === 1;
}

export function isStateEvent(ev: ScapEvent): boolean {
  return STATE[ev.type] === 1;
}
