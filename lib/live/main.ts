#!/usr/bin/env node
// Minimal runnable entry for live capture, without the CLI's filter, printing
// and chisels (bin/scry goes through lib/cli/live.ts -> lib/live/cli.ts);
// test/live-cli.test.ts drives this one from TypeScript, without a build:
//
//   node dist/lib/live/main.js -w out.scap [-s N] [-n N] [-M S] [-C MB] [-W N] [-G S] [-e N] [-z] [-v] [-- cmd args]

import { startCapture, CaptureOptions, CaptureError } from './capture';

function usage(): never {
  process.stderr.write('usage: main.js -w FILE [-s snaplen] [-n events] [-M seconds] [-C MB] [-W files] [-G seconds] [-e events] [-z] [-v] [--exit-only] [-- cmd args]\n');
  process.exit(2);
}

export async function main(argv: string[]): Promise<number> {
  const dd = argv.indexOf('--');
  const command = dd >= 0 ? argv.slice(dd + 1) : [];
  const args = dd >= 0 ? argv.slice(0, dd) : argv;
  const opts: CaptureOptions = { output: '' };
  let verbose = false;
  const num = (i: number): number => {
    const v = args[i];
    if (v === undefined || !/^\d+$/.test(v)) usage();
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '-w': opts.output = args[++i] ?? usage(); break;
      case '-s': opts.snaplen = num(++i); break;
      case '-n': opts.maxEvents = num(++i); break;
      case '-M': opts.maxSeconds = num(++i); break;
      case '-C': opts.rotate = { ...opts.rotate, fileSizeMb: num(++i) }; break;
      case '-W': opts.rotate = { ...opts.rotate, fileLimit: num(++i) }; break;
      case '-G': opts.rotate = { ...opts.rotate, seconds: num(++i) }; break;
      case '-e': opts.rotate = { ...opts.rotate, events: num(++i) }; break;
      case '-z': opts.gzip = true; break;
      case '-v': verbose = true; break;
      case '--exit-only': opts.enterEvents = false; break;
      default: usage();
    }
  }
  if (!opts.output) usage();
  if (command.length) opts.command = command;
  if (verbose) opts.log = (l) => process.stderr.write(l + '\n');
  let cap;
  try {
    cap = await startCapture(opts);
  } catch (e) {
    process.stderr.write(`scry: ${e instanceof CaptureError ? e.message : (e as Error).stack}\n`);
    return 1;
  }
  const r = await cap.done;
  if (r.error) process.stderr.write(`scry: capture failed: ${r.error}\n`);
  if (verbose || r.drops) {
    process.stderr.write(`scry: ${r.events} events, ${r.bytes} bytes in ${r.files.join(', ')}, ${(r.durationMs / 1000).toFixed(2)} s, ended by ${r.reason}\n`);
    r.cpus.forEach((c, i) => process.stderr.write(`scry: cpu ${i}: ${c.events} events, ${c.dropsFull + c.dropsBig + c.dropsNoScratch} dropped\n`));
  }
  if (r.error) return 1;
  if (command.length && r.commandExit !== undefined && r.commandExit !== null) return r.commandExit;
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    process.stderr.write(`scry: ${(e as Error).stack}\n`);
    process.exit(1);
  });
}
