// Buffered standard output of byte strings (lib/util/bytes.ts: one char per
// byte, as event text is kept), so the bytes of a capture are printed as
// they are. Lines are gathered as one string and copied into a reused buffer
// about every 32K characters: one encoding call per block costs half as much
// as one per line (each call crosses into C++), and a block's worth of
// strings is all that stays alive between writes. Unicode text (file names,
// messages) goes through textToBytes first.
// A closed pipe (scry ... | head) ends the program quietly, as sysdig does.

import { writeAllSync } from '../util/fdwrite';

/** Characters gathered before they are encoded and written. */
const BLOCK = 1 << 15;

export class Output {
  private buf = Buffer.allocUnsafe(BLOCK + 1024);
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
    if (s.length > this.buf.length) this.buf = Buffer.allocUnsafe(s.length);
    const n = this.buf.write(s, 0, 'latin1');
    if (!writeAllSync(this.fd, this.buf.subarray(0, n))) this.closed = true;
  }
}
