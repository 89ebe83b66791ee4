// --filter-proclist: the process list a conversion writes holds only what
// the filter keeps, as sysdig's does. sysdig runs the filter while it
// imports the list, on each fd of each thread (lib/state/engine.ts
// importThreadFiltered); the fds that do not match are left out of the file,
// and so are the threads left without any. sysdig imports the users, groups
// and interfaces after the threads: the state gets them after the list too.

import type { ScapEvent } from '../event/event';
import type { CaptureSink, FdRecord, ThreadRecord } from '../event/records';
import type { StateEngine } from '../state/engine';

export class ProcListFilter {
  private readonly threads: ThreadRecord[] = [];
  private readonly fds = new Map<number, FdRecord[]>();
  private readonly afterThreads: (() => void)[] = [];
  private done = false;

  /** keep(ev): whether the filter passes the stand-in event with the state's current thread and fd. */
  constructor(private readonly state: StateEngine, private readonly keep: (ev: ScapEvent) => boolean) {}

  /** Holds the process list's records (the state gets them when the list is imported). */
  thread(t: ThreadRecord): void { this.threads.push(t); }

  /** Holds a record the state is to get after the process list (users, interfaces). */
  later(give: () => void): void {
    if (this.done) give(); else this.afterThreads.push(give);
  }

  fd(tid: number, f: FdRecord): void {
    let l = this.fds.get(tid);
    if (l === undefined) this.fds.set(tid, l = []);
    l.push(f);
  }

  /** Imports the list into the state, and hands `out` what the filter keeps (once: before the first event, or at the end). */
  flush(out: CaptureSink): void {
    if (this.done) return;
    this.done = true;
    const kept: [ThreadRecord, FdRecord[]][] = [];
    for (const t of this.threads) {
      const fds = this.state.importThreadFiltered(t, this.fds.get(t.tid) ?? [], this.keep);
      if (fds.length) kept.push([t, fds]);
    }
    for (const give of this.afterThreads) give();
    for (const [t] of kept) out.thread?.(t);
    for (const [t, fds] of kept) for (const f of fds) out.fd?.(t.tid, f);
  }
}
