// Loading scry's BPF probe: finds the native addon and the committed object,
// fills the probe's configuration (settings and kernel offsets from BTF),
// loads and attaches it, and reads events and counters.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Btf, BtfError, NO_OFF, resolveKernelName } from './btf';
import { CpuCounters, loadNative, NativeModule, NativeProbe } from '../native/addon';
import { packageRoot } from '../util/package-root';
import { EVENTS } from '../schema/events';
import { EF } from '../schema/types';

export { loadNative };
export type { CpuCounters, NativeModule, NativeProbe };

export function defaultObjectPath(): string {
  return path.join(packageRoot(), 'native', 'bpf', 'probe.bpf.o');
}

export interface ProbeConfig {
  /** Bytes of read/write buffers kept (sysdig's -s). */
  snaplen: number;
  /** Process whose syscalls are never recorded (scry itself). */
  ownTgid: number;
  /** Record only the processes registered with track(). */
  filter: boolean;
  /** Per-CPU ring size in bytes (rounded up to a power of two of 1 MiB segments). */
  ringBytes: number;
  /** Epoch ns minus monotonic-clock ns: event timestamps are the monotonic clock plus this. */
  monoOffsetNs: bigint;
  /**
   * Write what sysdig 0.29.3 reads (for .scap files): syscalls the current
   * schema records with events newer than its table get the older event of
   * the same syscall, and generic events whose syscall code is past its table
   * (it crashes on those) carry code 0, the native number staying in
   * nativeID. Off: the current schema's events and codes throughout.
   */
  sysdigCompat: boolean;
  /**
   * Write enter events too (default). Off: exit events only, as current libs
   * drivers write (their exit events carry every parameter); about half the
   * cost, but sysdig 0.29.3 needs the enter events to follow fds.
   */
  enterEvents?: boolean;
}

/** Syscall codes sysdig 0.29.3 can name (PPM_SC_MAX of its libs). */
export const PPM_SC_MAX_0293 = 329;

export class ConfigError extends Error {}

/**
 * Values for every slot of the probe's scry_cfg[] array, in order.
 * Kernel names come from BTF; required ones that are missing are errors.
 */
export function resolveConfig(names: string[], btf: Btf, cfg: ProbeConfig): bigint[] {
  const settings: Record<string, bigint> = {
    mono_offset_ns: cfg.monoOffsetNs,
    own_tgid: BigInt(cfg.ownTgid),
    snaplen: BigInt(cfg.snaplen),
    filter: cfg.filter ? 1n : 0n,
    ring_segments: BigInt(ringSegments(cfg.ringBytes)),
    rss_old_layout: btf.hasStruct('mm_rss_stat') ? 1n : 0n,
    page_shift_kb: BigInt(Math.max(0, Math.round(Math.log2(pageSize())) - 10)),
    ppm_sc_limit: BigInt(cfg.sysdigCompat ? PPM_SC_MAX_0293 : 65536),
    sysdig_compat: cfg.sysdigCompat ? 1n : 0n,
    enter_events: cfg.enterEvents === false ? 0n : 1n,
  };
  const out: bigint[] = [];
  const missing: string[] = [];
  for (const raw of names) {
    if (raw.startsWith('cfg:')) {
      const v = settings[raw.slice(4)];
      if (v === undefined) throw new ConfigError(`probe asks for unknown setting ${raw}`);
      out.push(v);
      continue;
    }
    const optional = raw.startsWith('?');
    const spec = optional ? raw.slice(1) : raw;
    const v = resolveKernelName(btf, spec);
    if (v === undefined) {
      if (!optional) missing.push(spec);
      out.push(BigInt(NO_OFF));
    } else {
      out.push(BigInt(v));
    }
  }
  if (missing.length) throw new ConfigError(`the running kernel's BTF lacks ${missing.join(', ')}`);
  return out;
}

/** 1 MiB segments per CPU ring: a power of two, at least one. */
export function ringSegments(ringBytes: number): number {
  let n = 1;
  while (n < 1024 && n * (1 << 20) < ringBytes) n *= 2;
  return n;
}

export function pageSize(): number {
  // getconf is not needed: the ring buffer code only runs on 4 KiB-page x86_64 and arm64 kernels
  return os.arch() === 'x64' ? 4096 : 4096;
}

/** Boot time as ns since the epoch. */
export function bootOffsetNs(): bigint {
  const c = loadNative().Probe.clocks();
  return c.realtime - c.boottime;
}

