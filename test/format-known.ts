// Golden cases (fixtures/golden/format) known to differ from sysdig, with the
// reason. The lines of the events named here are compared apart and reported
// as todo; every other line of the case must match.

/** What sysdig prints for these events depends on memory it reads out of bounds. */
const OUT_OF_BOUNDS = 'an open exit with fewer parameters than the table: sysdig reads the missing name and flags '
  + 'from parameter slots left over from earlier events (here it finds O_DIRECTORY); scry has no such leftovers';

import type { Test } from 'tap';

interface KnownEvent { event: number; why: string }

const SYNTH: KnownEvent = { event: 135, why: OUT_OF_BOUNDS };

/** Per case name: the event whose output lines differ. */
export const KNOWN_EVENTS: Readonly<Record<string, KnownEvent>> = {
  'synth-default': SYNTH, 'synth-v': SYNTH, 'synth-args': SYNTH, 'synth-x': SYNTH,
  'synth-X': SYNTH, 'synth-A': SYNTH, 'synth-b': SYNTH, 'synth-j': SYNTH, 'synth-j-X': SYNTH,
  'synth-widths': SYNTH,
};

/**
 * Splits an output into the lines of event `num` (a line starting with the
 * number, as the default, -p '*%evt.num ...' and table formats print it, or
 * a JSON line holding it, with the dump lines that follow it under -x/-X/-A)
 * and the rest.
 */
export function splitEventLines(text: string, num: number): { event: string; rest: string } {
  const starts = (l: string) => l.startsWith(`${num} `) || l.startsWith(`${num}|`) || l.includes(`"evt.num":${num},`);
  const isEventLine = (l: string) => /^\d+[ |]/.test(l) || l.startsWith('{');
  const event: string[] = [], rest: string[] = [];
  let inside = false;
  for (const l of text.split('\n')) {
    if (isEventLine(l)) inside = starts(l);
    (inside ? event : rest).push(l);
  }
  return { event: event.join('\n'), rest: rest.join('\n') };
}

/**
 * Asserts a case's stdout equals sysdig's: strictly, or for a case in
 * KNOWN_EVENTS strictly but for its event's lines, those compared as todo.
 */
export function sameStdout(t: Test, name: string, got: string, want: string): void {
  const known = KNOWN_EVENTS[name];
  if (!known) { t.equal(got, want, 'stdout as sysdig'); return; }
  const a = splitEventLines(got, known.event), b = splitEventLines(want, known.event);
  t.equal(a.rest, b.rest, `stdout as sysdig but for event ${known.event}`);
  t.equal(a.event, b.event, `event ${known.event} as sysdig`, { todo: known.why });
}
