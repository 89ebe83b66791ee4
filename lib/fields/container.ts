// container.* fields, from the container events a capture carries.

import { PF, PT } from '../schema/types';
import type { ContainerInfo } from '../state/view';
import { ArgMode, EvalContext } from './types';
import { FieldClassX, FieldDefX, ParseResult, byName, defineField, parseInt32Strict, simple } from './def';
import { globMatch } from './glob';

type Mount = ContainerInfo['mounts'][number];

function info(c: EvalContext): { id: string; ci: ContainerInfo | undefined } | undefined {
  const t = c.state.thread;
  if (!t) return undefined;
  return { id: t.containerId, ci: t.containerId === '' ? undefined : c.state.containers.get(t.containerId) };
}

const TYPE_TEXT: Record<string, string> = {
  docker: 'docker', lxc: 'lxc', 'libvirt-lxc': 'libvirt-lxc', mesos: 'mesos', cri: 'cri',
  containerd: 'containerd', 'cri-o': 'cri-o', rkt: 'rkt', bpm: 'bpm',
};

const DOCKER_COMPATIBLE = new Set(['docker', 'cri', 'containerd', 'cri-o', 'podman']);

function mountText(m: Mount): string {
  return `${m.source}:${m.dest}:${m.mode}:${m.rw ? 'true' : 'false'}:${m.propagation}`;
}

/** A mount by index ("[2]" → 2) or by a glob over its source (or destination for container.mount.source). */
function findMount(ci: ContainerInfo, idx: number, pattern: string, byDest: boolean): Mount | undefined {
  if (idx !== -1) return idx >= 0 && idx < ci.mounts.length ? ci.mounts[idx] : undefined;
  for (const m of ci.mounts) if (globMatch(pattern, byDest ? m.dest : m.source)) return m;
  return undefined;
}

/** The command line of a container's first probe of a kind (exe and args, space separated), or NONE. */
function probeText(ci: ContainerInfo, kind: string): string {
  const p = ci.probes?.find((x) => x.kind === kind);
  if (!p) return 'NONE';
  let s = p.exe;
  for (const a of p.args) s += ' ' + a;
  return s;
}

function strField(name: string, desc: string, get: (ci: ContainerInfo) => string, hostValue?: string): FieldDefX {
  return simple(name, PT.CHARBUF, PF.NA, desc, (c) => {
    const x = info(c);
    if (!x) return undefined;
    if (x.id === '') return hostValue;
    if (!x.ci) return undefined;
    const v = get(x.ci);
    return v === '' ? undefined : v;
  });
}

function mountField(name: string, desc: string, part: (m: Mount) => string, byDest: boolean): FieldDefX {
  return defineField({
    name, type: PT.CHARBUF, fmt: PF.NA, desc, arg: ArgMode.REQUIRED_INDEX,
    compile: (arg) => {
      const inner = arg ?? '';
      const n = parseInt32Strict(inner);
      const idx = n === undefined ? -1 : n;
      return {
        extract: (c) => {
          const x = info(c);
          if (!x || x.id === '' || !x.ci) return undefined;
          const m = findMount(x.ci, idx, inner, byDest);
          return m ? part(m) : undefined;
        },
      };
    },
  });
}

function probeField(name: string, desc: string, key: string): FieldDefX {
  return simple(name, PT.CHARBUF, PF.NA, desc, (c) => {
    const x = info(c);
    if (!x || x.id === '' || !x.ci) return undefined;
    return probeText(x.ci, key);
  });
}