/** What to add to the monotonic clock to get ns since the epoch. */
export function monoOffsetNs(): bigint {
  const c = loadNative().Probe.clocks();
  return c.realtime - c.monotonic;
}

export interface LoadedProbe {
  native: NativeProbe;
  cpus: number;
  programs: number;
  tails: number;
  warnings: string[];
  /** Verification time of each program, ms. */
  timings: Record<string, number>;
}

/**
 * For sysdig-compatible captures: per event type, the parameters sysdig
 * 0.29.3 knows. The probe writes exit events as current libs do, with the
 * parameters newer libs appended; the drain trims them, so the events have
 * 0.29.3's shape and every reader (sysdig, and scry, which follows current
 * libs' rules for events that carry more) treats them as 0.29.3 does.
 * 255: kept whole (types 0.29.3 does not know, and u32-length ones).
 */
export function sysdigParamLimits(): Uint8Array {
  const limits = new Uint8Array(65536).fill(255);
  for (let t = 0; t < EVENTS.length; t++) {
    const info = EVENTS[t];
    if (!info || info.sysdigParams === undefined || info.flags & EF.LARGE_PAYLOAD) continue;
    limits[t] = Math.min(254, info.sysdigParams);
  }
  return limits;
}

/** Opens, configures and loads the probe (not yet attached). */
export function loadProbe(cfg: ProbeConfig, objPath = defaultObjectPath(), btf?: Btf): LoadedProbe {
  const mod = loadNative();
  const native = new mod.Probe(objPath);
  try {
    const names = native.cfgNames();
    const values = resolveConfig(names, btf ?? Btf.load(), cfg);
    const buf = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => buf.writeBigUInt64LE(BigInt.asUintN(64, v), i * 8));
    native.setGlobal('scry_cfg', buf);
    const r = native.load({ ringSegments: ringSegments(cfg.ringBytes) });
    if (cfg.sysdigCompat) native.setParamLimits(sysdigParamLimits());
    return { native, cpus: r.cpus, programs: r.programs, tails: r.tails, warnings: r.warnings, timings: r.timings };
  } catch (e) {
    native.close();
    throw e;
  }
}

/**
 * What keeps live capture from working here, as one line, or undefined when
 * everything needed is present.
 */
export function checkCapabilities(): string | undefined {
  if (process.platform !== 'linux') return 'live capture needs Linux (eBPF)';
  if (os.arch() !== 'x64') return `live capture supports x86_64 only (this is ${os.arch()})`;
  const missing: string[] = [];
  const uid = process.getuid ? process.getuid() : 0;
  if (uid !== 0) {
    // CAP_BPF (39) and CAP_PERFMON (38) are enough without root
    let eff = 0n;
    try {
      const m = /CapEff:\s*([0-9a-f]+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (m) eff = BigInt('0x' + m[1]);
    } catch { /* treated as no capabilities */ }
    const has = (bit: number) => (eff >> BigInt(bit)) & 1n;
    if (!(has(39) && has(38)) && !has(21)) missing.push('root (or CAP_BPF and CAP_PERFMON)');
  }
  if (!fs.existsSync('/sys/kernel/btf/vmlinux')) missing.push('kernel BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)');
  try {
    const cfg = kernelConfig();
    if (cfg && !/^CONFIG_BPF_SYSCALL=y/m.test(cfg)) missing.push('BPF (CONFIG_BPF_SYSCALL)');
    if (cfg && !/^CONFIG_HAVE_SYSCALL_TRACEPOINTS=y/m.test(cfg)) missing.push('syscall tracepoints (CONFIG_HAVE_SYSCALL_TRACEPOINTS)');
  } catch { /* no config to read: the load itself will tell */ }
  if (missing.length) return 'live capture needs ' + missing.join(', ');
  return undefined;
}

function kernelConfig(): string | undefined {
  try {
    return require('zlib').gunzipSync(fs.readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    const p = `/boot/config-${os.release()}`;
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
  }
}

/** Turns a load/attach failure into one line saying what is missing. */
export function explainLoadError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof BtfError || e instanceof ConfigError) return msg;
  if (/EPERM|Operation not permitted/.test(msg)) return 'live capture needs root (or CAP_BPF and CAP_PERFMON): ' + firstLine(msg);
  if (/attaching to tracepoint/.test(msg)) return 'the kernel lacks a needed tracepoint: ' + firstLine(msg);
  if (/ENOSYS|Function not implemented/.test(msg)) return 'the kernel has no BPF support: ' + firstLine(msg);
  return firstLine(msg);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
