// A -w output made only once the capture it writes has opened.

import { CaptureSink } from '../event/records';
import { CaptureWriter } from './types';

/**
 * Holds what a reader hands a writer (machine info, threads, fds, tables)
 * until the capture has opened: its first event, or its end without damage.
 * sysdig reads a capture's state blocks before it makes its -w file, so a
 * capture that cannot be opened (damage before the first event, no event at
 * all) leaves no file behind and clobbers none; so here.
 */
export class PendingWriter {
  private held: ((w: CaptureWriter) => void)[] | null = [];
  private w: CaptureWriter | undefined;

  constructor(private readonly make: () => CaptureWriter) {}

  /** The writer, once open. */
  get writer(): CaptureWriter | undefined { return this.w; }

  /** Runs f on the writer now, or when it opens. */
  with(f: (w: CaptureWriter) => void): void {
    if (this.held) this.held.push(f); else f(this.w!);
  }

  /** Makes the writer (the first time) and hands it what was held. Throws what making it throws. */
  open(): CaptureWriter {
    if (this.w === undefined) {
      this.w = this.make();
      const held = this.held!;
      this.held = null;
      for (const f of held) f(this.w);
    }
    return this.w;
  }

  /** A sink that feeds the writer, now or when it opens. */
  readonly sink: CaptureSink = {
    machineInfo: (mi) => this.with((w) => w.sink.machineInfo?.(mi)),
    thread: (t) => this.with((w) => w.sink.thread?.(t)),
    fd: (tid, f) => this.with((w) => w.sink.fd?.(tid, f)),
    interfaces: (l) => this.with((w) => w.sink.interfaces?.(l)),
    users: (u, g) => this.with((w) => w.sink.users?.(u, g)),
  };
}
