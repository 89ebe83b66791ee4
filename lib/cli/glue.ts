// Binds the CLI's flags to the formatter, the filter compiler and the field
// catalog.

import { EvalContext } from '../fields/types';
import { compileFormat, CompiledFormat, COLOR_RESET, FormatError } from '../format/formatter';
import { setParamFormat, resetParamState } from '../format/params';
import { BufEnc } from '../format/text';
import { TimeMode } from '../format/time';
import { compileFilter, FilterError } from '../filter';
import { renderFieldList } from '../fields/registry';
import { CliOptions } from './args';

export class GlueError extends Error {
  /** Print the message as it is, without scry's prefix (sysdig's own wording). */
  constructor(message: string, readonly bare = false) { super(message); }
}

export interface Formatter {
  render(ctx: EvalContext): string | undefined;
  finish?(): string | undefined;
}

export interface Matcher { match(ctx: EvalContext): boolean }

/** Applies -A/-x/-X/-b/-j to how parameters print. */
export function configureRendering(opts: CliOptions): void {
  resetParamState();
  const enc = opts.base64 ? BufEnc.BASE64 : opts.hexAscii ? BufEnc.HEXASCII : opts.hex ? BufEnc.HEX : opts.ascii ? BufEnc.EOLS : BufEnc.DOTS;
  setParamFormat({ enc, json: opts.json, maxLen: opts.verbose ? 0 : 80 });
}

export function buildFormatter(format: string, opts: CliOptions): Formatter {
  let f: CompiledFormat;
  try {
    f = compileFormat(format, { json: opts.json, timeMode: (opts.timeType ?? 'h') as TimeMode });
  } catch (e) {
    // sysdig prints the format error alone (an empty message: nothing at all).
    throw new GlueError((e as Error).message, true);
  }
  return {
    render(ctx) {
      try {
        return f.render(ctx);
      } catch (e) {
        if (e instanceof FormatError) throw new GlueError(e.message);
        throw e;
      }
    },
    finish() { return f.usesColor ? COLOR_RESET : undefined; },
  };
}

export function buildFilter(text: string): Matcher {
  try {
    return compileFilter(text);
  } catch (e) {
    if (e instanceof FilterError) throw new GlueError(e.message, true);
    throw e;
  }
}

export function listFields(verbose: boolean): string {
  return renderFieldList(verbose);
}
