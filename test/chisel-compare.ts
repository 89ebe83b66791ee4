// Comparing a chisel's output with sysdig's where sysdig's order is not
// reproducible: sysdig's Lua iterates tables in hash order and sorts with an
// unstable sort, so rows with equal sort values (and rows of tables with
// string keys printed in iteration order) may come in any order there.
// Tables with number keys (the thread and fd tables) iterate in an order
// scry reproduces: lsof and netstat compare exactly. scry's order is
// deterministic; these comparisons accept any order sysdig could have
// produced.

export type CompareMode = 'exact' | 'top' | 'lines' | 'json' | 'keyorder' | 'document';

/** How a chisel's output is compared. */
export function compareMode(chisel: string, args: string[]): CompareMode {
  if (args.includes('-j') && /^top|_by$/.test(chisel)) return 'json';
  if (/^(top|fdbytes_by|fdtime_by|httptop)/.test(chisel)) return 'top';
  if (/^fdcount_by$/.test(chisel)) return 'lines';
  // JSON printed with object members in table order.
  if (chisel === 'flame') return 'keyorder';
  // One JSON document whose object members come in LuaJIT's table order,
  // which differs from run to run of sysdig (its string hashes are seeded).
  if (chisel === 'wsysdig_summary') return 'document';
  return 'exact';
}

function multisetDiff(a: string[], b: string[]): string | undefined {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  for (const y of b) count.set(y, (count.get(y) ?? 0) - 1);
  for (const [k, v] of count) {
    if (v > 0) return `extra line: ${JSON.stringify(k)}`;
    if (v < 0) return `missing line: ${JSON.stringify(k)}`;
  }
  return undefined;
}

const TOP_LIMITS = new Set([10, 30, 100]);
const DASHES = '-'.repeat(80);

/**
 * Top tables: header lines identical; rows grouped by their value column
 * (the first 20 characters) in the same sequence of values, each group the
 * same set of rows. When a table is cut at its row limit, the last group
 * may hold any of the tied rows: only its size and value are compared.
 */
function compareTop(got: string, want: string): string | undefined {
  const sections = (s: string): string[][] => {
    const lines = s.split('\n');
    const out: string[][] = [];
    let cur: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i + 1] === DASHES && cur.length) { out.push(cur); cur = []; }
      cur.push(lines[i]);
    }
    out.push(cur);
    return out;
  };
  const g = sections(got), w = sections(want);
  if (g.length !== w.length) return `${g.length} tables, expected ${w.length}`;
  for (let s = 0; s < w.length; s++) {
    const gs = g[s], ws = w[s];
    const hasHead = ws[1] === DASHES;
    const head = hasHead ? 2 : 0;
    for (let i = 0; i < head; i++) if (gs[i] !== ws[i]) return `header line ${i + 1}: got ${JSON.stringify(gs[i])}, expected ${JSON.stringify(ws[i])}`;
    const grows = gs.slice(head).filter((l) => l !== ''), wrows = ws.slice(head).filter((l) => l !== '');
    if (grows.length !== wrows.length) return `table ${s + 1}: ${grows.length} rows, expected ${wrows.length}`;
    const groups = (rows: string[]) => {
      const out: { value: string; rows: string[] }[] = [];
      for (const r of rows) {
        const v = r.slice(0, 20);
        if (out.length && out[out.length - 1].value === v) out[out.length - 1].rows.push(r);
        else out.push({ value: v, rows: [r] });
      }
      return out;
    };
    const gg = groups(grows), wg = groups(wrows);
    if (gg.length !== wg.length) return `table ${s + 1}: values ${gg.map((x) => x.value.trim())} expected ${wg.map((x) => x.value.trim())}`;
    const cut = TOP_LIMITS.has(wrows.length);
    for (let i = 0; i < wg.length; i++) {
      if (gg[i].value !== wg[i].value || gg[i].rows.length !== wg[i].rows.length) {
        return `table ${s + 1}: group ${i + 1}: ${gg[i].rows.length} x ${JSON.stringify(gg[i].value)}, expected ${wg[i].rows.length} x ${JSON.stringify(wg[i].value)}`;
      }
      if (cut && i === wg.length - 1) continue;
      const d = multisetDiff(gg[i].rows, wg[i].rows);
      if (d) return `table ${s + 1}: ${d}`;
    }
  }
  return undefined;
}

function compareJson(got: string, want: string): string | undefined {
  const docs = (s: string): unknown[] => {
    // One JSON document per table; documents start at a line "{".
    const parts = s.split(/\n(?=\{)/).map((p) => p.trim()).filter((p) => p);
    return parts.map((p) => JSON.parse(p));
  };
  let g: unknown[], w: unknown[];
  try { g = docs(got); } catch (e) { return 'scry output is not JSON: ' + (e as Error).message; }
  w = docs(want);
  if (g.length !== w.length) return `${g.length} documents, expected ${w.length}`;
  const norm = (d: unknown): unknown => {
    if (Array.isArray(d)) return d.map(norm);
    if (d && typeof d === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(d).sort()) o[k] = norm((d as Record<string, unknown>)[k]);
      return o;
    }
    return d;
  };
  for (let i = 0; i < w.length; i++) {
    const gd = norm(g[i]) as { data?: unknown[][] }, wd = norm(w[i]) as { data?: unknown[][] };
    const gdata = gd.data ?? [], wdata = wd.data ?? [];
    delete gd.data; delete wd.data;
    if (JSON.stringify(gd) !== JSON.stringify(wd)) return `document ${i + 1}: ${JSON.stringify(gd)} expected ${JSON.stringify(wd)}`;
    if (gdata.length !== wdata.length) return `document ${i + 1}: ${gdata.length} rows, expected ${wdata.length}`;
    const val = (r: unknown[]) => JSON.stringify(r[r.length - 1]);
    const gv = gdata.map(val), wv = wdata.map(val);
    if (gv.join() !== wv.join()) return `document ${i + 1}: values ${gv} expected ${wv}`;
    const last = wv[wv.length - 1];
    const cut = TOP_LIMITS.has(wdata.length);
    const d = multisetDiff(gdata.filter((r) => !cut || val(r) !== last).map((r) => JSON.stringify(r)),
      wdata.filter((r) => !cut || val(r) !== last).map((r) => JSON.stringify(r)));
    if (d) return `document ${i + 1}: ${d}`;
  }
  return undefined;
}

/** First differing line, for a readable failure. */
export function firstDiff(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: got ${JSON.stringify(x[i])}, expected ${JSON.stringify(y[i])}`;
  }
  return 'differs';
}

/** The same JSON document up to the order of object members. */
function compareDocument(got: string, want: string): string | undefined {
  const norm = (v: unknown): unknown => Array.isArray(v) ? v.map(norm)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]))
      : v;
  let g: unknown;
  try { g = JSON.parse(got); } catch (e) { return `not JSON: ${(e as Error).message}`; }
  return firstDiff(JSON.stringify(norm(g), null, 1), JSON.stringify(norm(JSON.parse(want)), null, 1));
}

/** undefined when `got` is an output sysdig could have printed as `want`. */
export function compareOutput(mode: CompareMode, got: string, want: string): string | undefined {
  switch (mode) {
    case 'exact': return firstDiff(got, want);
    case 'top': return compareTop(got, want);
    case 'json': return compareJson(got, want);
    case 'document': return compareDocument(got, want);
    case 'keyorder': {
      const strip = (x: string) => x.split('\n').map((l) => l.replace(/,$/, ''));
      return multisetDiff(strip(got), strip(want));
    }
    case 'lines': {
      return multisetDiff(got.split('\n'), want.split('\n'));
    }
  }
}
