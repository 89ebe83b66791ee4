// The decoding worker of a ScryReader: one thread, jobs answered in order.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DecodeJob, DecodedChunk } from './decode';

const SCRIPT = path.join(__dirname, 'decode-worker.js');

/** Workers need the compiled script (not there when running the TypeScript sources) and a second cpu. */
export function workersAvailable(): boolean {
  return (os.availableParallelism?.() ?? os.cpus().length) > 1 && fs.existsSync(SCRIPT) && __filename.endsWith('.js');
}

export class DecodeWorker {
  private next = 0;
  private waiting = new Map<number, { resolve: (r: DecodedChunk) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  private constructor(private readonly w: Worker) {
    w.on('message', (m: { id: number; r: DecodedChunk }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      p.resolve(m.r);
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => { if (code !== 0) this.fail(new Error(`decoding worker exited with ${code}`)); });
  }

  static start(): DecodeWorker {
    return new DecodeWorker(new Worker(SCRIPT));
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  decode(job: DecodeJob): Promise<DecodedChunk> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    // the frames are views of a buffer read for this chunk alone: copy them out to transfer
    const a = job.a ? new Uint8Array(job.a) : null;
    const b = job.b ? new Uint8Array(job.b) : null;
    const transfer: ArrayBuffer[] = [];
    if (a) transfer.push(a.buffer as ArrayBuffer);
    if (b) transfer.push(b.buffer as ArrayBuffer);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.w.postMessage({ id, job: { a, eventsA: job.eventsA, b } }, transfer);
    });
  }

  stop(): void {
    this.failed = new Error('stopped');
    void this.w.terminate();
  }
}
