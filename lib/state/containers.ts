// Container identity from cgroup paths, and container records from the
// container events a capture carries.

import type { ContainerInfo, ContainerProbe } from './view';
import { asBoolean, asString, asUInt32, isStringLike, JsonLogicError, JsonObject, JsonValue, member, memberNames, parseJsoncpp } from './jsoncpp';

// How sysdig 0.29.3 tells a thread's container from its cgroups when it reads
// a capture: its container engines, tried in their order (podman, docker,
// cri, lxc, libvirt-lxc, bpm), each over all of the thread's cgroups. The
// runc-style engines look for `<prefix><64 hex id><suffix>` at the end of a
// cgroup path (libsinsp's match_one_container_id, quirks included: the hex
// check only covers characters before absolute offset 64, and upper-case hex
// is accepted); the id is the first 12 characters as written.
//
// podman and docker also put a stand-in container in the table when the
// capture has no container event for the id yet (docker_base::resolve_impl
// without OS queries): type and id, privileged false, no name or image.
// cri only names the id: sysdig reading a file has no CRI client, so no
// container record. lxc, libvirt-lxc and bpm add a container named after its
// id. (mesos and rkt, which need the task environment or rkt's own files,
// are not recognized.)

interface RuncLayout { prefix: string; suffix: string }

const PODMAN_LAYOUT: RuncLayout[] = [{ prefix: '/libpod-', suffix: '.scope' }];
const DOCKER_LAYOUT: RuncLayout[] = [{ prefix: '/', suffix: '' }, { prefix: '/docker-', suffix: '.scope' }];
const CRI_LAYOUT: RuncLayout[] = [
  { prefix: '/', suffix: '' }, { prefix: '/crio-', suffix: '' }, { prefix: '/cri-containerd-', suffix: '.scope' },
  { prefix: '/crio-', suffix: '.scope' }, { prefix: ':cri-containerd:', suffix: '' },
];

const ID_LENGTH = 64;
const REPORTED_ID_LENGTH = 12;

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** libsinsp's match_one_container_id: the short id when `path` ends with prefix, 64 id characters, suffix. */
export function matchRuncId(path: string, prefix: string, suffix: string): string | undefined {
  let start = path.lastIndexOf(prefix);
  if (start < 0) return undefined;
  start += prefix.length;
  const end = path.lastIndexOf(suffix); // "" is found at the end
  if (end < 0 || end - start !== ID_LENGTH) return undefined;
  // find_first_not_of(hex, start) < 64: compared with the absolute position
  for (let i = start; i < ID_LENGTH && i < path.length; i++) if (!isHexCode(path.charCodeAt(i))) return undefined;
  return path.slice(start, start + REPORTED_ID_LENGTH);
}

