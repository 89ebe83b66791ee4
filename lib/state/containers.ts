// Container identity from cgroup paths, and container records from the
// container events a capture carries.

import type { ContainerInfo } from './view';

// Each layout: a cgroup path pattern whose first group is the 64-hex id.
const LAYOUTS: { type: string; re: RegExp }[] = [
  { type: 'docker', re: /\/docker[-/]([0-9a-f]{64})(?:\.scope)?(?:\/|$)/ },
  { type: 'cri-o', re: /\/crio-(?:conmon-)?([0-9a-f]{64})(?:\.scope)?(?:\/|$)/ },
  { type: 'containerd', re: /\/cri-containerd-([0-9a-f]{64})(?:\.scope)?(?:\/|$)/ },
  { type: 'podman', re: /\/libpod-(?:conmon-)?([0-9a-f]{64})(?:\.scope)?(?:\/|$)/ },
  { type: 'containerd', re: /\/kubepods[^ ]*\/(?:pod[^/]+\/)?([0-9a-f]{64})(?:\/|$)/ },
];

/** Short (12-char) container id found in a thread's cgroups, or '' for the host. */
export function containerIdFromCgroups(cgroups: readonly string[]): { id: string; type: string } {
  for (const entry of cgroups) {
    const eq = entry.indexOf('=');
    const path = eq >= 0 ? entry.slice(eq + 1) : entry;
    for (const l of LAYOUTS) {
      const m = l.re.exec(path);
      if (m) return { id: m[1].slice(0, 12), type: l.type };
    }
  }
  return { id: '', type: '' };
}

const TYPE_NAMES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

/** Parses the JSON of a container event; returns undefined when it is not one. */
export function containerFromJson(text: string): ContainerInfo | undefined {
  let j: { container?: Record<string, unknown> };
  try { j = JSON.parse(text); } catch { return undefined; }
  const c = j && j.container;
  if (!c || typeof c !== 'object') return undefined;
  const s = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : '');
  const labels = new Map<string, string>();
  if (c.labels && typeof c.labels === 'object') {
    for (const [k, v] of Object.entries(c.labels as Record<string, unknown>)) labels.set(k, String(v));
  }
  const mounts: ContainerInfo['mounts'] = [];
  if (Array.isArray(c.Mounts)) {
    for (const m of c.Mounts as Record<string, unknown>[]) {
      mounts.push({ source: String(m.Source ?? ''), dest: String(m.Destination ?? ''), mode: String(m.Mode ?? ''), rw: Boolean(m.RW), propagation: String(m.Propagation ?? '') });
    }
  }
  const typeNum = typeof c.type === 'number' ? c.type : -1;
  return {
    id: s('id'), name: s('name'), image: s('image'), imageId: s('imageid'), imageRepo: s('imagerepo'),
    imageTag: s('imagetag'), imageDigest: s('imagedigest'), type: TYPE_NAMES[typeNum] ?? String(c.type ?? ''),
    privileged: typeof c.privileged === 'boolean' ? c.privileged : undefined, labels, mounts, ip: s('ip'), json: c,
  };
}
