// `scry -c NAME [ARGS] [filter]`, `-cl` and `-i NAME`: runs Lua chisels with
// sysdig's chisel API (see lib/chisel/).

import type { CliOptions } from './args';
import type { Output } from './output';
import { runChisels, withNextRun } from '../chisel/runner';
import { ByteOutput } from '../chisel/output';
import { printCaptureStats } from './replay';
import { Summary } from './summary';

/** refused: see runChisels. */
export async function chiselCommand(opts: CliOptions, out: Output, stderr: (s: string) => void, refused?: string): Promise<number> {
  // The chisel's arguments are the command-line words as given: the words
  // sysdig would see (options included) come from the raw argument list.
  const argv = (opts as CliOptions & { argv?: string[] }).argv ?? process.argv.slice(2);
  out.flush();
  const bout = new ByteOutput(1);
  const berr = new ByteOutput(2);
  // -v: sysdig's closing lines for every file read (several -r), after its chisels' end output
  const fileDone = opts.verbose ? (events: number, startedNs: bigint) => {
    bout.flush(); berr.flush();
    printCaptureStats(stderr, events, startedNs);
  } : undefined;
  const r = await runChisels(opts, argv, { out: bout, err: berr, fileDone }, refused);
  bout.flush();
  berr.flush();
  if (opts.verbose && r.events !== undefined) printCaptureStats(stderr, r.events, r.startedNs!);
  // -S: chisels take the events, so sysdig's table is its header alone, printed
  // as its run ends (not after -cl, -i or a chisel's os.exit)
  if (opts.summary && !r.exited) { out.write(new Summary().render()); out.flush(); }
  const next = await withNextRun(r, async (args) => (await import('./main')).main(args));
  return next ?? r.code;
}
