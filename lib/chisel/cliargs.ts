// How sysdig's command line hands words to chisels.
//
// sysdig reads its options with GNU getopt (options and other words may be
// mixed; the other words keep their order). When it meets `-c NAME` it loads
// the chisel right away and looks at the command-line word that follows NAME:
//  - a chisel without arguments takes nothing;
//  - a chisel with a required argument takes that word, whatever it is;
//  - a chisel with only optional arguments takes it unless there is none, it
//    starts with '-', or the rest of the command line (from that word on)
//    compiles as a filter; a chisel whose single argument has type "filter"
//    takes it regardless.
// The word taken holds all the chisel's arguments, split on blanks (quote
// with '…' or `…`). The filter is what remains of the non-option words once
// as many as the chisels took are dropped from the front.

/** Short options taking a value (sysdig's and scry's). */
const SHORT_WITH_ARG = new Set('cCeGHIikKmMnprstUWw'.split(''));
/** Short options whose value is optional and only attached (-B[probe]). */
const SHORT_OPT_ARG = new Set(['B']);
const LONG_WITH_ARG = new Set([
  'readfile', 'writefile', 'numevents', 'print', 'timetype', 'snaplen', 'chisel', 'chisel-info', 'file-size',
  'limit', 'seconds', 'event-limit', 'check', 'from', 'to', 'k8s-api', 'k8s-api-cert', 'mesos-api', 'cri',
  'cri-timeout', 'suppress-comm', 'udig', 'force-tracers-capture', 'node-name', 'plugin', 'input',
]);

export type ArgStep =
  | { kind: 'chisel'; name: string; next: number }
  | { kind: 'list' }
  | { kind: 'info'; name: string };

export interface ScannedArgs {
  argv: string[];
  /** -c, -cl and -i in command-line order; `next` is the index of the word after the chisel name. */
  steps: ArgStep[];
  /** The non-option words, in order. */
  words: string[];
}

export function scanArgv(argv: string[]): ScannedArgs {
  const steps: ArgStep[] = [];
  const words: string[] = [];
  let end = argv.indexOf('--');
  if (end < 0) end = argv.length;
  const chisel = (name: string, next: number) => {
    if (name === 'l') steps.push({ kind: 'list' });
    else steps.push({ kind: 'chisel', name, next });
  };
  for (let i = 0; i < end; i++) {
    const a = argv[i];
    if (a.length < 2 || a[0] !== '-') { words.push(a); continue; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      let val: string | undefined;
      if (eq >= 0) val = a.slice(eq + 1);
      else if (LONG_WITH_ARG.has(name) && i + 1 < end) val = argv[++i];
      if (name === 'chisel' && val !== undefined) chisel(val, i + 1);
      else if (name === 'list-chisels') steps.push({ kind: 'list' });
      else if (name === 'chisel-info' && val !== undefined) steps.push({ kind: 'info', name: val });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const o = a[j];
      if (SHORT_OPT_ARG.has(o)) break;
      if (!SHORT_WITH_ARG.has(o)) continue;
      let val: string | undefined;
      if (j + 1 < a.length) val = a.slice(j + 1);
      else if (i + 1 < end) val = argv[++i];
      if (val !== undefined) {
        if (o === 'c') chisel(val, i + 1);
        else if (o === 'i') steps.push({ kind: 'info', name: val });
      }
      break;
    }
  }
  return { argv: argv.slice(0, end), steps, words };
}
