// Live capture from this machine's kernel (eBPF): `scry -w FILE` records,
// `scry` alone prints events as they happen.

import { CliOptions } from './args';
import { Output } from './output';
import { optionalModule } from './optional';

type LiveMain = (o: CliOptions, out: Output, err: (s: string) => void) => Promise<number>;

export async function liveCommand(opts: CliOptions, out: Output, err: (s: string) => void): Promise<number> {
  const live = optionalModule<{ liveMain: LiveMain }>('../live/cli');
  if (!live.liveMain) {
    err('scry: live capture is not available in this build; use -r FILE to read a capture\n');
    return 1;
  }
  return live.liveMain(opts, out, err);
}
