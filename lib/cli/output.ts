// Buffered standard output: text is encoded into one reused buffer as it
// comes and written in large blocks. (Gathering strings instead keeps every
// line alive until the next write, which makes each young-generation GC copy
// them.) A closed pipe (scry ... | head) ends the program quietly, as sysdig does.

import { writeAllSync } from '../util/fdwrite';

const LIMIT = 1 << 16;

export class Output {
  private readonly buf = Buffer.allocUnsafe(LIMIT);
  private len = 0;
  closed = false;

  /** Lines go out as they are made (--unbuffered) instead of in large blocks. */
  unbuffered = false;

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.write(s);
    if (this.len === LIMIT) this.flush();
    this.buf[this.len++] = 10;
    if (this.unbuffered) this.flush();
  }

  write(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.len + s.length * 3 > LIMIT) {
      this.flush();
      if (s.length * 3 > LIMIT) {
        if (!this.closed && !writeAllSync(this.fd, Buffer.from(s, 'utf8'))) this.closed = true;
        return;
      }
    }
    this.len += this.buf.write(s, this.len);
  }

  flush(): void {
    if (this.len === 0 || this.closed) { this.len = 0; return; }
    const data = this.buf.subarray(0, this.len);
    this.len = 0;
    if (!writeAllSync(this.fd, data)) this.closed = true;
  }
}
