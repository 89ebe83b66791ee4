// Binds the CLI's flags to the formatter, the filter compiler and the field
// catalog.

import { EvalContext } from '../fields/types';
import {
  compileFormat, CompiledFormat, DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, formatForPrintArg, FormatError, PLUGIN_FORMAT, PLUGIN_FORMAT_TTY,
} from '../format/formatter';
import { setParamFormat, resetParamState } from '../format/params';
import { BufEnc } from '../format/text';
import { TimeMode } from '../format/time';
import { compileFilter, FilterError } from '../filter';
import { renderFieldList, renderFieldListMarkdown } from '../fields/registry';
import { CliOptions, wantsFilter } from './args';
import { isPrintPreset } from '../format/print-arg';

import { GlueError } from './errors';
import { stdoutIsTTY } from '../util/tty';
export { GlueError };

export interface Formatter {
  render(ctx: EvalContext): string | undefined;
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
        // sysdig prints the reason of an abort while printing alone ("wrong event type 14")
        if (e instanceof FormatError) throw new GlueError(e.message, true);
        throw e;
      }
    },
  };
}

/**
 * The filter words of a run, compiled as sysdig compiles them: a capture
 * filter when there are any; with -d a display filter instead, compiled
 * whenever words were given, even empty ones.
 */
export function buildFilters(opts: CliOptions): { capture?: Matcher; display?: Matcher } {
  if (!wantsFilter(opts)) return {};
  const f = buildFilter(opts.filter);
  return opts.displayFilter ? { display: f } : { capture: f };
}

export function buildFilter(text: string): Matcher {
  try {
    return compileFilter(text);
  } catch (e) {
    if (e instanceof FilterError) throw new GlueError(e.message, true);
    throw e;
  }
}

export function listFields(verbose: boolean, markdown = false): string {
  return markdown ? renderFieldListMarkdown() : renderFieldList(verbose);
}

/** The -p format in effect: sysdig's default line (colored on a terminal), a preset, or the user's. */
export function outputFormat(opts: CliOptions): string {
  const p = opts.print;
  if (p === undefined) return stdoutIsTTY() ? DEFAULT_FORMAT_TTY : DEFAULT_FORMAT;
  return formatForPrintArg(p);
}

/**
 * The format of plugin events (sysdig prints them with a line of their own):
 * the user's -p when given, else sysdig's plugin line (the -pc/-pk/-pm
 * presets leave it as it is).
 */
export function pluginOutputFormat(opts: CliOptions): string {
  const p = opts.pluginPrint ?? (opts.print !== undefined && !isPrintPreset(opts.print) ? opts.print : undefined);
  if (p !== undefined) return p;
  return stdoutIsTTY() ? PLUGIN_FORMAT_TTY : PLUGIN_FORMAT;
}

/**
 * sysdig compiles its event line and its plugin line whatever the run
 * (quiet, writing, chisels): a -p it cannot compile ends the run, after a
 * display filter's errors and before a capture filter's. (Without -p both
 * are sysdig's own lines, which compile.)
 */
export function checkPrintFormats(opts: CliOptions): void {
  if (opts.print === undefined) return;
  buildFormatter(outputFormat(opts), opts);
  buildFormatter(pluginOutputFormat(opts), opts);
}
