// -n and -M over a run's events, as sysdig counts them: -n events that get
// through, and -M seconds from the first of them. Replaying and converting
// share it; reading stops at the first event past either.

import type { ScapEvent } from '../event/event';
import type { ProgressLine } from './progress';

export class RunLimits {
  /** Events that got through so far. */
  count = 0;
  private firstSec = -1;
  private firstNsec = 0;
  private readonly maxNs: number;

  /** maxEvents: -n (undefined: none); seconds: -M; progress learns where reading stopped. */
  constructor(private readonly maxEvents: number | undefined, seconds: number | undefined,
    private readonly progress?: ProgressLine) {
    this.maxNs = seconds !== undefined ? seconds * 1e9 : -1;
  }

  /** -n events have got through: nothing more is read. */
  get full(): boolean {
    return this.maxEvents !== undefined && this.count >= this.maxEvents;
  }

  /** An event that gets through: counted, or false when it is past -M (reading stops there). */
  admit(ev: ScapEvent): boolean {
    if (this.firstSec < 0) { this.firstSec = ev.sec; this.firstNsec = ev.nsec; }
    else if (this.maxNs >= 0 && (ev.sec - this.firstSec) * 1e9 + (ev.nsec - this.firstNsec) >= this.maxNs) {
      this.progress?.stopAt(ev);
      return false;
    }
    // sysdig stops right after the last event -n allows, before reading on
    if (++this.count === this.maxEvents) this.progress?.stopAt(ev);
    return true;
  }
}
