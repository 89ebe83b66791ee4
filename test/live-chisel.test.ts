// Chisels on a live capture (`scry -c CHISEL [-w FILE] -- command`): the
// chisel sees the command's events as they happen, and with -w the same
// events are written, so replaying the file through the chisel prints what
// the live run printed.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../lib/cli/args';
import { runChisels } from '../lib/chisel/runner';
import { ByteOutput } from '../lib/chisel/output';
import { cannotCapture } from './live/helpers';

const skip = cannotCapture();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-live-chisel-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Prints the opens and reads of the command's processes, and a count at the end.
const chisel = path.join(tmp, 'opens.lua');
fs.writeFileSync(chisel, `description = "test"
short_description = "test"
category = "Test"
args = {}
local n = 0
local fname, ftype, fproc
function on_init()
	fname = chisel.request_field("fd.name")
	ftype = chisel.request_field("evt.type")
	fproc = chisel.request_field("proc.name")
	chisel.set_filter("evt.dir=< and proc.name=cat and (evt.type=openat or evt.type=read)")
	return true
end
function on_event()
	n = n + 1
	print(evt.field(fproc), evt.field(ftype), evt.field(fname))
	return true
end
function on_capture_end()
	print("events", n)
end
`);

const marker = path.join(tmp, 'marker.txt');
fs.writeFileSync(marker, 'scry live chisel\n');

async function scry(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o: Uint8Array[] = [], e: Uint8Array[] = [];
  const out = new ByteOutput(1, o), err = new ByteOutput(2, e);
  const r = await runChisels(parseArgs(args), args, { out, err });
  out.flush(); err.flush();
  return { code: r.code, out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() };
}

t.test('a chisel on a live capture of a command', { skip }, async (t) => {
  const r = await scry(['-c', chisel, '--', '/bin/cat', marker]);
  t.equal(r.err, '', 'no error');
  t.equal(r.code, 0);
  t.match(r.out, `cat\topenat\t${marker}\n`, 'the chisel saw the open of the file');
  t.match(r.out, `cat\tread\t${marker}\n`, 'and its read, with the fd resolved');
  t.match(r.out, /\nevents\t\d+\n$/, 'on_capture_end ran');
});

t.test('with -w, the capture is written as the chisel runs', { skip }, async (t) => {
  for (const ext of ['scap', 'scry']) {
    const file = path.join(tmp, `live.${ext}`);
    const live = await scry(['-c', chisel, '-w', file, '--', '/bin/cat', marker]);
    t.equal(live.code, 0, `${ext}: live run`);
    t.match(live.out, `cat\tread\t${marker}\n`, `${ext}: the chisel saw the read`);
    t.ok(fs.existsSync(file) && fs.statSync(file).size > 0, `${ext}: the file was written`);
    const replay = await scry(['-r', file, '-c', chisel]);
    t.equal(replay.code, 0, `${ext}: replay`);
    t.equal(replay.out, live.out, `${ext}: the file replayed through the chisel prints what the live run printed`);
  }
});

// Prints every event's process name and type.
const everything = path.join(tmp, 'everything.lua');
fs.writeFileSync(everything, `description = "test"
short_description = "test"
category = "Test"
args = {}
local fproc, ftype
function on_init()
	fproc = chisel.request_field("proc.name")
	ftype = chisel.request_field("evt.type")
	return true
end
function on_event()
	print(evt.field(fproc), evt.field(ftype))
	return true
end
`);

t.test('with -w and a filter: the matching events and the state they need', { skip }, async (t) => {
  const file = path.join(tmp, 'filtered.scap');
  const live = await scry(['-c', chisel, '-w', file, 'proc.name=cat', '--', '/bin/cat', marker]);
  t.equal(live.code, 0, 'live run');
  t.match(live.out, `cat\tread\t${marker}\n`, 'the chisel saw the read');
  const replay = await scry(['-r', file, '-c', chisel]);
  t.equal(replay.out, live.out, 'the filtered file prints the same through the chisel (fd names resolve)');
  const all = await scry(['-r', file, '-c', everything]);
  const lines = all.out.split('\n').filter((l) => l !== '');
  t.ok(lines.length > 0, 'events were written');
  t.same(lines.filter((l) => !l.startsWith('cat\t')), [], 'the events shown are the matching ones (the others only keep the state)');
});
