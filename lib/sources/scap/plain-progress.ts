// sysdig's -P progress on an uncompressed capture, computed ahead of a replay
// (native/src/gz_progress.cc does the same for gzip files).
//
// sysdig reads every capture through zlib's gzread, which passes a plain
// file through in "copy" mode, and reports the file position. gzread serves
// a read from its 16 KiB output buffer; with the buffer empty it refills it
// with the next 16 KiB of the file, except for a read of 16 KiB or more,
// which goes straight from the file into the caller's buffer. A seek goes
// straight to its target and empties the buffer: scap seeks back to the
// first event block once it has met its header, and again to the next event
// block after any other block found among the events. Each event block is
// then read as its 8-byte header and the rest.

import * as fs from 'fs';
import { isEventBlock } from './blocks';

/** gzread's output buffer (twice its default buffer size of 8 KiB). */
const OUT_SIZE = 16384;
const WINDOW = 1 << 20;

/**
 * Pairs (stream offset where an event block ends, file position once sysdig
 * has read it), a pair each time the position changes, for the blocks
 * before any damage. Empty when the file cannot be read.
 */
export function plainProgress(file: string): Float64Array {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return new Float64Array(0);
  }
  try {
    return simulate(fd, fs.fstatSync(fd).size);
  } catch {
    return new Float64Array(0);
  } finally {
    fs.closeSync(fd);
  }
}

function simulate(fd: number, size: number): Float64Array {
  // block headers, read through a window of the file
  const win = Buffer.alloc(WINDOW);
  let winStart = 0, winLen = 0;
  let type = 0, len = 0;
  /** Reads the header of a whole block at `at` into type and len; false if there is none. */
  const header = (at: number): boolean => {
    if (at + 8 > size) return false;
    if (at < winStart || at + 8 > winStart + winLen) {
      winStart = at;
      winLen = fs.readSync(fd, win, 0, WINDOW, at);
      if (winLen < 8) return false;
    }
    type = win.readUInt32LE(at - winStart);
    len = win.readUInt32LE(at - winStart + 4);
    return len >= 12 && at + len <= size;
  };
  /** The next event block at or after `at`, walking block lengths; -1 if none. */
  const nextEventBlock = (at: number): number => {
    for (; header(at); at += len) if (isEventBlock(type)) return at;
    return -1;
  };

  const pairs: number[] = [];
  // cur: where the reader is in the file; end: the file position (gzread's
  // output buffer holds [cur, end))
  let cur = 0, end = 0;
  const read = (n: number): void => {
    while (n > 0) {
      if (end > cur) {
        const k = Math.min(end - cur, n);
        cur += k; n -= k;
      } else if (cur >= size) {
        return;
      } else if (n < OUT_SIZE) {
        end = Math.min(size, cur + OUT_SIZE);
      } else {
        cur = end = Math.min(size, cur + n);
        return;
      }
    }
  };
  let at = nextEventBlock(0);
  let last = -1;
  while (at >= 0) {
    cur = end = at; // the seek back to the event block
    at = -1;
    while (header(cur)) {
      const blockEnd = cur + len;
      read(8);
      if (!isEventBlock(type)) {
        at = nextEventBlock(blockEnd);
        break;
      }
      read(len - 8);
      if (end !== last) { pairs.push(blockEnd, end); last = end; }
    }
  }
  return Float64Array.from(pairs);
}
