// The color reset sysdig writes when a capture ends (handle_end_of_file):
// whenever its event format or its plugin-event format holds a terminal
// escape, whatever was printed (-q, -j, -S and chisel runs included). On a
// terminal both default formats are colored; -p replaces both, while the
// -pc/-pk/-pm presets replace only the event format.

import { isPrintPreset } from './args';

export { COLOR_RESET } from '../format/color-reset';

/** Whether the run ends with COLOR_RESET, for -p's argument (undefined: none) and stdout being a terminal. */
export function endsWithColorReset(print: string | undefined, tty: boolean): boolean {
  if (print === undefined || isPrintPreset(print)) return tty;
  return hasEscape(print);
}

/**
 * Whether a -p format holds ESC once sysdig expands its backslash escapes
 * (\e is ESC, \\ a backslash): a scan of its own, so a quiet replay does
 * not load the formatter (lib/format's unescapeFormat) just for this.
 */
function hasEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\x1b') return true;
    if (c === '\\' && i + 1 < s.length) {
      if (s[i + 1] === 'e') return true;
      if (s[i + 1] === '\\' || s[i + 1] === 'n' || s[i + 1] === 't') i++;
    }
  }
  return false;
}
