// sysdig ends a run, rather than skip an event, when some fields or
// comparisons cannot be evaluated on it (a numeric field compared with
// 'contains', a thread without per-thread state...): the events handled so
// far stand, the message goes to stderr, and the exit status is 1. Every
// such error is an EvaluationAbort, whichever layer raises it, so that each
// run (replay, conversion, chisels) ends the same way.

export class EvaluationAbort extends Error {}
