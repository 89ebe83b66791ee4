// The -p / output-flag goldens (fixtures/golden/format, made with sysdig
// 0.29.3) replayed through lib/format directly: state engine + compiled
// format, without the CLI. Cases that name fields the field catalog does not
// provide yet are skipped, not failed.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { replay, FIX, RunOptions } from './format-harness';
import { hasEscape } from '../lib/format/print-arg';
import { compileFormat, COLOR_RESET, DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, formatForPrintArg, FormatError } from '../lib/format/formatter';
import { BufEnc } from '../lib/format/params';
import { isTimeMode } from '../lib/format/time';
import { ContentAbort } from '../lib/fields/abort';
import { sameStdout } from './format-known';

const DIR = path.join(FIX, 'golden', 'format');
interface Case { name: string; capture: string; extraCaptures?: string[]; args: string[]; tty?: boolean; checkStderr?: boolean; stdout: string; stderr: string; exit: number }
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { cases: Case[] };

/** The sysdig flags lib/format implements, turned into run options; undefined for other flags. */
function optionsOf(args: string[], tty = false): RunOptions | undefined {
  const o: RunOptions = { params: {} };
  let print: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // (a second -p: sysdig's plugin line then differs from its event line, which the CLI handles)
    if (a.startsWith('-p') && print !== undefined) return undefined;
    if (a === '-p') print = args[++i];
    else if (a.startsWith('-p')) print = a.slice(2);
    else if (a === '-j') { o.json = true; o.params!.json = true; }
    else if (a === '-A') o.params!.enc = BufEnc.EOLS;
    else if (a === '-x') o.params!.enc = BufEnc.HEX;
    else if (a === '-X') o.params!.enc = BufEnc.HEXASCII;
    else if (a === '-b') o.params!.enc = BufEnc.BASE64;
    else if (a === '-v') o.params!.maxLen = 0;
    else if (a === '-n') o.limit = Number(args[++i]);
    else if (a === '-t') { const m = args[++i]; if (!isTimeMode(m)) return undefined; o.timeMode = m; }
    else return undefined;
  }
  o.format = print === undefined ? (tty ? DEFAULT_FORMAT_TTY : DEFAULT_FORMAT) : formatForPrintArg(print);
  return o;
}

/** Does the installed field set know every field of the format? (The fallback set lacks many.) */
function missingField(o: RunOptions, expectedErr: string): string | undefined {
  try {
    compileFormat(o.format!, o);
  } catch (e) {
    const msg = (e as Error).message;
    if (e instanceof FormatError && msg === expectedErr) return undefined;
    if (/^invalid formatting token /.test(msg) && msg !== expectedErr) return msg;
  }
  return undefined;
}

for (const c of manifest.cases) {
  const o = optionsOf(c.args, c.tty);
  const want = fs.readFileSync(path.join(DIR, c.stdout), 'latin1');
  const wantErr = fs.readFileSync(path.join(DIR, c.stderr), 'utf8').trim();
  const missing = o && missingField(o, wantErr);
  // (cases that check stderr are about how the CLI reads its options: test/format-cli.test.ts)
  const skip = !o || c.checkStderr || c.extraCaptures ? 'flag handled by the CLI' : missing ? 'needs the field catalog: ' + missing : false;
  t.test(c.name, { skip }, async (t) => {
    const { lines, error } = await replay(c.capture, o!);
    let got = lines.map((l) => l + '\n').join('');
    // A format with terminal escapes ends the run with a color reset.
    if (!error && hasEscape(o!.format!)) got += COLOR_RESET;
    if (error) {
      t.equal(c.exit, 1, 'sysdig failed too');
      // where the capture's content stops sysdig without a word, scry says why
      if (error instanceof ContentAbort && wantErr === '') t.not(error.message, '', 'scry names the reason');
      else t.equal(error.message, wantErr, 'same message as sysdig');
    } else {
      t.equal(c.exit, 0, 'sysdig succeeded too');
    }
    // Lines hold one char per byte (what the CLI writes as latin1).
    sameStdout(t, c.name, got, want);
  });
}
