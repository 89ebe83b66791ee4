// A failed system call (a capture file that cannot be created, a disk that
// fills up) as one line: the file and the reason, without Node's decoration.

/** "ENOENT: no such file or directory, open '/x'" -> "/x: no such file or directory"; undefined for other errors. */
export function systemErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const reason = err.message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+(?: '.*')?$/, '');
  return err.path !== undefined ? `${err.path}: ${reason}` : `${err.syscall}: ${reason}`;
}
