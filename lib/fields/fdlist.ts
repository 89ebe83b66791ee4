// fdlist.* fields: the fds listed in the argument of poll/ppoll events.

import { PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import type { FdInfo } from '../state/view';
import { fdOf } from '../state/view';
import type { EvalContext } from './types';
import { FieldClassX, simple } from './def';
import { FDT, fdType } from './ext';
import { ipv4Text, ipv6Text } from './render';

const Z16 = Buffer.alloc(16);

type Item = (fd: number, info: FdInfo | undefined) => string | undefined;

/** Joins one text per fd of the poll list with commas (undefined items are skipped). */
function listField(c: EvalContext, item: Item): string | undefined {
  const ev = c.ev;
  let pi: number;
  if (ev.type === E.SYSCALL_POLL_E || ev.type === E.SYSCALL_PPOLL_E) pi = 0;
  else if (ev.type === E.SYSCALL_POLL_X || ev.type === E.SYSCALL_PPOLL_X) pi = 1;
  else return undefined;
  if (pi >= ev.nparams) return undefined;
  const b = ev.bytes(pi);
  if (b.length < 2) return undefined;
  const n = b.readUInt16LE(0);
  const t = c.state.thread;
  const parts: string[] = [];
  for (let j = 0, pos = 2; j < n && pos + 8 <= b.length; j++, pos += 10) {
    const hi = b.readInt32LE(pos + 4), lo = b.readUInt32LE(pos);
    const fd = hi * 4294967296 + lo;
    const s = item(fd, t ? fdOf(t, fd) : undefined);
    if (s !== undefined) parts.push(s);
  }
  const out = parts.join(',');
  return out === '' ? undefined : out;
}

function clientIp(_fd: number, f: FdInfo | undefined): string | undefined {
  if (!f) return undefined;
  const t = fdType(f);
  if (t === FDT.IPV4_SOCK) return ipv4Text(f.sip ?? Z16);
  if (t === FDT.IPV6_SOCK) return ipv6Text(f.sip ?? Z16);
  return undefined;
}

function serverIp(_fd: number, f: FdInfo | undefined): string | undefined {
  if (!f) return undefined;
  const t = fdType(f);
  if (t === FDT.IPV4_SOCK) return ipv4Text(f.dip ?? Z16);
  if (t === FDT.IPV6_SOCK) return ipv6Text(f.dip ?? Z16);
  if (t === FDT.IPV4_SERVSOCK) return ipv4Text(f.sip ?? Z16);
  // sysdig prints the first four bytes of an IPv6 server address as IPv4.
  if (t === FDT.IPV6_SERVSOCK) return ipv4Text(f.sip ?? Z16);
  return undefined;
}

function port(which: 'client' | 'server') {
  return (_fd: number, f: FdInfo | undefined): string | undefined => {
    if (!f) return undefined;
    const t = fdType(f);
    if (t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK) return String(which === 'client' ? f.sport : f.dport);
    return undefined;
  };
}

export const FDLIST: FieldClassX = {
  name: 'fdlist',
  desc: 'Fields of the fd list argument of poll events.',
  fields: [
    simple('fdlist.nums', PT.CHARBUF, PF.ID, 'for poll events, the fd numbers of the \'fds\' argument, comma separated.',
      (c) => listField(c, (fd) => String(fd))),
    simple('fdlist.names', PT.CHARBUF, PF.NA, 'for poll events, the names of the fds in the \'fds\' argument, comma separated.',
      (c) => listField(c, (_fd, f) => (f && f.name !== '' ? f.name : '<NA>'))),
    simple('fdlist.cips', PT.CHARBUF, PF.NA, 'for poll events, the client IP addresses of the fds in the \'fds\' argument, comma separated.',
      (c) => listField(c, clientIp)),
    simple('fdlist.sips', PT.CHARBUF, PF.NA, 'for poll events, the server IP addresses of the fds in the \'fds\' argument, comma separated.',
      (c) => listField(c, serverIp)),
    simple('fdlist.cports', PT.CHARBUF, PF.DEC, 'for poll events on TCP/UDP sockets, the client ports of the fds in the \'fds\' argument, comma separated.',
      (c) => listField(c, port('client'))),
    simple('fdlist.sports', PT.CHARBUF, PF.DEC, 'for poll events, the server TCP/UDP ports of the fds in the \'fds\' argument, comma separated.',
      (c) => listField(c, port('server'))),
  ],
};
