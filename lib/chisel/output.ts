// Byte-exact buffered output for chisels: Lua strings are bytes, printed
// as they are (no UTF-8 round trip). A closed pipe ends output quietly.

import { writeAllSync } from '../util/fdwrite';
import type { ByteSink } from './lua';

const LIMIT = 1 << 16;

export class ByteOutput implements ByteSink {
  private chunks: Uint8Array[] = [];
  private size = 0;
  closed = false;

  constructor(private readonly fd: number, private readonly capture?: Uint8Array[]) {}

  write(b: Uint8Array): void {
    if (this.closed || b.length === 0) return;
    this.chunks.push(b);
    this.size += b.length;
    if (this.size > LIMIT) this.flush();
  }

  text(s: string): void {
    this.write(Buffer.from(s, 'utf8'));
  }

  flush(): void {
    if (this.size === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    if (this.closed) return;
    if (this.capture) { this.capture.push(Uint8Array.from(data)); return; }
    if (!writeAllSync(this.fd, data)) this.closed = true;
  }
}
