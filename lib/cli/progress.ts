import type { ScapEvent } from '../event/event';
import { fileSize, streamSize } from '../sources/input';

// -P (and -r with -w): the percent of the capture file read, on stderr, drawn
// the way sysdig draws it: each new value overwrites the last (a carriage
// return, blanks over the old text, a carriage return, the value), a value
// shows only when it grew by more than 0.1, sysdig looks at every 10000th
// event, and the end of the capture draws 100.00 and a newline.

export class ProgressLine {
  private line = '';
  private last = 0;

  /**
   * err writes to stderr; percent(ev) is how much of the file has been read
   * when ev is delivered.
   */
  constructor(private readonly err: (s: string) => void, private readonly percent: (ev: ScapEvent) => number) {}

  /** After an event. */
  event(ev: ScapEvent): void {
    if (ev.num % 10000 === 0) this.draw(this.percent(ev));
  }

  /** At the end of the capture, read whole. */
  end(): void {
    this.clear();
    this.draw(100);
    this.err('\n');
  }

  private clear(): void {
    this.err('\r' + ' '.repeat(this.line.length));
  }

  private draw(pct: number): void {
    if (!(pct - this.last > 0.1)) return;
    this.clear();
    this.line = pct.toFixed(2);
    this.err('\r' + this.line);
    this.last = pct;
  }
}

/**
 * How much of a capture file a reader has read when it delivers an event, in
 * percent: where the event's block ends (.scap; of the uncompressed stream
 * for gzip files), else how far the reader has read.
 */
export function readPercent(file: string, reader: () => unknown): (ev: ScapEvent) => number {
  const size = fileSize(file);
  let stream = -1;
  return (ev) => {
    const r = reader() as { where?: { pos: number }; percentAt?: (ev: ScapEvent, n: number) => number | undefined } | undefined;
    if (r?.percentAt) {
      if (stream < 0) stream = streamSize(file, size);
      const p = r.percentAt(ev, stream);
      if (p !== undefined) return p;
    }
    const pos = r?.where?.pos;
    return size && pos !== undefined ? (pos * 100) / size : 0;
  };
}
