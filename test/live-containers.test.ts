// Containers in live capture: ids from cgroup paths of every runtime layout,
// the container JSON, and (as root) a real capture of a process placed in a
// Docker systemd-layout cgroup made for the test, read back by scry.
import t from 'tap';
import * as child_process from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { containerEvent, containerJson, containerOf } from '../lib/live/containers';
import { startCapture } from '../lib/live/capture';
import { containerFromCgroups, containerIdFromCgroups } from '../lib/state/containers';
import { cannotCapture, readCapture } from './live/helpers';

const ID = 'ab'.repeat(32);

t.test('ids from cgroup paths (live capture: which containers to describe)', (t) => {
  const cases: [string[], string | undefined, string | undefined][] = [
    [['cpu=/docker/' + ID], ID, 'docker'],                                             // docker, cgroupfs, v1
    [['cpu=/system.slice/docker-' + ID + '.scope'], ID, 'docker'],                    // docker, systemd
    [['0::/system.slice/docker-' + ID + '.scope'.replace('0::', '')], ID, 'docker'],
    [['memory=/kubepods/besteffort/pod1234-5678/' + ID], ID, 'containerd'],           // kubelet cgroupfs
    [['cpu=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podx.slice/cri-containerd-' + ID + '.scope'], ID, 'containerd'],
    [['cpu=/kubepods.slice/kubepods-podx.slice/crio-' + ID + '.scope'], ID, 'cri-o'],  // cri-o, systemd
    [['cpu=/libpod_parent/libpod-' + ID], ID, 'podman'],                              // podman, cgroupfs
    [['cpu=/docker/libpod-' + ID], ID, 'podman'],                                     // podman --cgroup-parent /docker
    [['cpu=/machine.slice/libpod-' + ID + '.scope/container'], ID, 'podman'],         // podman, systemd, nested
    [['cpu=/machine.slice/libpod-conmon-' + ID + '.scope'], undefined, undefined],     // podman's monitor
    [['cpu=/user.slice/user-0.slice', 'memory=/'], undefined, undefined],               // host
  ];
  for (const [cg, id, runtime] of cases) {
    const c = containerOf(cg);
    t.same(c && [c.id, c.runtime], id ? [id, runtime] : undefined, cg[0]);
  }
  t.end();
});

t.test('ids from cgroup paths (reading: as sysdig 0.29.3 attributes threads)', (t) => {
  // sysdig's engines in order (podman, docker, cri, lxc, libvirt-lxc, bpm); each
  // runc-style layout must end the path. [cgroups, short id, stand-in type].
  // The e* cases are checked against sysdig by the scry_live_containers goldens.
  const UP = 'E9'.repeat(32);
  const cases: [string[], string, string | undefined][] = [
    [['cpu=/docker/' + ID], ID.slice(0, 12), 'docker'],
    [['cpu=/system.slice/docker-' + ID + '.scope'], ID.slice(0, 12), 'docker'],
    [['memory=/kubepods/besteffort/pod1234-5678/' + ID], ID.slice(0, 12), 'docker'],   // docker's "/" layout comes first
    [['cpu=/machine.slice/libpod-' + ID + '.scope'], ID.slice(0, 12), 'podman'],
    [['cpu=/libpod_parent/libpod-' + ID], '', undefined],                               // cgroupfs podman: host in sysdig
    [['cpu=/docker/libpod-' + ID], '', undefined],
    [['cpu=/docker/' + ID + '/sub'], '', undefined],                                     // the id must end the path
    [['cpu=/docker-' + ID], '', undefined],
    [['cpu=/docker/' + ID + '.scope'], '', undefined],
    [['cpu=/crio-conmon-' + ID], '', undefined],
    [['cpu=/ee/' + UP], UP.slice(0, 12), 'docker'],                                     // upper case passes
    [['cpu=/system.slice/crio-' + ID + '.scope'], ID.slice(0, 12), undefined],          // cri: id, no record
    [['cpu=/crio-' + ID], ID.slice(0, 12), undefined],                                   // cri-o cgroupfs
    [['cpu=/x/cri-containerd-' + ID + '.scope'], ID.slice(0, 12), undefined],
    [['cpu=/lxc/web1/sub'], 'web1', 'lxc'],
    [['cpu=/lxc.payload/web2'], 'web2', 'lxc'],
    [['cpu=/machine/vm7.libvirt-lxc'], 'vm7', 'libvirt-lxc'],
    [['cpu=/bpm-job_1.scope'], 'job_1', 'bpm'],
    [['cpu=/user.slice/user-0.slice', 'memory=/'], '', undefined],
    [[], '', undefined],
  ];
  for (const [cg, id, type] of cases) {
    const c = containerFromCgroups(cg);
    t.same([c?.id ?? '', c?.standIn?.type], [id, type], cg[0] ?? '(none)');
  }
  t.equal(containerIdFromCgroups(['cpu=/docker/' + ID]).id, ID.slice(0, 12));
  t.end();
});

