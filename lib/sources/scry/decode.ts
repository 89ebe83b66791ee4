// Decoding of a chunk's frames (zstd -> msgpack -> records), shared by the
// reader's own thread and its decoding worker thread.

import { Decompressor } from 'zstd-napi';
import { decodeEvents, DecodedEvents, EventColumns } from './codec';
import { packr } from './records';

export interface DecodeJob {
  /** Frame A bytes (zstd), or null. */
  a: Uint8Array | null;
  /** Rebuild frame A's events (false: state records only). */
  eventsA: boolean;
  /** Frame B bytes (zstd), or null. */
  b: Uint8Array | null;
}

export interface DecodedChunk {
  /** State records (wire form). */
  state: unknown[];
  /** Positions of frame A's events (varint gaps), or null. */
  posA: Buffer | null;
  evA: DecodedEvents | null;
  evB: DecodedEvents | null;
  /** Decoding frame A failed: the message. */
  errorA?: string;
  /** Decoding frame B failed: the message. */
  errorB?: string;
}

export class ChunkDecoder {
  private readonly dec = new Decompressor();

  /** Decodes; `reuse` lets the rebuilt records overwrite earlier ones (same thread only). */
  decode(job: DecodeJob, reuse?: { a?: DecodedEvents; b?: DecodedEvents }): DecodedChunk {
    const out: DecodedChunk = { state: [], posA: null, evA: null, evB: null };
    if (job.a) {
      try {
        const a = packr.unpack(this.dec.decompress(job.a)) as { s?: unknown[]; e?: EventColumns | null; p?: Uint8Array | null };
        out.state = Array.isArray(a.s) ? a.s : [];
        if (job.eventsA && a.e) {
          out.evA = decodeEvents(a.e, reuse?.a);
          out.posA = a.p ? Buffer.from(a.p.buffer, a.p.byteOffset, a.p.byteLength) : null;
        }
      } catch (e) {
        out.errorA = (e as Error).message;
        return out;
      }
    }
    if (job.b) {
      try {
        const b = packr.unpack(this.dec.decompress(job.b)) as { e: EventColumns };
        out.evB = decodeEvents(b.e, reuse?.b);
      } catch (e) {
        out.errorB = (e as Error).message;
      }
    }
    return out;
  }
}
