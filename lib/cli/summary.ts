// sysdig's -S table: event counts per event type and direction, generic
// syscalls counted per syscall, sorted with std::sort's order.

import { ScapEvent } from '../event/event';
import { EVENTS, PPM_EVENT_MAX_0293 } from '../schema/events';
import { PPM_SC_MAX_0293, syscallName } from '../schema/syscalls';
import { stdSort } from '../util/stdsort';

interface Row { id: number; generic: boolean; n: number }

export class Summary {
  private readonly rows: Row[] = [];

  constructor() {
    for (let j = 0; j < PPM_EVENT_MAX_0293; j++) this.rows.push({ id: j, generic: false, n: 0 });
    for (let j = 0; j < PPM_SC_MAX_0293 * 2; j++) this.rows.push({ id: j, generic: true, n: 0 });
  }

  count(ev: ScapEvent): void {
    const t = ev.type;
    if ((t === 0 || t === 1) && ev.nparams > 0) {
      const id = ev.u(0) & 0xffff;
      const i = PPM_EVENT_MAX_0293 + id * 2 + t;
      if (i < this.rows.length) this.rows[i].n++;
      return;
    }
    if (t < PPM_EVENT_MAX_0293) this.rows[t].n++;
    else this.extra(t);
  }

  // Event ids newer than sysdig 0.29.3 get rows of their own after its table.
  private extra(t: number): void {
    let r = this.rows.find((x) => !x.generic && x.id === t);
    if (!r) { r = { id: t, generic: false, n: 0 }; this.rows.push(r); }
    r.n++;
  }

  render(limit = 100): string {
    let out = '----------------------\n' + 'Event'.padEnd(16, ' ') + '#Calls\n' + '----------------------\n';
    const rows = stdSort(this.rows.slice(), (a, b) => a.n > b.n);
    for (let j = 0; j < limit && j < rows.length; j++) {
      const e = rows[j];
      if (e.n === 0) break;
      const name = (e.generic ? syscallName(e.id >> 1) : EVENTS[e.id]?.name) ?? 'NA';
      out += ((e.id & 1) === 0 ? '> ' : '< ') + (name + ' '.repeat(16)).slice(0, 16) + e.n + '\n';
    }
    return out;
  }
}
