// Buffered standard output: lines are gathered and written in large blocks.
// A closed pipe (scry ... | head) ends the program quietly, as sysdig does.

import * as fs from 'fs';

const LIMIT = 1 << 16;

export class Output {
  private buf = '';
  closed = false;

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.buf += s + '\n';
    if (this.buf.length > LIMIT) this.flush();
  }

  write(s: string): void {
    this.buf += s;
    if (this.buf.length > LIMIT) this.flush();
  }

  flush(): void {
    if (!this.buf || this.closed) { this.buf = ''; return; }
    const data = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < data.length) {
      try {
        off += fs.writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EAGAIN') continue;
        if (err.code === 'EPIPE') { this.closed = true; return; }
        throw e;
      }
    }
  }
}
