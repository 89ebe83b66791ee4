// Errors raised by the filter compiler and by filter evaluation.

import { EvaluationAbort } from '../fields/abort';

/**
 * A filter that sysdig 0.29.3 rejects. `message` is the one line sysdig prints
 * (e.g. "filter error at position 8: filter error: unrecognized field proc.nam at pos 0");
 * `column` is the 0-based byte offset sysdig reports (its scan position when it
 * gave up), or -1 when sysdig reports none; `expected` says in words what would
 * have been accepted there.
 */
export class FilterError extends Error {
  readonly column: number;
  readonly expected: string;
  /** sysdig crashes (SIGSEGV) on this input instead of printing an error; we reject it cleanly. */
  readonly sysdigCrashes: boolean;

  constructor(message: string, column: number, expected: string, sysdigCrashes = false) {
    super(message);
    this.name = 'FilterError';
    this.column = column;
    this.expected = expected;
    this.sysdigCrashes = sysdigCrashes;
  }
}

/**
 * Thrown by CompiledFilter.match when sysdig would abort while evaluating the
 * filter on an event (e.g. "'contains' not supported for numeric filters" on the
 * first event where the numeric field has a value). sysdig prints the message on
 * stderr after flushing the events already printed and exits with status 1.
 */
export class FilterRuntimeError extends EvaluationAbort {
  constructor(message: string) {
    super(message);
    this.name = 'FilterRuntimeError';
  }
}

/** Internal: an error raised while parsing, before the position prefix is added. */
export class ParseFail extends Error {
  constructor(message: string, readonly expected: string, readonly crash = false, readonly bare = false) {
    super(message);
  }
}
