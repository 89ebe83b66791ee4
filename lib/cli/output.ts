// Buffered standard output. Lines are gathered as one string and encoded
// into a reused buffer about every 32K characters: one UTF-8 encoding call
// per block costs half as much as one per line (each call crosses into C++),
// and a block's worth of strings is all that stays alive between writes.
// A closed pipe (scry ... | head) ends the program quietly, as sysdig does.

import { writeAllSync } from '../util/fdwrite';

/** Characters gathered before they are encoded and written. */
const BLOCK = 1 << 15;

export class Output {
  /** Room for a block in UTF-8 (at most 3 bytes per UTF-16 unit). */
  private buf = Buffer.allocUnsafe(BLOCK * 3 + 1024);
  private pending = '';
  closed = false;

  /** Lines go out as they are made (--unbuffered) instead of in large blocks. */
  unbuffered = false;

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.pending += s;
    this.pending += '\n';
    if (this.unbuffered || this.pending.length >= BLOCK) this.flush();
  }

  write(s: string): void {
    this.pending += s;
    if (this.unbuffered || this.pending.length >= BLOCK) this.flush();
  }

  flush(): void {
    const s = this.pending;
    if (s.length === 0) return;
    this.pending = '';
    if (this.closed) return;
    if (s.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafe(s.length * 3);
    const n = this.buf.write(s, 0);
    if (!writeAllSync(this.fd, this.buf.subarray(0, n))) this.closed = true;
  }
}
