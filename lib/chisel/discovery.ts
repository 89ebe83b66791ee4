// Where chisels are found, and the -cl / -i listings (sysdig's layout).
//
// Search order: ./chisels, ~/.chisels, scry's own chisels/ directory, the
// directories in SCRY_CHISEL_PATH (':' or ';' separated), then sysdig's
// installed chisel directory when there is one (so the chisels a sysdig
// user has, flame and wsysdig_summary among them, run by name; scry's own
// come first). A chisel named by a path is used as is (and searches its own
// directory last: host.ts).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChiselDesc, describeChisel } from './host';
import { packageRoot } from '../util/package-root';

function withSlash(d: string): string {
  return d.endsWith('/') ? d : d + '/';
}

/** The chisel directories, in search order, each ending in '/'. */
export function chiselDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = ['./chisels/'];
  const home = env.HOME;
  if (home) {
    try {
      dirs.push(withSlash(fs.realpathSync(path.join(home, '.chisels'))));
    } catch { /* no ~/.chisels */ }
  }
  dirs.push(withSlash(path.join(packageRoot(), 'chisels')));
  const extra = env.SCRY_CHISEL_PATH;
  if (extra) {
    for (const d of extra.split(/[:;]/)) {
      const t = d.trim();
      if (t) dirs.push(withSlash(t));
    }
  }
  for (const d of SYSDIG_CHISEL_DIRS) if (fs.existsSync(d)) dirs.push(d);
  return dirs;
}

/** Where sysdig's packages install its chisels. */
const SYSDIG_CHISEL_DIRS = ['/usr/share/sysdig/chisels/', '/usr/local/share/sysdig/chisels/'];

/** Every chisel in the directories (first of a name wins), as sysdig's get_chisel_list. */
export function chiselList(dirs: string[]): ChiselDesc[] {
  const seen = new Set<string>();
  const list: ChiselDesc[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    names.sort();
    for (const f of names) {
      const dot = f.lastIndexOf('.');
      if (dot < 0) continue;
      const base = f.slice(0, dot), ext = f.slice(dot + 1);
      if (ext !== 'lua' && ext !== 'sc') continue;
      if (seen.has(base)) continue;
      if (ext !== 'lua') continue;
      const desc = describeChisel(d + f, base, dirs);
      if (desc) { seen.add(base); list.push(desc); }
    }
  }
  return list;
}

const DESC_START = 16;
const LINE = 79;

/** sysdig's list_chisels(). */
export function renderChiselList(list: ChiselDesc[], verbose: boolean): string {
  const sorted = [...list].sort((a, b) =>
    a.category === b.category ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : (a.category < b.category ? -1 : 1));
  let out = '';
  let last = '';
  for (const cd of sorted) {
    if (cd.isView) continue;
    if (cd.category !== last) {
      const head = 'Category: ' + cd.category;
      out += '\n' + head + '\n' + '-'.repeat(head.length) + '\n';
      last = cd.category;
    }
    out += cd.name;
    let namelen = cd.name.length;
    if (namelen >= DESC_START) { out += '\n'; namelen = 0; }
    out += ' '.repeat(DESC_START - namelen);
    const desc = cd.shortDescription;
    for (let l = 0; l < desc.length; l++) {
      if (l % (LINE - DESC_START) === 0 && l !== 0) out += '\n' + ' '.repeat(DESC_START);
      out += desc[l];
    }
    out += '\n';
  }
  if (verbose) out += '\nUse the -i flag to get detailed information about a specific chisel\n';
  return out;
}

/** sysdig's print_chisel_info(). */
export function renderChiselInfo(cd: ChiselDesc): string {
  let out = renderChiselList([cd], false);
  out += '\n';
  const desc = cd.description;
  for (let l = 0; l < desc.length; l++) {
    if (l % LINE === 0 && l !== 0) out += '\n';
    out += desc[l];
  }
  out += '\n';
  let astr = 'Args:\n';
  if (cd.args.length) {
    for (const a of cd.args) astr += `[${a.type}] ${a.name} - ${a.description}\n`;
  } else astr += '(None)';
  let linepos = 0;
  for (let l = 0; l < astr.length; l++, linepos++) {
    if (astr[l] === '\n') linepos = -1;
    else if (linepos % (LINE - DESC_START) === 0 && linepos !== 0) out += '\n' + ' '.repeat(DESC_START);
    out += astr[l];
  }
  out += '\n';
  return out;
}

/** The description of one chisel by name, as -i finds it. */
export function findChiselDesc(name: string, dirs: string[]): ChiselDesc | undefined {
  return chiselList(dirs).find((c) => c.name === name);
}

export function homeDir(): string {
  return os.homedir();
}
