// Containers of a live capture (at its start, and as they appear): their ids from the cgroup paths
// of the processes (docker, containerd/CRI, cri-o and podman layouts, cgroup
// v1 and v2, cgroupfs and systemd drivers), their name, image and labels
// from a Docker-compatible API when one answers on a local socket (docker,
// podman), written as container events (CONTAINER_JSON_2_E, the record
// sysdig and libs write for each container at the start of a capture).

import * as fs from 'fs';
import * as http from 'http';
import { ScapEvent } from '../event/event';
import { ThreadRecord } from '../event/records';
import { EVENTS } from '../schema/events';
import { containerTypeNumber } from '../state/containers';
import { forEachBlock } from './scap-writer';

/** The runtimes whose layouts are recognized (type names of lib/state/containers.ts). */
export type RuntimeName = 'docker' | 'containerd' | 'cri-o' | 'podman';

interface Layout { runtime: RuntimeName; re: RegExp }

// Each pattern's first group is the 64-hex id, found in the last component
// that names a container (nested cgroups below it are ignored).
const LAYOUTS: Layout[] = [
  // systemd driver: .../docker-<id>.scope, .../cri-containerd-<id>.scope, .../crio-<id>.scope, .../libpod-<id>.scope
  { runtime: 'docker', re: /(?:^|\/)docker-([0-9a-f]{64})\.scope(?:\/|$)/ },
  { runtime: 'containerd', re: /(?:^|\/)cri-containerd-([0-9a-f]{64})\.scope(?:\/|$)/ },
  { runtime: 'cri-o', re: /(?:^|\/)crio-([0-9a-f]{64})\.scope(?:\/|$)/ },
  { runtime: 'podman', re: /(?:^|\/)libpod-([0-9a-f]{64})\.scope(?:\/|$)/ },
  // cgroupfs driver: /docker/<id>, /libpod_parent/libpod-<id>, /crio-<id>, kubepods/.../<id>
  { runtime: 'podman', re: /(?:^|\/)libpod-([0-9a-f]{64})(?:\/|$)/ },
  { runtime: 'cri-o', re: /(?:^|\/)crio-([0-9a-f]{64})(?:\/|$)/ },
  { runtime: 'docker', re: /(?:^|\/)docker\/([0-9a-f]{64})(?:\/|$)/ },
  { runtime: 'containerd', re: /(?:^|\/)kubepods[^/]*(?:\/[^/]+)*?\/([0-9a-f]{64})(?:\/|$)/ },
];

export interface ContainerRef { id: string; runtime: RuntimeName }

/** The container a thread runs in, from its "subsys=path" cgroups; undefined on the host. */
export function containerOf(cgroups: readonly string[]): ContainerRef | undefined {
  for (const entry of cgroups) {
    const eq = entry.indexOf('=');
    const p = eq >= 0 ? entry.slice(eq + 1) : entry;
    if (p.includes('conmon')) continue; // podman's monitor process, not the container
    for (const l of LAYOUTS) {
      const m = l.re.exec(p);
      if (m) return { id: m[1], runtime: l.runtime };
    }
  }
  return undefined;
}

/** Containers of a process table: full id -> runtime and the threads in it. */
export function containersOf(threads: Iterable<ThreadRecord>): Map<string, { runtime: RuntimeName; tids: number[] }> {
  const out = new Map<string, { runtime: RuntimeName; tids: number[] }>();
  for (const t of threads) {
    const c = containerOf(t.cgroups);
    if (!c) continue;
    const e = out.get(c.id);
    if (e) e.tids.push(t.tid); else out.set(c.id, { runtime: c.runtime, tids: [t.tid] });
  }
  return out;
}

export interface ContainerMeta {
  name?: string;
  image?: string;
  imageId?: string;
  imageDigest?: string;
  labels?: Record<string, string>;
  privileged?: boolean;
  ip?: string;
  created?: number;
  mounts?: { Source: string; Destination: string; Mode: string; RW: boolean; Propagation: string }[];
}

/** Docker-compatible API sockets to try (DOCKER_HOST first, then the usual places). */
export function apiSockets(): string[] {
  const out: string[] = [];
  const dh = process.env.DOCKER_HOST;
  if (dh && dh.startsWith('unix://')) out.push(dh.slice(7));
  for (const p of (process.env.SCRY_CONTAINER_SOCKETS ?? '').split(':')) if (p) out.push(p);
  out.push('/var/run/docker.sock', '/run/podman/podman.sock', '/var/run/podman/podman.sock');
  return [...new Set(out)].filter((p) => { try { return fs.statSync(p).isSocket(); } catch { return false; } });
}

function getJson(socketPath: string, urlPath: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        if (res.statusCode !== 200) { resolve(undefined); return; }
        try { resolve(JSON.parse(body)); } catch { resolve(undefined); }
      });
    });
    req.on('timeout', () => { req.destroy(); resolve(undefined); });
    req.on('error', () => resolve(undefined));
  });
}

