/** What sysdig resets the terminal with after a run whose format used \e (a module of its own: the CLI decides on it without loading the formatter). */
export const COLOR_RESET = '\x1b[00m';
