// Address and socket-tuple text as sysdig prints it (fd names, tuples).

/** Dotted quad of 4 bytes at b[o]. */
export function ipv4ToString(b: Buffer, o = 0): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** IPv6 text as glibc's inet_ntop writes it (longest zero run of 2+ groups compressed, ::ffff:a.b.c.d mapped form). */
export function ipv6ToString(b: Buffer, o = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(b.readUInt16BE(o + i * 2));
  let bestStart = -1, bestLen = 0, curStart = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (curStart < 0) { curStart = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestLen = curLen; bestStart = curStart; }
    } else curStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
      if (i === bestStart) out += '::';
      continue;
    }
    if (out.length && !out.endsWith(':')) out += ':';
    // Embedded IPv4 for ::ffff:x (mapped) and ::x (compatible, if 6 zero groups then nonzero) forms.
    if (i === 6 && bestStart === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
      out += ipv4ToString(b, o + 12);
      break;
    }
    out += g[i].toString(16);
  }
  return out;
}

export function isIpv4MappedIpv6(b: Buffer, o = 0): boolean {
  for (let i = 0; i < 10; i++) if (b[o + i] !== 0) return false;
  return b[o + 10] === 0xff && b[o + 11] === 0xff;
}

/** scap l4 protocol codes. */
export const enum L4 { UNKNOWN = 0, NA = 1, TCP = 2, UDP = 3, ICMP = 4, RAW = 5 }

/** PPM_AF_* family codes carried in sockaddr/socktuple params. */
export const enum AF { UNSPEC = 0, UNIX = 1, INET = 2, INET6 = 10, NETLINK = 16 }

export function hostPort(addr: Buffer, port: number): string {
  return (addr.length === 4 ? ipv4ToString(addr) : ipv6ToString(addr)) + ':' + port;
}

export function tupleString(sip: Buffer, sport: number, dip: Buffer, dport: number): string {
  return hostPort(sip, sport) + '->' + hostPort(dip, dport);
}

/** Hex of a little-endian u64 at b[o], without leading zeros (as %PRIx64). */
export function u64Hex(b: Buffer, o: number): string {
  const hi = b.readUInt32LE(o + 4), lo = b.readUInt32LE(o);
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
}

/** Path of a unix socktuple/sockaddr, cut at NUL. */
export function cString(b: Buffer, start: number, end: number): string {
  let z = start;
  while (z < end && b[z] !== 0) z++;
  return b.toString('utf8', start, z);
}
