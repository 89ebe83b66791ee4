// Interface lists that sysdig's own -w wrote with a wrong length.
//
// sysdig 0.29.3 (libscap of its time), rewriting a capture whose interface
// list is of the first layout (block 0x205: entries without a length or a
// link speed), writes the list in the current layout (0x219) but sizes the
// block from the old one: the header and trailer declare fewer bytes than the
// entries take, so the file cannot be read back, by sysdig either. The
// entries themselves are whole and carry their own lengths, so the block's
// real end can be found by walking them.

import * as B from './blocks';
import { u16, u32 } from '../../util/bytes';

/** realIfListLength's answer when the bytes at hand end before it can tell. */
export const NEED_MORE = -2;

/** Interface entry types of the current layout (ipv4, ipv6, and their forms without link speed). */
const MAX_ENTRY_TYPE = 4;
/** An entry is its fixed part (at most 64 bytes) and a name: far below this. */
const MAX_ENTRY_LEN = 4096;

/**
 * The real length of the interface list block (type 0x219) at data[p], whose
 * header says `declared` but whose trailer does not: the end of its entries
 * (padded to 4 bytes), where sysdig's writer put the declared length as the
 * trailer, followed by the header of a known block. -1 when the block is not
 * such a list; NEED_MORE when data ends first.
 */
export function realIfListLength(data: Buffer, p: number, declared: number): number {
  const n = data.length, start = p + 8;
  let q = start;
  for (;;) {
    const end = start + ((q - start + 3) & ~3);
    if (q > start && end + 4 <= n && u32(data, end) === declared) {
      if (end + 12 > n) return NEED_MORE;
      if (B.KNOWN_BLOCKS.has(u32(data, end + 4)) && u32(data, end + 8) >= 12) return end + 4 - p;
    }
    if (q + 8 > n) return NEED_MORE;
    const len = u32(data, q), type = u16(data, q + 4);
    if (type < 1 || type > MAX_ENTRY_TYPE || len < 4 || len > MAX_ENTRY_LEN) return -1;
    q += 4 + len;
  }
}
