// What a -p argument stands for: sysdig's default and preset event lines,
// and the backslash escapes sysdig expands in a format. Kept apart from the
// formatter so the CLI can tell these without loading it (a quiet replay
// compiles no format).

import { FormatError } from './errors';

/** sysdig's default line. */
export const DEFAULT_FORMAT = '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info';
/** The default line when stdout is a terminal (colors; sysdig resets them at the end of the run). */
export const DEFAULT_FORMAT_TTY =
  '*%evt.num %evt.outputtime %evt.cpu \\e[01;32m%proc.name\\e[00m (\\e[01;36m%proc.pid\\e[00m.%thread.tid) %evt.dir \\e[01;34m%evt.type\\e[00m %evt.info';
/** -pc / -pcontainer. */
export const CONTAINER_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info';
/** -pk / -pkubernetes. */
export const K8S_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info';
/** -pm / -pmesos. */
export const MESOS_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %mesos.task.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info';
/** Line for plugin events. */
export const PLUGIN_FORMAT = '*%evt.num %evt.datetime.s [%evt.pluginname] %evt.plugininfo';
export const PLUGIN_FORMAT_TTY = '*%evt.num %evt.datetime.s [\\e[01;32m%evt.pluginname\\e[00m] %evt.plugininfo';

/** The -p arguments that name one of sysdig's preset event lines rather than give a format. */
const PRESETS = new Map<string, string>([
  ['c', CONTAINER_FORMAT], ['container', CONTAINER_FORMAT],
  ['k', K8S_FORMAT], ['kubernetes', K8S_FORMAT],
  ['m', MESOS_FORMAT], ['mesos', MESOS_FORMAT],
]);

/** Whether a -p argument is a preset (-pc, -pk, -pm and their long names). */
export function isPrintPreset(arg: string): boolean {
  return PRESETS.has(arg);
}

/**
 * The format a -p argument selects: a preset's line, otherwise the argument
 * itself. ('p' - print the default format and exit - is the CLI's business.)
 */
export function formatForPrintArg(arg: string): string {
  return PRESETS.get(arg) ?? arg;
}

/**
 * Expands \n, \t, \e and \\ as sysdig does before parsing a format; any
 * other backslash stays. A backslash ending the text is an error (strict),
 * or stays (not strict).
 */
export function unescapeFormat(s: string, strict = true): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') { out += c; continue; }
    if (i + 1 >= s.length) {
      if (strict) throw new FormatError('');
      out += c;
      continue;
    }
    switch (s[i + 1]) {
      case 'n': out += '\n'; i++; break;
      case 't': out += '\t'; i++; break;
      case 'e': out += '\x1b'; i++; break;
      case '\\': out += '\\'; i++; break;
      default: out += '\\';
    }
  }
  return out;
}

/** Whether a format holds ESC once its backslash escapes are expanded. */
export function hasEscape(format: string): boolean {
  return unescapeFormat(format, false).includes('\x1b');
}
