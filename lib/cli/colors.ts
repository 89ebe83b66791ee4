// The color reset sysdig writes when a capture ends (handle_end_of_file):
// whenever its event format or its plugin-event format holds a terminal
// escape, whatever was printed (-q, -j, -S and chisel runs included). On a
// terminal both default formats are colored; -p replaces both, while the
// -pc/-pk/-pm presets replace only the event format.

import { hasEscape, isPrintPreset } from '../format/print-arg';

export { COLOR_RESET } from '../format/color-reset';

/** Whether the run ends with COLOR_RESET, for -p's argument (undefined: none) and stdout being a terminal. */
export function endsWithColorReset(print: string | undefined, tty: boolean): boolean {
  if (print === undefined || isPrintPreset(print)) return tty;
  return hasEscape(print);
}
