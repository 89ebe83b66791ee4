// Golden cases (fixtures/golden/format) known to differ from sysdig for
// reasons outside lib/format, with the reason; the tests mark them todo.

const FD_STATE = 'state engine fd table: fd-list sockets keep the file\'s l4proto codes (scap NA=1 TCP=2 UDP=3 ICMP=4 RAW=5), '
  + 'fd names replace unprintable bytes with "." (sysdig keeps them and drops them when printing), connect() with an odd '
  + 'family renames the fd, paths past PATH_MAX are not /PATH_TOO_LONG, execve with an empty exe param keeps the old comm '
  + '(sysdig reads the following bytes), open with a single param';

/** Differences in the replay itself (state), seen through lib/format and through bin/scry. */
export const STATE_TODO: Readonly<Record<string, string>> = {
  'synth-default': FD_STATE, 'synth-v': FD_STATE, 'synth-args': FD_STATE, 'synth-x': FD_STATE,
  'synth-X': FD_STATE, 'synth-A': FD_STATE, 'synth-b': FD_STATE, 'synth-j': FD_STATE, 'synth-j-X': FD_STATE,
  'synth-j-args': FD_STATE, 'synth-widths': FD_STATE,
};

/** Differences only bin/scry shows (flag handling in lib/cli). */
export const CLI_TODO: Readonly<Record<string, string>> = {
  ...STATE_TODO,
};
