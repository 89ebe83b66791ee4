// Buffered standard output: lines are gathered and written in large blocks.
// A closed pipe (scry ... | head) ends the program quietly, as sysdig does.

import { writeAllSync } from '../util/fdwrite';

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
    if (!writeAllSync(this.fd, data)) this.closed = true;
  }
}
