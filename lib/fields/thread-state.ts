// sysdig's per-thread private state (its sinsp_thread_privatestate_manager).
//
// A few fields keep a value per thread (thread.totexectime, thread.cpu*,
// evt.latency*): each compiled instance reserves a slot in every thread,
// numbered in the order they are compiled (sysdig compiles the output
// formats, then the capture filter, before opening the capture). The thread
// sysdig gives a container event is made up for the event and has no slots:
// a field reading its slot there aborts the run, "invalid thread state ID<n>".

import { EvaluationAbort } from './abort';

let reservations = 0;
let copying = false;

/**
 * The next slot, for a field instance being compiled. The checks sysdig
 * makes for each value of an 'in' list on a non-string field
 * ('(f=v1 or f=v2 ...)') are copies that reserve nothing and keep the slot
 * id their constructor leaves unset: 0 in practice (their values add up in
 * slot 0, beside whatever else uses it).
 */
export function reserveThreadState(): number {
  return copying ? 0 : reservations++;
}

/** Compiles with f one of those copies. */
export function asInListCopy<T>(f: () => T): T {
  copying = true;
  try { return f(); } finally { copying = false; }
}

/** A new run numbers its slots from 0. */
export function resetThreadState(): void {
  reservations = 0;
}

/** Each thread's slots (a thread made anew, by a new file or a reused tid, starts from zeros). */
const slots = new WeakMap<object, (number | bigint)[]>();

/** A thread's value in a slot (a u64: 0 until written). */
export function readSlot(t: object, slot: number): number | bigint {
  return slots.get(t)?.[slot] ?? 0;
}

export function writeSlot(t: object, slot: number, v: number | bigint): void {
  let a = slots.get(t);
  if (a === undefined) slots.set(t, a = []);
  a[slot] = v;
}

/** sysdig's abort on a thread without private state. */
export class ThreadStateError extends EvaluationAbort {
  constructor(slot: number) {
    super('invalid thread state ID' + slot);
    this.name = 'ThreadStateError';
  }
}
