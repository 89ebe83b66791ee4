// How much of a capture file has been read when an event is delivered, as
// sysdig reports it (-P, -r with -w, and a chisel's sysdig.get_read_progress).

import type { ScapEvent } from '../event/event';
import { fileSize, isGzipFile, streamSize } from './input';
import { optionalNative } from '../native/addon';
import { plainProgress } from './scap/plain-progress';

/**
 * How much of a capture file a reader has read when it delivers an event, in
 * percent: for a .scap, what sysdig's reader would report there (see
 * fileOffsets), else how far the reader has read.
 */
export function readPercent(file: string, reader: () => unknown): (ev: ScapEvent) => number {
  const size = fileSize(file);
  let stream = -1;
  let offsets: FileOffsets | null | undefined;
  return (ev) => {
    const r = reader() as {
      where?: { pos: number };
      percentAt?: (ev: ScapEvent, n: number) => number | undefined;
      blockEndOf?: (ev: ScapEvent) => number | undefined;
    } | undefined;
    if (r?.percentAt) {
      // (a .scap reader says where its blocks end; a .scry one has its own percentAt)
      if (offsets === undefined) offsets = r.blockEndOf ? fileOffsets(file) : null;
      const end = offsets ? r.blockEndOf?.(ev) : undefined;
      if (offsets && end !== undefined && size > 0) {
        const off = offsets.at(end);
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
 * sysdig's reader position in a capture file once it has read the event
 * block ending at a given offset of the (uncompressed) stream: for a gzip
 * file the compressed bytes zlib has taken in, computed by the addon
 * replaying zlib's buffering over the file (native/src/gz_progress.cc; null
 * without the addon); for a plain file its position under gzread's copy mode
 * (scap/plain-progress.ts).
 */
interface FileOffsets { at(blockEnd: number): number | undefined }

function fileOffsets(file: string): FileOffsets | null {
  let t: Float64Array | string;
  if (isGzipFile(file)) {
    const fn = optionalNative()?.gzipProgress;
    if (!fn) return null;
    t = fn(file);
  } else t = plainProgress(file);
  if (typeof t === 'string' || t.length === 0) return null;
  const pairs = t, n = t.length / 2;
  return {
    at(end: number): number | undefined {
      // the last pair at or before end (pairs are in stream order)
      let lo = 0, hi = n - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (pairs[mid * 2] <= end) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return found < 0 ? undefined : pairs[found * 2 + 1];
    },
  };
}