t.test('container JSON and event record', (t) => {
  const j = JSON.parse(containerJson(ID, 'podman', { name: 'probe', image: 'localhost/probe:latest', labels: { a: 'b' } }));
  t.equal(j.container.id, ID.slice(0, 12));
  t.equal(j.container.full_id, ID);
  t.equal(j.container.type, 11, 'podman');
  t.equal(j.container.name, 'probe');
  t.equal(j.container.imagerepo, 'localhost/probe');
  t.equal(j.container.imagetag, 'latest');
  t.same(j.container.labels, { a: 'b' });
  const rec = containerEvent(containerJson(ID, 'docker'), 123n);
  t.equal(rec.readUInt32LE(16), rec.length, 'record length');
  t.equal(rec.readUInt16LE(20), 324, 'CONTAINER_JSON_2_E');
  t.equal(rec.readUInt32LE(26), rec.length - 30, 'u32 parameter length (large payload)');
  t.end();
});

const skip = cannotCapture() ?? (fs.existsSync('/sys/fs/cgroup/cpu/cgroup.procs') || fs.existsSync('/sys/fs/cgroup/cgroup.procs') ? false : 'no cgroup fs');

t.test('a process in a docker-layout cgroup, captured system-wide', { skip }, async (t) => {
  const id = crypto.randomBytes(32).toString('hex');
  // the hierarchies this machine has (v1 controllers, or the single v2 tree)
  const roots = ['cpu', 'memory', 'pids', 'unified'].map((h) => path.join('/sys/fs/cgroup', h)).filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')));
  if (!roots.length && fs.existsSync('/sys/fs/cgroup/cgroup.procs')) roots.push('/sys/fs/cgroup');
  const dirs = roots.map((r) => path.join(r, 'scry-test.slice', `docker-${id}.scope`));
  try {
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
  } catch (e) {
    t.skip('cannot create cgroups: ' + (e as Error).message, () => undefined);
    return;
  }
  t.teardown(() => { for (const d of dirs) { try { fs.rmdirSync(d); fs.rmdirSync(path.dirname(d)); } catch { /* busy or gone */ } } });
  const joins = dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join('; ');
  // a process that is in the container before the capture starts...
  const resident = child_process.spawn('sh', ['-c', `${joins}; exec sleep 30`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scry-ct-')), 'ct.scap');
  const cap = await startCapture({ output: out, handleSignals: false, maxSeconds: 60 });
  // ...and one that joins it during the capture
  child_process.spawnSync('sh', ['-c', `${joins}; exec cat /etc/hostname`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  await cap.stop();
  process.kill(resident.pid!, 'SIGKILL');
  const c = await readCapture(out);
  const res = c.threads.find((th) => th.pid === resident.pid);
  t.ok(res, 'the resident process is in the process table');
  t.equal(res && containerIdFromCgroups(res.cgroups).id, id.slice(0, 12), 'its cgroups name the container');
  const ce = c.events.find((e) => e.type === 324 && String(e.params.json).includes(id));
  t.ok(ce, 'a container event at the start');
  t.ok(c.events.findIndex((e) => e.type === 324) < c.events.findIndex((e) => e.type !== 324), 'container events come first');
  const json = ce && JSON.parse(String(ce.params.json));
  t.equal(json?.container.full_id, id, 'container event id');
  t.equal(json?.container.type, 0, 'docker');
  const ex = c.events.find((e) => e.name === 'execve' && !e.enter && e.params.comm === 'cat' &&
    containerIdFromCgroups(String(e.params.cgroups ?? '').split('\0')).id === id.slice(0, 12));
  t.ok(ex, 'the exec inside the container carries its cgroups');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

t.test('a container that appears during the capture gets its container event', { skip }, async (t) => {
  const id = crypto.randomBytes(32).toString('hex');
  const roots = ['cpu', 'memory', 'pids', 'unified'].map((h) => path.join('/sys/fs/cgroup', h)).filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')));
  if (!roots.length && fs.existsSync('/sys/fs/cgroup/cgroup.procs')) roots.push('/sys/fs/cgroup');
  const dirs = roots.map((r) => path.join(r, 'scry-test-mid.slice', `docker-${id}.scope`));
  t.teardown(() => { for (const d of dirs) { try { fs.rmdirSync(d); fs.rmdirSync(path.dirname(d)); } catch { /* busy or gone */ } } });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scry-ctmid-')), 'ct.scap');
  // no runtime API: the event is made at once, from the cgroups alone
  const saved = process.env.SCRY_CONTAINER_SOCKETS;
  process.env.SCRY_CONTAINER_SOCKETS = '';
  const cap = await startCapture({ output: out, handleSignals: false, maxSeconds: 60 });
  if (saved === undefined) delete process.env.SCRY_CONTAINER_SOCKETS; else process.env.SCRY_CONTAINER_SOCKETS = saved;
  try {
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
  } catch (e) {
    await cap.stop();
    t.skip('cannot create cgroups: ' + (e as Error).message, () => undefined);
    return;
  }
  const joins = dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join('; ');
  child_process.spawnSync('sh', ['-c', `${joins}; exec cat /etc/hostname`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  await cap.stop();
  const c = await readCapture(out);
  const at = c.events.findIndex((e) => e.type === 324 && String(e.params.json).includes(id));
  const ex = c.events.findIndex((e) => e.name === 'execve' && !e.enter && e.params.comm === 'cat' &&
    containerIdFromCgroups(String(e.params.cgroups ?? '').split('\0')).id === id.slice(0, 12));
  t.ok(ex > 0, 'the exec inside the container is captured');
  t.ok(at >= 0, 'the container has a container event');
  t.ok(at < ex, 'placed before the exit that revealed it');
  // (it may still be the file's first event, when that exit came in the first batch drained;
  // the exit that revealed it may be an earlier one, like the shell's failed execve along PATH)
  t.ok(at >= 0 && ex >= 0 && c.events[at].ts <= c.events[ex].ts && c.events[at].ts > 0n, 'stamped with the time of an exit in the container');
  const json = at >= 0 ? JSON.parse(String(c.events[at].params.json)).container : undefined;
  t.same(json && [json.full_id, json.type], [id, 0], 'its id and type (docker)');
  // read back: the exec's line names the container from the event
  const r = child_process.spawnSync(path.join(__dirname, '..', 'bin', 'scry'), ['-r', out, '-p', '%container.id %container.type %container.name',
    `proc.name=cat and evt.type=execve and evt.dir=< and container.id=${id.slice(0, 12)}`], { encoding: 'utf8' });
  t.equal(r.stdout.trim(), `${id.slice(0, 12)} docker ${id.slice(0, 12)}`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

// With the podman setup of /work/shared/notes/setup.sh (a container named
// "probe" and the Docker-compatible API on $W/podman.sock): names and images.
const podmanDir = process.env.SCRY_TEST_PODMAN_DIR ?? '/tmp/podman-probe';
const podmanSock = path.join(podmanDir, 'podman.sock');
const havePodman = fs.existsSync(podmanSock) && child_process.spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0;
t.test('a podman container: name and image from its API', { skip: skip || (!havePodman && 'no podman setup (see /work/shared/notes/setup.sh)') }, async (t) => {
  const env = { ...process.env, CONTAINERS_CONF: path.join(podmanDir, 'containers.conf'), CONTAINERS_STORAGE_CONF: path.join(podmanDir, 'storage.conf') };
  const running = child_process.spawnSync('podman', ['inspect', '-f', '{{.Id}} {{.State.Running}}', 'probe'], { env, encoding: 'utf8' });
  const [id, up] = running.stdout.trim().split(' ');
  if (running.status !== 0 || up !== 'true') { t.skip('container "probe" is not running', () => undefined); return; }
  process.env.SCRY_CONTAINER_SOCKETS = podmanSock;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scry-pm-')), 'pm.scap');
  const cap = await startCapture({ output: out, handleSignals: false, maxSeconds: 60 });
  child_process.spawnSync('podman', ['exec', 'probe', 'cat', '/etc/hostname'], { env, stdio: 'ignore' });
  // a container started during the capture: named by the API when it answers
  const mid = `scry-mid-${process.pid}`;
  // (run asynchronously: the capture drains its rings, and asks the API, while the container runs)
  await new Promise((res) => child_process.spawn('podman', ['run', '--rm', '--name', mid, 'localhost/probe:latest', 'sleep', '1'], { env, stdio: 'ignore' }).on('exit', res));
  await new Promise((r) => setTimeout(r, 300));
  await cap.stop();
  delete process.env.SCRY_CONTAINER_SOCKETS;
  const c = await readCapture(out);
  const ce = c.events.find((e) => e.type === 324 && String(e.params.json).includes(id));
  const j = ce && JSON.parse(String(ce.params.json)).container;
  t.equal(j?.name, 'probe', 'name from the API');
  t.equal(j?.type, 11, 'podman');
  t.match(j?.image ?? '', /probe/, 'image from the API');
  const midEvent = c.events.find((e) => e.type === 324 && JSON.parse(String(e.params.json)).container.name === mid);
  t.ok(midEvent, 'a container started during the capture has its event, with its name from the API');
  t.equal(midEvent && JSON.parse(String(midEvent.params.json)).container.type, 11, 'podman');
  // (podman's cgroupfs layout: sysdig, and scry reading, leave such threads on the host; the cgroups are there)
  const inside = c.events.find((e) => e.name === 'execve' && !e.enter && e.params.comm === 'cat' &&
    containerOf(String(e.params.cgroups ?? '').split('\0'))?.id === id);
  t.ok(inside, 'the exec inside the container carries its cgroups');
  if (child_process.spawnSync('sh', ['-c', 'command -v sysdig'], { stdio: 'ignore' }).status === 0) {
    // (sysdig 0.29.3's own container attribution of such files varies from run to run; only its reading is checked)
    const r = child_process.spawnSync('sysdig', ['-r', out], { stdio: 'ignore' });
    t.equal(r.status, 0, 'sysdig reads it (runc\'s execveat included)');
  }
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
