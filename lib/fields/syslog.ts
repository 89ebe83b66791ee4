// Messages written to syslog: sysdig decodes "<PRI>text" written to an fd
// whose name contains /dev/log (its syslog protocol decoder), for the syslog.*
// fields and the evt.info of such writes.

import { EF } from '../schema/types';
import { EvalContext } from './types';
import { paramIndexOf } from './params';
import { beforeNul } from '../util/bytes';

export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
export const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'clock', 'authpriv',
  'ftp', 'ntp', 'logaudit', 'logalert', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

export interface Syslog { facility: number; severity: number; msg: string }

/** Decodes "<PRI>message" written to /dev/log by the current event, if it is such a write. */
export function syslogOf(c: EvalContext): Syslog | undefined {
  const ev = c.ev;
  if (ev.info.enter || !(ev.info.flags & EF.WRITES_TO_FD)) return undefined;
  const fd = c.state.fd;
  if (!fd || !fd.name.includes('/dev/log')) return undefined;
  if (ev.nparams < 2 || ev.s(0) < 0) return undefined;
  const di = paramIndexOf(ev, 'data');
  if (di < 0) return undefined;
  const data = ev.bytes(di);
  let j = 1;
  let pri = '';
  while (j < data.length && data[j] !== 0x3e && data[j] !== 0 && pri.length < 15) pri += String.fromCharCode(data[j++]);
  if (pri.length === 0 || data.length < pri.length + 2 || !/^-?\d+$/.test(pri)) return undefined;
  const p = Number(pri) | 0;
  return { severity: p & 7, facility: p >> 3, msg: data.toString('latin1', pri.length + 2) };
}

/** sysdig's info line for a decoded syslog write: "syslog sev=info msg=...". */
export function syslogInfo(c: EvalContext): string | undefined {
  const s = syslogOf(c);
  if (s === undefined) return undefined;
  // built as a C string: the message ends at its first NUL
  return 'syslog sev=' + (SEVERITIES[s.severity] ?? '<NA>') + ' msg=' + beforeNul(s.msg);
}
