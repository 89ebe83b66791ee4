// Signal names as sysdig 0.29.3 shows them next to a PT_SIGTYPE value,
// e.g. sig=9(SIGKILL). Other numbers (0, real-time signals) show the number alone.

const NAMES: readonly string[] = `
  SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2
  SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG
  SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS
`.trim().split(/\s+/);

/** Signal names indexed by signal number (index 0 and numbers past 31 have none). */
export const SIGNAL_NAMES: readonly (string | undefined)[] = Object.freeze([undefined, ...NAMES]);

/** Name of a signal number (9 -> 'SIGKILL'), undefined when sysdig 0.29.3 shows only the number. */
export function signalName(sig: number): string | undefined {
  return SIGNAL_NAMES[sig];
}
