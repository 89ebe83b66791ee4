// The interface every capture writer implements, and the state records they store.

import { ScapEvent } from '../event/event';
import { CaptureSink } from '../event/records';
import { StateRecord } from '../sources/scry/records';

export type { StateRecord };

export interface WriteStats {
  /** Events written. */
  events: number;
  /** Bytes in the file. */
  bytes: number;
  /** Chunks (.scry) or blocks (.scap) written. */
  chunks: number;
}

export interface CaptureWriter {
  readonly path: string;
  /** Stores a state record (machine info, thread, fd, interfaces, users, drops, opaque block). */
  writeState(rec: StateRecord): void;
  /** Stores one event record as it is (its bytes, cpu and block flags). */
  writeEvent(ev: ScapEvent): void;
  /** A sink that stores what a reader hands it: `new ScapReader(f, w.sink, (e) => w.writeEvent(e))`. */
  readonly sink: CaptureSink;
  /**
   * Bytes of the file so far, as -C measures them: for a plain .scap what
   * sysdig's zlib-buffered writer would have put in the file by now, for a
   * gzip .scap the compressed bytes written, for .scry the bytes written.
   */
  readonly written: number;
  /** Makes what was written so far durable in the file (a .scry writer ends its chunk). */
  flush(): void;
  /** Flushes, writes the trailer (the chunk index for .scry) and closes the file. */
  close(): Promise<WriteStats>;
}

export interface WriterOptions {
  /** Forces a format instead of choosing by extension (.scry: scry, anything else: scap). */
  format?: 'scap' | 'scry';
  /** .scap only: gzip the file (sysdig's -z). */
  gzip?: boolean;
  /** .scap only: bytes gathered before they go to the file (each a gzip member with gzip; default 1 MiB). */
  flushBytes?: number;
  /**
   * .scap only: write drop counters in scry's private block 0x5c500001 at the end
   * (default false: sysdig 0.29.3 prints every event of such a file but then
   * exits with status 1, "invalid block type").
   */
  writeDrops?: boolean;
  /** .scry only: zstd level (1..19, default 6). */
  level?: number;
  /** .scry only: a chunk ends after this many events (default 32768)... */
  chunkEvents?: number;
  /** ...or this many bytes of event records (default 4 MiB), whichever comes first. */
  chunkBytes?: number;
}

/** A CaptureSink that turns what it receives into state records for `write`. */
export function sinkFor(write: (r: StateRecord) => void): CaptureSink {
  return {
    machineInfo: (mi) => write({ kind: 'machine', mi }),
    thread: (thread) => write({ kind: 'thread', thread }),
    fd: (tid, fd) => write({ kind: 'fd', tid, fd }),
    interfaces: (list) => write({ kind: 'interfaces', list }),
    users: (users, groups) => write({ kind: 'users', users, groups }),
  };
}
