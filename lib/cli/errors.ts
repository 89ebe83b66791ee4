// Errors the CLI turns into one line on stderr.

export class GlueError extends Error {
  /** Print the message as it is, without scry's prefix (sysdig's own wording). */
  constructor(message: string, readonly bare = false) { super(message); }
}
