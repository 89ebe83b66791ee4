// A capture for one container JSON text: a thread inside a docker container
// (by its cgroup), then for each text a container event followed by one of
// the thread's syscalls, so that what sysdig made of the JSON shows in the
// container.* and k8s.* fields of the next line. Used by the container JSON
// goldens (fixtures/golden/container-json) and their test.

import { ScapWriter } from '../lib/writers/scap-writer';
import { E } from '../lib/schema/ids';
import { synthEvent } from './synth-event';

export const CONTAINER_FULL_ID = 'ab'.repeat(32);

/** The -p format the goldens print (container.type and .privileged are left out: see generate.ts). */
export const CONTAINER_JSON_FORMAT =
  '*%evt.num %evt.type %container.id %container.name %container.image %container.healthcheck %container.liveness_probe ' +
  '%container.mounts %k8s.pod.name %k8s.ns.name';

/** Writes the capture; `texts` are byte strings (one character per byte), each written with a NUL after it. */
export async function writeContainerJsonCapture(file: string, texts: readonly string[]): Promise<void> {
  const w = new ScapWriter(file);
  w.sink.machineInfo!({ numCpus: 1, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'golden' });
  w.sink.thread!({
    tid: 100, pid: 100, ptid: 1, sid: 100, vpgid: 100, pgid: -1, comm: 'sh', exe: 'sh', exepath: '/bin/sh', args: [], cwd: '/',
    fdlimit: 1024, flags: 0, uid: 0, gid: 0, vmsizeKb: 1, vmrssKb: 1, vmswapKb: 0, pfmajor: 0, pfminor: 0, env: [], vtid: 100, vpid: 100,
    cgroups: ['cpu=/docker/' + CONTAINER_FULL_ID], root: '/', loginuid: 0, tty: 0,
  });
  let ts = 1600000000000000000n, n = 0;
  w.writeEvent(synthEvent(E.SYSCALL_GETUID_E, [], 100, ts += 1000n, ++n));
  for (const text of texts) {
    w.writeEvent(synthEvent(E.CONTAINER_JSON_E, [Buffer.from(text + '\0', 'latin1')], -1, ts += 1000n, ++n));
    w.writeEvent(synthEvent(E.SYSCALL_GETUID_E, [], 100, ts += 1000n, ++n));
  }
  await w.close();
}
