// C's strftime over local time (the TZ of the process), for file names
// built from a format (-G with a '%' in the -w name). Covers the POSIX
// conversions; an unknown one is copied as it is, as glibc does.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c);

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) -
    Date.UTC(start.getFullYear(), 0, 1)) / 86400000);
}

/** ISO 8601 week-based year and week number. */
function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const wd = (t.getUTCDay() + 6) % 7;          // Monday = 0
  t.setUTCDate(t.getUTCDate() - wd + 3);       // the Thursday of this week
  const year = t.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((t.getTime() - jan4.getTime()) / 86400000 / 7 - ((jan4.getUTCDay() + 6) % 7 - 3) / 7);
  return { year, week };
}

function zoneOffset(d: Date): string {
  const m = -d.getTimezoneOffset();
  const a = Math.abs(m);
  return (m < 0 ? '-' : '+') + pad(Math.floor(a / 60), 2) + pad(a % 60, 2);
}

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

/** Formats `seconds` since the epoch like strftime(fmt, localtime(&seconds)). */
export function strftime(fmt: string, seconds: number): string {
  const d = new Date(seconds * 1000);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%' || i + 1 >= fmt.length) { out += ch; continue; }
    let c = fmt[++i];
    // E and O modifiers select alternative representations; the C locale has none
    if ((c === 'E' || c === 'O') && i + 1 < fmt.length) c = fmt[++i];
    const h = d.getHours();
    switch (c) {
      case 'a': out += DAYS[d.getDay()].slice(0, 3); break;
      case 'A': out += DAYS[d.getDay()]; break;
      case 'b': case 'h': out += MONTHS[d.getMonth()].slice(0, 3); break;
      case 'B': out += MONTHS[d.getMonth()]; break;
      case 'c': out += strftime('%a %b %e %H:%M:%S %Y', seconds); break;
      case 'C': out += pad(Math.floor(d.getFullYear() / 100), 2); break;
      case 'd': out += pad(d.getDate(), 2); break;
      case 'D': out += strftime('%m/%d/%y', seconds); break;
      case 'e': out += pad(d.getDate(), 2, ' '); break;
      case 'F': out += strftime('%Y-%m-%d', seconds); break;
      case 'g': out += pad(isoWeek(d).year % 100, 2); break;
      case 'G': out += String(isoWeek(d).year); break;
      case 'H': out += pad(h, 2); break;
      case 'I': out += pad(h % 12 || 12, 2); break;
      case 'j': out += pad(dayOfYear(d) + 1, 3); break;
      case 'k': out += pad(h, 2, ' '); break;
      case 'l': out += pad(h % 12 || 12, 2, ' '); break;
      case 'm': out += pad(d.getMonth() + 1, 2); break;
      case 'M': out += pad(d.getMinutes(), 2); break;
      case 'n': out += '\n'; break;
      case 'p': out += h < 12 ? 'AM' : 'PM'; break;
      case 'P': out += h < 12 ? 'am' : 'pm'; break;
      case 'r': out += strftime('%I:%M:%S %p', seconds); break;
      case 'R': out += strftime('%H:%M', seconds); break;
      case 's': out += String(Math.floor(seconds)); break;
      case 'S': out += pad(d.getSeconds(), 2); break;
      case 't': out += '\t'; break;
      case 'T': out += strftime('%H:%M:%S', seconds); break;
      case 'u': out += String(d.getDay() || 7); break;
      case 'U': out += pad(Math.floor((dayOfYear(d) + 7 - d.getDay()) / 7), 2); break;
      case 'V': out += pad(isoWeek(d).week, 2); break;
      case 'w': out += String(d.getDay()); break;
      case 'W': out += pad(Math.floor((dayOfYear(d) + 7 - ((d.getDay() + 6) % 7)) / 7), 2); break;
      case 'x': out += strftime('%m/%d/%y', seconds); break;
      case 'X': out += strftime('%H:%M:%S', seconds); break;
      case 'y': out += pad(d.getFullYear() % 100, 2); break;
      case 'Y': out += String(d.getFullYear()); break;
      case 'z': out += zoneOffset(d); break;
      case 'Z': out += zoneName(d); break;
      case '%': out += '%'; break;
      default: out += '%' + c;
    }
  }
  return out;
}