/** Name, image and labels of a container from the first API socket that knows it. */
export async function inspect(id: string, sockets = apiSockets(), timeoutMs = 500): Promise<ContainerMeta | undefined> {
  for (const s of sockets) {
    const j = await getJson(s, `/v1.40/containers/${id}/json`, timeoutMs) as Record<string, any> | undefined;
    if (!j || typeof j !== 'object') continue;
    const cfg = (j.Config ?? {}) as Record<string, any>;
    const net = (j.NetworkSettings ?? {}) as Record<string, any>;
    const image = typeof cfg.Image === 'string' ? cfg.Image : (j.ImageName as string | undefined);
    const imageId = typeof j.Image === 'string' ? j.Image.replace(/^sha256:/, '') : undefined;
    return {
      name: typeof j.Name === 'string' ? j.Name.replace(/^\//, '') : undefined,
      image,
      imageId,
      imageDigest: Array.isArray(j.RepoDigests) && j.RepoDigests[0] ? String(j.RepoDigests[0]).split('@')[1] : undefined,
      labels: cfg.Labels && typeof cfg.Labels === 'object' ? cfg.Labels : undefined,
      privileged: j.HostConfig && typeof j.HostConfig.Privileged === 'boolean' ? j.HostConfig.Privileged : undefined,
      ip: typeof net.IPAddress === 'string' ? net.IPAddress : undefined,
      created: typeof j.Created === 'string' ? Math.floor(Date.parse(j.Created) / 1000) : undefined,
      mounts: Array.isArray(j.Mounts) ? j.Mounts.map((m: Record<string, unknown>) => ({
        Source: String(m.Source ?? ''), Destination: String(m.Destination ?? ''), Mode: String(m.Mode ?? ''),
        RW: Boolean(m.RW), Propagation: String(m.Propagation ?? ''),
      })) : undefined,
    };
  }
  return undefined;
}

/** "repo[:tag][@digest]" split as the container JSON stores it. */
function splitImage(image: string): { repo: string; tag: string } {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { repo: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repo: noDigest, tag: at >= 0 ? '' : 'latest' };
}

/** The container JSON (the schema's container event payload). */
export function containerJson(id: string, runtime: RuntimeName, meta?: ContainerMeta): string {
  const image = meta?.image ?? '';
  const { repo, tag } = image ? splitImage(image) : { repo: '', tag: '' };
  return JSON.stringify({
    container: {
      id: id.slice(0, 12),
      full_id: id,
      type: containerTypeNumber(runtime),
      name: meta?.name ?? id.slice(0, 12),
      image,
      imageid: meta?.imageId ?? '',
      imagerepo: repo,
      imagetag: tag,
      imagedigest: meta?.imageDigest ?? '',
      privileged: meta?.privileged ?? false,
      is_pod_sandbox: false,
      lookup_state: meta ? 1 : 2,
      created_time: meta?.created ?? 0,
      Mounts: meta?.mounts ?? [],
      ip: meta?.ip || '0.0.0.0',
      port_mappings: [],
      labels: meta?.labels ?? {},
      env: [],
      memory_limit: 0,
      swap_limit: 0,
      cpu_shares: 1024,
      cpu_quota: 0,
      cpu_period: 100000,
      cpuset_cpu_count: 0,
      metadata_deadline: 0,
    },
  });
}

export const CONTAINER_JSON_2_E = 324;

/**
 * A CONTAINER_JSON_2_E record (a large-payload event: u32 parameter length)
 * with the given timestamp (ns since the epoch), thread -1.
 */
export function containerEvent(json: string, tsNs: bigint): Buffer {
  const body = Buffer.from(json + '\0', 'utf8');
  const len = 26 + 4 + body.length;
  const b = Buffer.alloc(len);
  b.writeBigUInt64LE(tsNs, 0);
  b.writeBigInt64LE(-1n, 8);
  b.writeUInt32LE(len, 16);
  b.writeUInt16LE(CONTAINER_JSON_2_E, 20);
  b.writeUInt32LE(1, 22);
  b.writeUInt32LE(body.length, 26);
  body.copy(b, 30);
  return b;
}

/** Exit events that carry their thread's cgroups (clone, fork, vfork, execve and kin). */
const CGROUP_EXITS = new Uint8Array(EVENTS.length);
EVENTS.forEach((e, i) => { if (e && !e.enter && e.params.some((p) => p.name === 'cgroups')) CGROUP_EXITS[i] = 1; });

/**
 * Containers that appear while a capture runs. The clone and execve exits
 * carry their thread's cgroups; an id not met before gets a container event,
 * as sysdig adds containers while capturing. With no runtime API here the
 * event is ready at once, stamped with the exit that revealed the container,
 * and goes before it; otherwise it is ready when the API has answered (the
 * threads read until then as a container not yet described, as in sysdig).
 */
export class ContainerWatcher {
  private readonly ready: Buffer[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly ev = new ScapEvent();

  /**
   * `known`: container ids already described (the capture's own map, whose
   * entries receive what the API says), `clock`: ns since the epoch.
   */
  constructor(private readonly known: Map<string, ContainerMeta | undefined>, private readonly sockets: string[],
    private readonly clock: () => bigint) {}

  /** Looks at a batch of event blocks (before it is written). */
  scan(batch: Buffer): void {
    const ev = this.ev;
    forEachBlock(batch, (b, off, cpu) => {
      const type = b.readUInt16LE(off + 20);
      if (type >= CGROUP_EXITS.length || CGROUP_EXITS[type] === 0) return;
      ev.set(b, off, cpu, 0, 0);
      const i = ev.paramIndex('cgroups');
      if (i < 0) return;
      const c = containerOf(ev.bytes(i).toString('latin1').split('\0'));
      if (!c || this.known.has(c.id)) return;
      this.known.set(c.id, undefined);
      if (this.sockets.length === 0) { this.ready.push(containerEvent(containerJson(c.id, c.runtime), b.readBigUInt64LE(off))); return; }
      const p: Promise<void> = inspect(c.id, this.sockets).then((meta) => {
        this.known.set(c.id, meta);
        this.ready.push(containerEvent(containerJson(c.id, c.runtime, meta), this.clock()));
      }).finally(() => { this.pending.delete(p); });
      this.pending.add(p);
    });
  }

  /** Container events ready to be written, in the order they became ready. */
  take(): Buffer[] {
    return this.ready.length ? this.ready.splice(0) : NONE;
  }

  /** Waits for the API questions still open (each has its timeout). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

const NONE: Buffer[] = [];
