// Errors the CLI turns into one line on stderr.

export class GlueError extends Error {
  /**
   * bare: print the message as it is, without scry's prefix (sysdig's own
   * wording). beforeCapture: sysdig leaves its run there without ending a
   * capture (no -P 100.00; -S's table still printed).
   */
  constructor(message: string, readonly bare = false, readonly beforeCapture = false) { super(message); }
}

/** The line for a capture that cannot be read: the file, what is wrong, and where when past its start. */
export function captureErrorLine(e: { file: string; reason: string; offset: number }): string {
  return `scry: ${e.file}: ${e.reason}${e.offset ? ` at byte ${e.offset}` : ''}\n`;
}
