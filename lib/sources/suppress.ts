// -U / --suppress-comm: the events of processes with a given comm are dropped
// where they are read, before anything counts or sees them, as libscap does.
//
// libscap keeps a set of suppressed thread ids. The events that can start a
// process image or a thread (clone, fork, vfork, execve, execveat, clone3 of
// the versions that carry the comm) decide by their comm or by their parent
// being suppressed, and add or remove their thread; every other event is
// suppressed when its thread is in the set; a procexit leaves the set (and is
// itself suppressed). The process list of a capture file does not seed the
// set, as in libscap (it does only for live captures).

import type { ScapEvent } from '../event/event';
import { E } from '../schema/ids';

/** Events that carry the comm (param 13) and the parent tid (param 5). */
const DECIDES = new Set<number>([
  E.SYSCALL_CLONE_20_X, E.SYSCALL_FORK_20_X, E.SYSCALL_VFORK_20_X, E.SYSCALL_EXECVE_19_X, E.SYSCALL_EXECVEAT_X,
  E.SYSCALL_CLONE3_X,
]);

export class CommSuppressor {
  private readonly comms: Set<string>;
  private readonly tids = new Set<number>();

  constructor(comms: readonly string[]) {
    this.comms = new Set(comms);
  }

  /** Whether ev is suppressed; updates the set of suppressed threads. */
  suppressed(ev: ScapEvent): boolean {
    const tid = ev.tid;
    if (DECIDES.has(ev.type)) {
      if (ev.nparams < 14) return this.tids.has(tid);
      const sup = this.tids.has(ev.s(5)) || this.comms.has(ev.str(13));
      if (sup) this.tids.add(tid); else this.tids.delete(tid);
      return sup;
    }
    if (!this.tids.has(tid)) return false;
    if (ev.type === E.PROCEXIT_1_E) this.tids.delete(tid);
    return true;
  }
}

/** How many comms sysdig can suppress (libscap's SCAP_MAX_SUPPRESSED_COMMS). */
export const MAX_SUPPRESSED_COMMS = 32;

/**
 * sysdig's count of -U comms: before each capture opens, the comms (as an
 * ordered set) go one by one into the inspector's set, which refuses one
 * once it holds 32, whether or not the comm is already in it. The set lives
 * across the files of several -r, so 32 comms pass for the first file and
 * fail for the next. Returns sysdig's error line for a refused comm.
 */
export class SuppressedCommLimit {
  private readonly held = new Set<string>();
  private readonly ordered: string[];

  constructor(comms: readonly string[]) {
    // std::set<std::string> order: by bytes
    this.ordered = [...new Set(comms)].sort((a, b) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
  }

  /** Called before each capture opens: the error line, if a comm is refused. */
  open(): string | undefined {
    for (const c of this.ordered) {
      if (this.held.size >= MAX_SUPPRESSED_COMMS) {
        return `Could not add ${c} to the set of suppressed comms--did you specify more than ${MAX_SUPPRESSED_COMMS} values?`;
      }
      this.held.add(c);
    }
    return undefined;
  }
}
