// bin/scry run as an executable (through its sh line, as users and the
// benchmarks run it): node starts without NODE_EXTRA_CA_CERTS (node 20 reads
// that bundle as it starts), and the commands scry runs get it back.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const built = fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-bin-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A chisel whose os.execute shows the CA variables of scry's node process as
// it was started (/proc/PPID/environ of the shell) and of the shell itself.
const CHISEL = `description = "shows CA variables"; short_description = "env"; category = "test"; args = {}
function on_capture_start()
  os.execute("tr '\\\\000' '\\\\n' < /proc/$PPID/environ | grep NODE_EXTRA_CA_CERTS= | sed 's/^/node: /'; env | grep NODE_EXTRA_CA_CERTS= | sed 's/^/command: /'")
  return true
end
`;

function run(env: NodeJS.ProcessEnv, args: string[]) {
  return spawnSync(SCRY, args, { env: { ...env, TZ: 'UTC' }, encoding: 'utf8', cwd: tmp });
}

t.test('NODE_EXTRA_CA_CERTS: kept from node, given back to commands', { skip: !built && 'not built' }, async (t) => {
  const chisel = path.join(tmp, 'env_ca.lua');
  fs.writeFileSync(chisel, CHISEL);
  const args = ['-r', path.join(ROOT, 'fixtures', 'falco_cat_write.scap'), '-c', chisel];
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NODE_EXTRA_CA_CERTS;
  delete base.SCRY_STASHED_NODE_EXTRA_CA_CERTS;

  const set = run({ ...base, NODE_EXTRA_CA_CERTS: '/some where/ca.pem' }, args);
  t.equal(set.status, 0, set.stderr);
  t.equal(set.stdout,
    'node: SCRY_STASHED_NODE_EXTRA_CA_CERTS=/some where/ca.pem\ncommand: NODE_EXTRA_CA_CERTS=/some where/ca.pem\n');

  // set but empty: still given back as it was
  const empty = run({ ...base, NODE_EXTRA_CA_CERTS: '' }, args);
  t.equal(empty.stdout, 'node: SCRY_STASHED_NODE_EXTRA_CA_CERTS=\ncommand: NODE_EXTRA_CA_CERTS=\n');

  const unset = run(base, args);
  t.equal(unset.status, 0, unset.stderr);
  t.equal(unset.stdout, '', 'not set: nothing added');
});

t.test('runs through a symbolic link, and as `node bin/scry`', { skip: !built && 'not built' }, async (t) => {
  const link = path.join(tmp, 'scry');
  fs.symlinkSync(SCRY, link);
  const args = ['-r', path.join(ROOT, 'fixtures', 'falco_cat_write.scap'), '-n', '300', '-p', '%evt.num'];
  const viaLink = spawnSync(link, args, { encoding: 'utf8' });
  t.equal(viaLink.status, 0, viaLink.stderr);
  const viaNode = spawnSync(process.execPath, [SCRY, ...args], { encoding: 'utf8' });
  t.equal(viaNode.status, 0, viaNode.stderr);
  t.equal(viaLink.stdout, viaNode.stdout);
  t.ok(viaNode.stdout.split('\n').length > 5, 'events printed');
});
