// user.* fields: the user the event's thread runs as, from the capture's user list.

import { PF, PT } from '../schema/types';
import type { UserRecord } from '../event/records';
import type { StateView } from '../state/view';
import type { EvalContext } from './types';
import { FieldClassX, simple } from './def';

function userOf(state: StateView, uid: number): UserRecord | undefined {
  if (uid === 0xffffffff || uid === -1) return undefined;
  return state.users.get(uid);
}

function user(c: EvalContext): UserRecord | undefined {
  const t = c.state.thread;
  return t ? userOf(c.state, t.uid) : undefined;
}

/** loginuid as sysdig stores it (a signed 32-bit value). */
function loginuid(v: number): number {
  return v | 0;
}

export const USER: FieldClassX = {
  name: 'user',
  desc: 'The user the event\'s thread runs as.',
  fields: [
    simple('user.uid', PT.UINT32, PF.ID, 'numeric user id.', (c) => c.state.thread?.uid),
    simple('user.name', PT.CHARBUF, PF.NA, 'login name of the user.', (c) => user(c)?.name),
    simple('user.homedir', PT.CHARBUF, PF.NA, 'home directory of the user.', (c) => user(c)?.homedir),
    simple('user.shell', PT.CHARBUF, PF.NA, 'login shell of the user.', (c) => user(c)?.shell),
    simple('user.loginuid', PT.INT32, PF.ID, 'audit user id (auid) the thread carries.',
      (c) => { const t = c.state.thread; return t ? loginuid(t.loginuid) : undefined; }),
    simple('user.loginname', PT.CHARBUF, PF.NA, 'login name of the audit user id (auid).',
      (c) => { const t = c.state.thread; return t ? userOf(c.state, loginuid(t.loginuid) >>> 0)?.name : undefined; }),
  ],
};
