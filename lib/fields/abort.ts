// sysdig ends a run, rather than skip an event, when some fields or
// comparisons cannot be evaluated on it (a numeric field compared with
// 'contains', a thread without per-thread state...): the events handled so
// far stand, the message goes to stderr, and the exit status is 1. Every
// such error is an EvaluationAbort, whichever layer raises it, so that each
// run (replay, conversion, chisels) ends the same way.

export class EvaluationAbort extends Error {}

/**
 * An abort caused by what the capture holds (a container event whose JSON
 * has a value of the wrong type), where sysdig stops without a word: scry's
 * line names the file.
 */
export class ContentAbort extends EvaluationAbort {}

/** The line an abort ends a run with, for the capture file being read. */
export function abortLine(e: EvaluationAbort, file: string): string {
  return e instanceof ContentAbort ? `scry: ${file}: ${e.message}` : e.message;
}
