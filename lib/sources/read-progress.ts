// How much of a capture file has been read when an event is delivered, as
// sysdig reports it (-P, -r with -w, and a chisel's sysdig.get_read_progress).

import type { ScapEvent } from '../event/event';
import { fileSize, isGzipFile, streamSize } from './input';
import { optionalNative } from '../native/addon';

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
