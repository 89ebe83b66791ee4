// Byte-exact buffered output for chisels: Lua strings are bytes, printed
// as they are (no UTF-8 round trip). Bytes are copied into one reused
// buffer as they come (see lib/cli/output.ts). A closed pipe ends output quietly.

import { writeAllSync } from '../util/fdwrite';
import type { ByteSink } from './lua';

const LIMIT = 1 << 16;

export class ByteOutput implements ByteSink {
  private readonly buf = Buffer.allocUnsafe(LIMIT);
  private len = 0;
  closed = false;

  constructor(private readonly fd: number, private readonly capture?: Uint8Array[]) {}

  write(b: Uint8Array): void {
    if (this.closed || b.length === 0) return;
    if (this.len + b.length > LIMIT) {
      this.flush();
      if (b.length > LIMIT) { this.emit(b); return; }
    }
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unicode text (names, messages), written as UTF-8. */
  text(s: string): void {
    if (this.closed || s.length === 0) return;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.len + s.length * 3 > LIMIT) {
      this.flush();
      if (s.length * 3 > LIMIT) { this.emit(Buffer.from(s, 'utf8')); return; }
    }
    this.len += this.buf.write(s, this.len);
  }

  /** A byte string (lib/util/bytes.ts): one byte per char. */
  latin1(s: string): void {
    if (this.closed || s.length === 0) return;
    if (this.len + s.length > LIMIT) {
      this.flush();
      if (s.length > LIMIT) { this.emit(Buffer.from(s, 'latin1')); return; }
    }
    this.len += this.buf.write(s, this.len, 'latin1');
  }

  flush(): void {
    if (this.len === 0) return;
    const data = this.buf.subarray(0, this.len);
    this.len = 0;
    this.emit(data);
  }

  private emit(data: Uint8Array): void {
    if (this.closed) return;
    if (this.capture) { this.capture.push(Uint8Array.from(data)); return; }
    if (!writeAllSync(this.fd, data)) this.closed = true;
  }
}
