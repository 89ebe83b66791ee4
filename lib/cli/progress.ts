import type { ScapEvent } from '../event/event';

// -P (and -r with -w): the percent of the capture file read, on stderr, drawn
// the way sysdig draws it: each new value overwrites the last (a carriage
// return, blanks over the old text, a carriage return, the value), a value
// shows only when it grew by more than 0.1, sysdig looks at every 10000th
// event, and the end of the capture draws 100.00 and a newline.

export class ProgressLine {
  private line = '';
  private last = 0;
  private stopped: number | undefined;

  /**
   * err writes to stderr; percent(ev) is how much of the file has been read
   * when ev is delivered.
   */
  constructor(private readonly err: (s: string) => void, private readonly percent: (ev: ScapEvent) => number) {}

  /** After an event. */
  event(ev: ScapEvent): void {
    if (ev.num % 10000 === 0) this.draw(this.percent(ev));
  }

  /** Reading stops early (-n, -M): the end shows how much of the file was read by then, as sysdig's does. */
  stopAt(ev: ScapEvent): void {
    this.stopped = this.percent(ev);
  }

  /** Reading stopped at damage, with this much of the file read (as sysdig's reader counts it). */
  stopAtPercent(pct: number): void {
    this.stopped = pct;
  }

  /** At the end of the capture (read whole, unless stopAt said otherwise). */
  end(): void {
    this.clear();
    this.draw(this.stopped ?? 100);
    this.stopped = undefined;
    this.err('\n');
  }

  /**
   * Damage: sysdig draws the end of the capture, reports the error, then
   * draws the end once more (clearing and writing 100.00 again) as it closes.
   */
  endAround(report: () => void): void {
    this.end();
    report();
    this.endWithoutCapture();
  }

  /**
   * The end sysdig draws when a run fails before or while reading (its
   * handle_end_of_file without a capture): the last value cleared, then
   * 100.00 whatever was read.
   */
  endWithoutCapture(): void {
    this.clear();
    this.err('\r100.00\n');
  }

  /**
   * A run that fails while it reads (its output failed: a full disk): the
   * value drawn so far blanked, the report on a line of its own, then the
   * end sysdig draws when a run fails (endWithoutCapture).
   */
  failAround(report: () => void): void {
    if (this.line !== '') { this.clear(); this.err('\r'); }
    report();
    this.endWithoutCapture();
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
