import type { ScapEvent } from '../event/event';
import { fileSize, isGzipFile, streamSize } from '../sources/input';
import { optionalNative } from '../native/addon';

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
 * percent: for a .scap, what sysdig's reader would report there (see
 * gzipOffsets for gzip files; ScapReader.percentAt for plain ones), else how
 * far the reader has read.
 */
export function readPercent(file: string, reader: () => unknown): (ev: ScapEvent) => number {
  const size = fileSize(file);
  let stream = -1;
  let gz: GzipOffsets | null | undefined;
  return (ev) => {
    const r = reader() as {
      where?: { pos: number };
      percentAt?: (ev: ScapEvent, n: number) => number | undefined;
      blockEndOf?: (ev: ScapEvent) => number | undefined;
    } | undefined;
    if (r?.percentAt) {
      if (gz === undefined) gz = isGzipFile(file) ? gzipOffsets(file) : null;
      const end = gz ? r.blockEndOf?.(ev) : undefined;
      if (gz && end !== undefined && size > 0) {
        const off = gz.at(end);
        if (off !== undefined) return (off * 100) / size;
      }
      if (stream < 0) stream = streamSize(file, size);
      const p = r.percentAt(ev, stream);
      if (p !== undefined) return p;
    }
    const pos = r?.where?.pos;
    return size && pos !== undefined ? (pos * 100) / size : 0;
  };
}

/**
 * sysdig's reader position in a gzip file (the compressed bytes zlib has
 * taken in) once it has read the event block ending at a given offset of the
 * uncompressed stream. Computed by the addon replaying zlib's buffering over
 * the file (native/src/gz_progress.cc); null without the addon.
 */
interface GzipOffsets { at(blockEnd: number): number | undefined }

function gzipOffsets(file: string): GzipOffsets | null {
  const fn = optionalNative()?.gzipProgress;
  if (!fn) return null;
  const t = fn(file);
  if (typeof t === 'string' || t.length === 0) return null;
  const n = t.length / 2;
  return {
    at(end: number): number | undefined {
      // the last pair at or before end (pairs are in stream order)
      let lo = 0, hi = n - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (t[mid * 2] <= end) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return found < 0 ? undefined : t[found * 2 + 1];
    },
  };
}