/** The path part of a "subsys=path" cgroup entry. */
function cgroupPath(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

function matchRunc(cgroups: readonly string[], layouts: RuncLayout[]): string | undefined {
  for (const entry of cgroups) {
    const p = cgroupPath(entry);
    if (p.length < ID_LENGTH) continue; // too short to end with an id (most host cgroups)
    for (const l of layouts) {
      const id = matchRuncId(p, l.prefix, l.suffix);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** The component starting at `from`, up to the next '/' (or the end). */
function componentAt(p: string, from: number): string {
  const end = p.indexOf('/', from);
  return end < 0 ? p.slice(from) : p.slice(from, end);
}

function matchLxc(cgroups: readonly string[]): string | undefined {
  for (const entry of cgroups) {
    const p = cgroupPath(entry);
    for (const marker of ['/lxc/', '/lxc.payload/']) {
      const pos = p.indexOf(marker);
      if (pos >= 0) return componentAt(p, pos + marker.length);
    }
  }
  return undefined;
}

function matchLibvirtLxc(cgroups: readonly string[]): string | undefined {
  for (const entry of cgroups) {
    const p = cgroupPath(entry);
    // non-systemd: .../<id>.libvirt-lxc
    let pos = p.indexOf('.libvirt-lxc');
    if (pos >= 0 && pos === p.length - '.libvirt-lxc'.length) {
      const slash = p.lastIndexOf('/');
      if (slash >= 0) return p.slice(slash + 1, pos);
    }
    // systemd: ...-lxc\x2d<id>.scope (the id starts one character past "-lxc\x2")
    pos = p.indexOf('-lxc\\x2');
    if (pos >= 0) {
      const scope = p.indexOf('.scope');
      if (scope >= 0 && scope === p.length - '.scope'.length) return p.slice(pos + 8, scope);
    }
    // legacy: /libvirt/lxc/<id>
    pos = p.indexOf('/libvirt/lxc/');
    if (pos >= 0) return p.slice(pos + '/libvirt/lxc/'.length);
  }
  return undefined;
}

const BPM_ID = /^[A-Za-z0-9._-]+$/;

function matchBpm(cgroups: readonly string[]): string | undefined {
  for (const entry of cgroups) {
    const p = cgroupPath(entry);
    const pos = p.indexOf('bpm-');
    if (pos < 0) continue;
    const scope = p.indexOf('.scope', pos + 4);
    const id = scope < 0 ? p.slice(pos + 4) : p.slice(pos + 4, scope);
    if (id !== '' && BPM_ID.test(id)) return id;
  }
  return undefined;
}

/** A thread's container as sysdig resolves it from cgroups: its id, and what to record when the table has none. */
export interface CgroupContainer {
  id: string;
  /** Type and name of the record sysdig adds when none is known for the id (undefined: none, as for cri). */
  standIn?: { type: string; name: string };
  /**
   * podman and docker: when the table already holds the id from a container
   * event whose lookup failed, the engine names the id but lets the engines
   * after it try (docker_base::resolve_impl claims a known container only
   * when its metadata is complete).
   */
  yieldsOnFailedLookup?: boolean;
}

/** The record sysdig adds for a container known only from cgroups: privileged false, no image. */
export function standInContainer(id: string, s: { type: string; name: string }): ContainerInfo {
  return {
    id, name: s.name, image: '', imageId: '', imageRepo: '', imageTag: '', imageDigest: '', type: s.type,
    privileged: false, labels: new Map(), mounts: [], ip: '',
  };
}

const standIn = (id: string, type: string, name: string): CgroupContainer => ({ id, standIn: { type, name } });
const runcStandIn = (id: string, type: string): CgroupContainer => ({ id, standIn: { type, name: '' }, yieldsOnFailedLookup: true });

// Threads mostly share a few cgroup lists (all of a process's threads, most
// of a host's processes): answers are kept by the list's text.
const byCgroups = new Map<string, readonly CgroupContainer[]>();
const MAX_CACHED = 4096;
const NONE: readonly CgroupContainer[] = [];

/**
 * What each container engine that recognizes these "subsys=path" cgroups
 * makes of them, in sysdig's engine order, up to the first that always
 * claims the thread (lxc, libvirt-lxc, bpm); empty for the host. Each engine
 * in turn names the id; the thread's container is the first claimed (see
 * CgroupContainer), or else the last id named. (The list is shared: not to
 * be changed.)
 */
export function containerEnginesFromCgroups(cgroups: readonly string[]): readonly CgroupContainer[] {
  if (cgroups.length === 0) return NONE;
  const key = cgroups.length === 1 ? cgroups[0] : cgroups.join('\n');
  let r = byCgroups.get(key);
  if (r === undefined) {
    r = resolveCgroups(cgroups);
    if (byCgroups.size < MAX_CACHED) byCgroups.set(key, r);
  }
  return r;
}

/**
 * Walks the engines' matches as sysdig's engines run: each names the id,
 * until one claims the thread (cri never does; podman and docker not when
 * `failedLookup` says the table holds the id with a failed lookup). Returns
 * the thread's container id ('' for the host) and the claiming match.
 */
export function claimContainer(engines: readonly CgroupContainer[], failedLookup: (id: string) => boolean):
  { id: string; claimed: CgroupContainer | undefined } {
  let id = '';
  for (const e of engines) {
    id = e.id;
    if (e.standIn === undefined || (e.yieldsOnFailedLookup && failedLookup(e.id))) continue;
    return { id, claimed: e };
  }
  return { id, claimed: undefined };
}

const noFailedLookup = (): boolean => false;

/** The container of a thread with these cgroups when the table holds no failed lookup; undefined for the host. */
export function containerFromCgroups(cgroups: readonly string[]): CgroupContainer | undefined {
  const r = claimContainer(containerEnginesFromCgroups(cgroups), noFailedLookup);
  return r.claimed ?? (r.id !== '' ? { id: r.id } : undefined);
}

function resolveCgroups(cgroups: readonly string[]): readonly CgroupContainer[] {
  const chain: CgroupContainer[] = [];
  let id = matchRunc(cgroups, PODMAN_LAYOUT);
  if (id !== undefined) chain.push(runcStandIn(id, 'podman'));
  id = matchRunc(cgroups, DOCKER_LAYOUT);
  if (id !== undefined) chain.push(runcStandIn(id, 'docker'));
  // cri names the id but never claims the thread (sysdig reading a file has no CRI client)
  id = matchRunc(cgroups, CRI_LAYOUT);
  if (id !== undefined) chain.push({ id });
  id = matchLxc(cgroups);
  if (id !== undefined) return [...chain, standIn(id, 'lxc', id)];
  id = matchLibvirtLxc(cgroups);
  if (id !== undefined) return [...chain, standIn(id, 'libvirt-lxc', id)];
  id = matchBpm(cgroups);
  if (id !== undefined) return [...chain, standIn(id, 'bpm', id)];
  return chain.length === 0 ? NONE : chain;
}

/** Short container id found in a thread's cgroups, or '' for the host (see containerFromCgroups). */
export function containerIdFromCgroups(cgroups: readonly string[]): { id: string } {
  return { id: containerFromCgroups(cgroups)?.id ?? '' };
}

/** Container type numbers of the container events (sinsp_container_type), by name. */
const TYPE_NAMES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

/** A container event's JSON as sysdig 0.29.3 takes it: a record, or why its run ends there. */
export type ContainerJsonResult =
  | { info: ContainerInfo; successful: boolean }
  /** jsoncpp's Reader refused the text: sysdig throws a sinsp_exception naming it. */
  | { invalid: true }
  /** a value of the wrong type for jsoncpp (labels not an object...), or nesting past its limit: sysdig stops without a word. */
  | { logicError: string };

/**
 * Parses the JSON of a container event (its parameter's bytes, as a byte
 * string) as sysdig's parse_container_json_evt does: each member taken only
 * when jsoncpp converts it to the type wanted, defaults otherwise; strings
 * stay byte strings.
 */
export function containerFromJson(bytes: string): ContainerJsonResult {
  try {
    const root = parseJsoncpp(bytes);
    if (root === undefined) return { invalid: true };
    return containerFromRoot(root);
  } catch (e) {
    if (e instanceof JsonLogicError) return { logicError: e.message };
    throw e;
  }
}

function containerFromRoot(root: JsonValue): { info: ContainerInfo; successful: boolean } {
  // root["container"] on a non-const root: a null root becomes an object, other non-objects throw
  if (root !== null && !(root instanceof JsonObject)) throw new JsonLogicError('in Json::Value::resolveReference(): requires objectValue');
  const c = root === null ? null : member(root, 'container');
  const str = (k: string): string => { const v = member(c, k); return isStringLike(v) ? asString(v) : ''; };
  const typeCode = asUInt32(member(c, 'type'));
  const privileged = asBoolean(member(c, 'privileged'));
  // lookup states: STARTED (0, which cannot finish in a file: taken as
  // FAILED), SUCCESSFUL (1, also for a missing or unknown state), FAILED (2)
  const lookup = asUInt32(member(c, 'lookup_state'));
  const mounts: ContainerInfo['mounts'] = [];
  const m = member(c, 'Mounts');
  if (Array.isArray(m)) {
    for (const one of m) {
      const s = (k: string): string => { const v = member(one, k); return typeof v === 'string' ? v : ''; };
      const rw = member(one, 'RW');
      mounts.push({ source: s('Source'), dest: s('Destination'), mode: s('Mode'), rw: rw === true, propagation: s('Propagation') });
    }
  }
  // port mappings show in no field, but sysdig reads each one's members:
  // an element that is neither an object nor null stops it (jsoncpp throws)
  const ports = member(c, 'port_mappings');
  if (Array.isArray(ports)) for (const one of ports) member(one, 'HostIp');
  const probes: ContainerProbe[] = [];
  for (const kind of PROBE_KINDS) {
    const p = member(c, kind);
    if (!(p instanceof JsonObject)) continue;
    const exe = member(p, 'exe');
    if (!isStringLike(exe)) continue;
    const args: string[] = [];
    const a = member(p, 'args');
    if (Array.isArray(a)) for (const x of a) if (x === null || isStringLike(x)) args.push(asString(x));
    probes.push({ kind, exe: asString(exe), args });
  }
  const labels = new Map<string, string>();
  const l = member(c, 'labels');
  for (const k of memberNames(l)) labels.set(k, asString(member(l, k)));
  const info: ContainerInfo = {
    id: str('id'), name: str('name'), image: str('image'), imageId: str('imageid'), imageRepo: str('imagerepo'),
    imageTag: str('imagetag'), imageDigest: str('imagedigest'), type: typeCode === undefined ? '' : containerTypeName(typeCode),
    privileged: privileged ?? false, labels, mounts, ip: str('ip'), probes,
  };
  return { info, successful: lookup !== 0 && lookup !== 2 };
}

/** Health probe kinds, in the order sysdig looks for them in a container's JSON. */
const PROBE_KINDS = ['None', 'Healthcheck', 'LivenessProbe', 'ReadinessProbe'] as const;

/** The type number the container events give a runtime's name ('docker', 'cri-o', ...). */
export function containerTypeNumber(name: string): number {
  return TYPE_NAMES.indexOf(name);
}

/** A container event's type number as its name ('docker', 'cri-o', ...); numbers sysdig does not know stay as text. */
export function containerTypeName(code: unknown): string {
  return (typeof code === 'number' ? TYPE_NAMES[code] : undefined) ?? String(code ?? '');
}
