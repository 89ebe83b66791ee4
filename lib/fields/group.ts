// group.* fields: the group the event's thread runs as.

import { PF, PT } from '../schema/types';
import type { EvalContext } from './types';
import { FieldClassX, simple } from './def';
import type { ThreadX } from './ext';

/**
 * group.gid: sysdig declares it 64-bit but reads it from a 32-bit slot, so
 * the next 32 bits of its thread record (the low half of the thread's child
 * count) become the high half of the value. Reproduced for identical output.
 */
function gid(c: EvalContext): number | undefined {
  const t = c.state.thread as ThreadX | undefined;
  if (!t) return undefined;
  const hi = (t.nchilds ?? 0) >>> 0;
  return (t.gid >>> 0) + hi * 4294967296;
}

export const GROUP: FieldClassX = {
  name: 'group',
  desc: 'The group the event\'s thread runs as.',
  fields: [
    simple('group.gid', PT.UINT64, PF.ID, 'numeric group id.', gid),
    simple('group.name', PT.CHARBUF, PF.NA, 'name of the group.', (c) => {
      const t = c.state.thread;
      if (!t || (t.gid >>> 0) === 0xffffffff) return undefined;
      return c.state.groups.get(t.gid >>> 0)?.name;
    }),
  ],
};
