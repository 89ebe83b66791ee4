// A stream (pipe, standard input) copied into a temporary file, for readers
// that need to seek: the .scry reader goes to the chunk index at the file's
// end and back. The file is unlinked as soon as it is created, so nothing is
// left behind whatever happens to the process; the returned fd keeps it.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CaptureError } from './scap/reader';
import { closeStream, readSequential, StreamInput } from './input';

const COPY_CHUNK = 1 << 20;

/** Copies the rest of `stream` (after its prefix) into an unlinked temporary file; returns that file's fd (positioned anywhere: read it with positions). */
export function spoolStream(file: string, stream: StreamInput): number {
  const dir = os.tmpdir();
  let fd = -1;
  let copied = 0;
  try {
    for (let attempt = 0; fd < 0; attempt++) {
      const name = path.join(dir, `scry-stream-${process.pid}-${Date.now().toString(36)}-${attempt}`);
      try {
        fd = fs.openSync(name, 'wx+', 0o600);
        fs.unlinkSync(name);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) throw e;
      }
    }
    fs.writeSync(fd, stream.prefix);
    copied = stream.prefix.length;
    const buf = Buffer.allocUnsafe(COPY_CHUNK);
    for (;;) {
      const n = readSequential(stream.fd, buf, 0, buf.length);
      if (n <= 0) break;
      let w = 0;
      while (w < n) w += fs.writeSync(fd, buf, w, n - w);
      copied += n;
    }
    return fd;
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    throw new CaptureError(file, copied, `cannot keep the stream in ${dir} to read it (${(e as Error).message})`);
  } finally {
    closeStream(stream);
  }
}