const FIELDS: FieldDefX[] = [
  simple('container.id', PT.CHARBUF, PF.NA, 'id of the container, \'host\' outside containers.', (c) => {
    const x = info(c);
    return x ? (x.id === '' ? 'host' : x.id) : undefined;
  }),
  strField('container.name', 'name of the container, \'host\' outside containers.', (ci) => ci.name, 'host'),
  strField('container.image', 'image of the container, such as falcosecurity/falco:latest.', (ci) => ci.image),
  strField('container.image.id', 'id of the container image, such as 6f7e2741b66b.', (ci) => ci.imageId),
  defineField({
    name: 'container.type', type: PT.CHARBUF, fmt: PF.NA, desc: 'kind of container runtime, such as docker or rkt.',
    compile: () => {
      let last = '';
      return {
        extract: (c) => {
          const x = info(c);
          if (!x) return undefined;
          if (x.id === '') last = 'host';
          else if (!x.ci) return undefined;
          else {
            const t = TYPE_TEXT[x.ci.type];
            if (t !== undefined) last = t; // other runtimes: sysdig repeats its previous text
          }
          return last;
        },
      };
    },
  }),
  simple('container.privileged', PT.BOOL, PF.NA, 'true for containers running privileged, false otherwise.', (c) => {
    const x = info(c);
    if (!x || x.id === '' || !x.ci || !DOCKER_COMPATIBLE.has(x.ci.type)) return undefined;
    return x.ci.privileged === true;
  }),
  simple('container.mounts', PT.CHARBUF, PF.NA,
    'every mount of the container, comma separated, each as <source>:<dest>:<mode>:<rdrw>:<propagation>.', (c) => {
      const x = info(c);
      if (!x || x.id === '' || !x.ci) return undefined;
      return x.ci.mounts.map(mountText).join(',');
    }),
  mountField('container.mount',
    'one mount of the container, by position (container.mount[0]) or by a source path or glob (container.mount[/usr/local/*]), as <source>:<dest>:<mode>:<rdrw>:<propagation>.',
    mountText, false),
  mountField('container.mount.source', 'source of one mount, picked by position (container.mount.source[0]) or by destination path or glob.',
    (m) => m.source, true),
  mountField('container.mount.dest', 'destination of one mount, picked by position (container.mount.dest[0]) or by source path or glob.',
    (m) => m.dest, false),
  mountField('container.mount.mode', 'mode of one mount, picked by position (container.mount.mode[0]) or by source path or glob.',
    (m) => m.mode, false),
  mountField('container.mount.rdwr', 'read/write flag of one mount, picked by position (container.mount.rdwr[0]) or by source path or glob.',
    (m) => (m.rw ? 'true' : 'false'), false),
  mountField('container.mount.propagation', 'propagation of one mount, picked by position (container.mount.propagation[0]) or by source path or glob.',
    (m) => m.propagation, false),
  strField('container.image.repository', 'repository of the container image, such as falcosecurity/falco.', (ci) => ci.imageRepo),
  strField('container.image.tag', 'tag of the container image, such as stable or latest.', (ci) => ci.imageTag),
  strField('container.image.digest', 'registry digest of the container image, such as sha256:d977...', (ci) => ci.imageDigest),
  probeField('container.healthcheck', 'health check command line of the container; \'NONE\' when it has none.', 'Healthcheck'),
  probeField('container.liveness_probe', 'liveness probe command line of the container; \'NONE\' when it has none.', 'LivenessProbe'),
  probeField('container.readiness_probe', 'readiness probe command line of the container; \'NONE\' when it has none.', 'ReadinessProbe'),
];

function bracketArg(text: string, pos: number, from: number): { arg: string; end: number } {
  const start = text.indexOf('[', from);
  if (start < 0) throw new Error('filter syntax error: ' + text.slice(pos));
  const end = text.indexOf(']', start);
  if (end < 0) throw new Error('filter syntax error: ' + text.slice(pos));
  return { arg: text.slice(start + 1, end), end: end + 1 };
}

export const CONTAINER: FieldClassX = {
  name: 'container',
  desc: 'The container the event happened in. Outside containers, both the id and the name are \'host\'.',
  fields: FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    const base = pos + 16; // just past 'container.mount.'
    if (text.startsWith('container.mount.', pos)) {
      let name: string | undefined;
      for (const sub of ['source', 'dest', 'mode', 'rdwr', 'propagation']) {
        if (text.startsWith(sub, base)) { name = 'container.mount.' + sub; break; }
      }
      if (!name) throw new Error('filter syntax error: ' + text.slice(pos));
      const a = bracketArg(text, pos, base);
      return { def: byName(FIELDS, name), arg: a.arg, end: a.end };
    }
    if (text.startsWith('container.mount', pos) && text[pos + 15] !== 's') {
      const a = bracketArg(text, pos, pos + 15);
      return { def: byName(FIELDS, 'container.mount'), arg: a.arg, end: a.end };
    }
    return null;
  },
};
