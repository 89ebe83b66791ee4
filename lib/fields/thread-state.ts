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

/** The next slot, for a field instance being compiled. */
export function reserveThreadState(): number {
  return reservations++;
}

/** A new run numbers its slots from 0. */
export function resetThreadState(): void {
  reservations = 0;
}

/** sysdig's abort on a thread without private state. */
export class ThreadStateError extends EvaluationAbort {
  constructor(slot: number) {
    super('invalid thread state ID' + slot);
    this.name = 'ThreadStateError';
  }
}
