// Whether standard output is a terminal, asked of the descriptor itself.
// process.stdout is never touched for this: creating that stream makes a pipe
// on fd 1 non-blocking, which every other writer of that pipe then shares.

import * as tty from 'tty';

let answer: boolean | undefined;

export function stdoutIsTTY(): boolean {
  answer ??= tty.isatty(1);
  return answer;
}
