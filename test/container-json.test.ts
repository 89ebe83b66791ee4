// Container events' JSON read as sysdig 0.29.3 reads it (jsoncpp's lenient
// reader and conversions, lib/state/jsoncpp.ts): for each text of
// fixtures/golden/container-json, a capture is written and replayed by
// bin/scry; stdout and the exit status must be sysdig's, and stderr too
// where sysdig prints a reason. Where sysdig stops without a word (a value of
// the wrong type for jsoncpp), scry stops at the same event with one line
// naming the file and the event.

import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { writeContainerJsonCapture } from './container-json-capture';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'scry');
const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'golden', 'container-json', 'expected.json'), 'utf8')) as {
  format: string; cases: { json: string; stdout: string; stderr: string; exit: number }[];
};

t.test('container JSON texts as sysdig reads them', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-container-json-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [i, c] of golden.cases.entries()) {
    const file = path.join(dir, `c${i}.scap`);
    await writeContainerJsonCapture(file, [c.json]);
    const r = spawnSync(BIN, ['-r', file, '-p', golden.format], { env: { ...process.env, TZ: 'UTC' } });
    const name = `#${i} ${JSON.stringify(c.json).slice(0, 70)}`;
    t.equal(r.status, c.exit, `${name}: exit status as sysdig`);
    t.equal(r.stdout.toString('latin1'), c.stdout, `${name}: stdout as sysdig`);
    const err = r.stderr.toString('latin1');
    if (c.stderr !== '') t.equal(err, c.stderr, `${name}: stderr as sysdig`);
    else if (c.exit !== 0) t.match(err, new RegExp(`^scry: ${file.replace(/[.]/g, '\\.')}: container event 2: JSON sysdig stops on \\([^\\n]+\\)\\n$`), `${name}: one line naming the file and event`);
    else t.equal(err, '', `${name}: nothing on stderr`);
  }
});
