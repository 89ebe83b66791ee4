// --check FILE: a capture's chunks, events, time range, drops and damage.

import { checkCapture, formatCheckReport } from '../sources/scry/check';
import { CaptureError } from '../sources/scap/reader';
import { Output } from './output';
import { textToBytes } from '../util/bytes';
import { captureErrorLine } from './errors';

export async function checkCommand(file: string, out: Output, err: (s: string) => void): Promise<number> {
  try {
    const r = await checkCapture(file);
    out.write(textToBytes(formatCheckReport(r)));
    out.flush();
    return r.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof CaptureError) { err(captureErrorLine(e)); return 1; }
    throw e;
  }
}
