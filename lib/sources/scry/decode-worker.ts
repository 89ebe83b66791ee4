// Worker thread that decodes chunks for a ScryReader, so decompressing and
// rebuilding the next chunk overlaps handing out the current one.

import { parentPort } from 'worker_threads';
import { ChunkDecoder, DecodeJob } from './decode';

const dec = new ChunkDecoder();

parentPort?.on('message', (m: { id: number; job: DecodeJob }) => {
  const r = dec.decode(m.job);
  const transfer: ArrayBuffer[] = [];
  for (const e of [r.evA, r.evB]) {
    if (!e) continue;
    for (const v of [e.buf, e.off, e.cpu, e.flags] as ArrayBufferView[]) {
      // only buffers of their own (not Node's shared pool) can be handed over
      const b = v.buffer;
      if (b instanceof ArrayBuffer && b.byteLength === v.byteLength && !transfer.includes(b)) transfer.push(b);
    }
  }
  parentPort!.postMessage({ id: m.id, r }, transfer);
});
