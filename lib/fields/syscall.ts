// syscall.type: the system call name, only for events that are system calls.
// sysdig lists it inside the "evt (Syscall events only)" class.

import { EF, PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import { syscallName } from '../schema/syscalls';
import { simple } from './def';

export const SYSCALL_TYPE = simple('syscall.type', PT.CHARBUF, PF.NA,
  'for system call events, the name of the call (such as \'open\'); absent for other events (scheduler switches, internal events). Prefer it to evt.type when the value must be a real system call.',
  (c) => {
    const ev = c.ev;
    // sysdig tests the event flags against the internal-category bit, which is the skip-parse-reset flag.
    if (ev.type === E.SCHEDSWITCH_6_E || (ev.info.flags & EF.SKIPPARSERESET) !== 0) return undefined;
    if (ev.type === E.GENERIC_E || ev.type === E.GENERIC_X) {
      if (ev.nparams === 0) return undefined;
      return syscallName(ev.u(0)) ?? '<unknown>';
    }
    return ev.info.name;
  });
