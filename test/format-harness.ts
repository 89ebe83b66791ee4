// Test helper: replays a fixture capture through the state engine and a
// compiled -p format, the way `sysdig -r FILE -p FORMAT` does (internal
// events hidden), returning the lines.

import * as path from 'path';
import { ScapEvent } from '../lib/event/event';
import { EvalContext } from '../lib/fields/types';
import { ScapReader } from '../lib/sources/scap/reader';
import { StateEngine } from '../lib/state/engine';
import { EC } from '../lib/schema/types';
import { EvaluationAbort } from '../lib/fields/abort';
import { compileFormat, DEFAULT_FORMAT, FormatOptions } from '../lib/format/formatter';
import { resetParamState, setParamFormat, ParamFormat } from '../lib/format/params';

export const FIX = path.join(__dirname, '..', 'fixtures');

export interface RunOptions extends FormatOptions {
  format?: string;
  params?: Partial<ParamFormat>;
  /** Stop after this many events (counted like sysdig's -n). */
  limit?: number;
  /** Called with each visible event before formatting (return false to skip it). */
  accept?: (ctx: EvalContext) => boolean;
}

export async function replayLines(capture: string, o: RunOptions = {}): Promise<string[]> {
  const r = await replay(capture, o);
  if (r.error) throw r.error;
  return r.lines;
}

/** Like replayLines, but a format error (at compile time or on an event) or an abort is returned with the lines printed before it. */
export async function replay(capture: string, o: RunOptions = {}): Promise<{ lines: string[]; error?: Error }> {
  const state = new StateEngine();
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  resetParamState();
  setParamFormat({ enc: 0, json: false, maxLen: 80, ...o.params });
  const lines: string[] = [];
  let error: Error | undefined;
  let fmt: ReturnType<typeof compileFormat>;
  try {
    fmt = compileFormat(o.format ?? DEFAULT_FORMAT, o);
  } catch (e) {
    return { lines, error: e as Error };
  }
  let counted = 0;
  const reader = new ScapReader(path.isAbsolute(capture) ? capture : path.join(FIX, capture), state.sink(), (ev) => {
    ctx.ev = ev;
    if (!state.process(ev)) return;
    if (o.limit !== undefined && counted === o.limit) return false;
    counted++;
    if (ev.info.category & EC.INTERNAL) return;
    if (o.accept && !o.accept(ctx)) return;
    let line: string | undefined;
    try {
      line = fmt.render(ctx);
    } catch (e) {
      error = e as Error;
      return false;
    }
    if (line !== undefined) lines.push(line);
  });
  try {
    await reader.read();
  } catch (e) {
    // the run ends on an event sysdig cannot take (the lines before it stand)
    if (!(e instanceof EvaluationAbort)) throw e;
    error = e;
  } finally {
    setParamFormat({ enc: 0, json: false, maxLen: 80 });
  }
  return { lines, error };
}
