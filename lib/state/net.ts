// Address and socket-tuple text as sysdig prints it (fd names, tuples).

import * as fs from 'fs';
import { cString } from '../util/bytes';

/** Dotted quad of 4 bytes at b[o]. */
export function ipv4ToString(b: Buffer, o = 0): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

const groups = new Uint16Array(8);

/** IPv6 text as glibc's inet_ntop writes it (longest zero run of 2+ groups compressed, ::ffff:a.b.c.d mapped form). */
export function ipv6ToString(b: Buffer, o = 0): string {
  const g = groups;
  for (let i = 0; i < 8; i++) g[i] = (b[o + 2 * i] << 8) | b[o + 2 * i + 1];
  let bestStart = -1, bestLen = 0, curStart = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (curStart < 0) { curStart = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestLen = curLen; bestStart = curStart; }
    } else curStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  // Embedded IPv4 for ::ffff:x (mapped) and ::x (compatible, if 6 zero groups then nonzero) forms.
  const embedded = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff));
  let out = '';
  let sep = false; // the text ends with a group: the next one needs a ':'
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
      if (i === bestStart) { out += '::'; sep = false; }
      continue;
    }
    if (sep) out += ':';
    if (i === 6 && embedded) return out + ipv4ToString(b, o + 12);
    out += g[i].toString(16);
    sep = true;
  }
  return out;
}

/** sysdig's is_ipv4_mapped_ipv6: ::ffff:a.b.c.d, and also the all-zero address. */
export function isIpv4MappedIpv6(b: Buffer, o = 0): boolean {
  for (let i = 0; i < 10; i++) if (b[o + i] !== 0) return false;
  if (b[o + 10] === 0xff && b[o + 11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (b[o + i] !== 0) return false;
  return true;
}

/** scap l4 protocol codes. */
export const enum L4 { UNKNOWN = 0, NA = 1, TCP = 2, UDP = 3, ICMP = 4, RAW = 5 }

/** PPM_AF_* family codes carried in sockaddr/socktuple params. */
export const enum AF { UNSPEC = 0, UNIX = 1, INET = 2, INET6 = 10, NETLINK = 16 }

// -R: ports are shown by their service names (/etc/services), as sysdig's
// port_to_string does with getservbyport: for the socket's transport (tcp,
// udp; any for others), the number when the port has no name.
let resolvePorts = false;
let services: { byProto: Map<string, string>; any: Map<number, string> } | undefined;

export function setPortResolution(on: boolean): void { resolvePorts = on; }

function loadServices(): NonNullable<typeof services> {
  const byProto = new Map<string, string>(), any = new Map<number, string>();
  let text = '';
  try { text = fs.readFileSync('/etc/services', 'latin1'); } catch { /* no names then */ }
  for (const line of text.split('\n')) {
    const m = /^([^\s#]+)\s+(\d+)\/(\w+)/.exec(line);
    if (!m) continue;
    const port = Number(m[2]);
    const key = port + '/' + m[3];
    if (!byProto.has(key)) byProto.set(key, m[1]);
    if (!any.has(port)) any.set(port, m[1]);
  }
  return { byProto, any };
}

/** A port as sysdig prints it: its number, or with -R its service name for the transport (L4 code). */
export function portText(port: number, l4proto: number): string {
  if (!resolvePorts) return String(port);
  services ??= loadServices();
  const name = l4proto === L4.TCP ? services.byProto.get(port + '/tcp')
    : l4proto === L4.UDP ? services.byProto.get(port + '/udp') : services.any.get(port);
  return name ?? String(port);
}

export function hostPort(addr: Buffer, port: number, l4proto = 0): string {
  return (addr.length === 4 ? ipv4ToString(addr) : ipv6ToString(addr)) + ':' + portText(port, l4proto);
}

export function tupleString(sip: Buffer, sport: number, dip: Buffer, dport: number, l4proto = 0): string {
  return hostPort(sip, sport, l4proto) + '->' + hostPort(dip, dport, l4proto);
}

/** Hex of a little-endian u64 at b[o], without leading zeros (as %PRIx64). */
export function u64Hex(b: Buffer, o: number): string {
  const hi = b.readUInt32LE(o + 4), lo = b.readUInt32LE(o);
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
}

/** Drops characters outside printable ASCII, as sysdig's sanitize_string does. */
export function stripUnprintable(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return s.replace(/[^\x20-\x7e]+/g, '');
  }
  return s;
}

/** A PT_SOCKADDR parameter as sysdig prints it (also the name a bound socket gets). */
export function sockaddrText(b: Buffer, o: number, len: number, l4proto = 0): string {
  if (len === 0) return 'NULL';
  const fam = b[o];
  if (fam === AF.UNIX) return stripUnprintable(cString(b, o + 1, o + len));
  if (fam === AF.INET) {
    if (len !== 7) return 'INVALID IPv4';
    return ipv4ToString(b, o + 1) + ':' + portText(b.readUInt16LE(o + 5), l4proto);
  }
  if (fam === AF.INET6) {
    if (len !== 19) return 'INVALID IPv6';
    return ipv6ToString(b, o + 1) + ':' + portText(b.readUInt16LE(o + 17), l4proto);
  }
  return 'family ' + ((fam << 24) >> 24);
}

/** A PT_SOCKTUPLE parameter as sysdig prints it (also the name a connected socket gets). */
export function socktupleText(b: Buffer, o: number, len: number, l4proto = 0): string {
  if (len === 0) return 'NULL';
  const fam = b[o];
  if (fam === AF.INET) {
    if (len !== 13) return 'INVALID IPv4';
    return ipv4ToString(b, o + 1) + ':' + portText(b.readUInt16LE(o + 5), l4proto) + '->' + ipv4ToString(b, o + 7) + ':' +
      portText(b.readUInt16LE(o + 11), l4proto);
  }
  if (fam === AF.INET6) {
    if (len !== 37) return 'INVALID IPv6';
    const sport = portText(b.readUInt16LE(o + 17), l4proto), dport = portText(b.readUInt16LE(o + 35), l4proto);
    if (isIpv4MappedIpv6(b, o + 1) && isIpv4MappedIpv6(b, o + 19)) {
      return ipv4ToString(b, o + 13) + ':' + sport + '->' + ipv4ToString(b, o + 31) + ':' + dport;
    }
    return ipv6ToString(b, o + 1) + ':' + sport + '->' + ipv6ToString(b, o + 19) + ':' + dport;
  }
  if (fam === AF.UNIX) {
    if (len < 17) return '';
    return u64Hex(b, o + 1) + '->' + u64Hex(b, o + 9) + ' ' + stripUnprintable(cString(b, o + 17, o + len));
  }
  return 'family ' + ((fam << 24) >> 24);
}
