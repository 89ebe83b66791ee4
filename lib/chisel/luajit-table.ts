// Where LuaJIT keeps the keys of a table, so that pairs() walks a table with
// number and boolean keys in the order sysdig's Lua (LuaJIT 2.1) walks it.
//
// fengari stores a table as one insertion-ordered map. LuaJIT has an array
// part (integer keys 0..asize-1, walked first, in order) and a hash part of
// 2^n nodes walked by node index. A key's node is its main position (a hash
// of the key's bits) unless that is taken: then a free node found by a
// pointer that only moves down, with Brent's variation (a key squatting in
// another key's main position is moved out). A table whose nodes run out is
// resized: the array part takes the integer keys that would fill more than
// half of it, the hash part the rest, and every live key is inserted again.
// Deleted keys stay in their node until then. So a table's order depends
// on its keys, the order they came in and its deletions, and nothing else:
// this is replayed here for each table whose keys are all numbers or
// booleans. (String keys hash by an intern counter in LuaJIT, which a chisel
// cannot predict either; tables with such keys keep fengari's order.)

export type LjKey = number | boolean;

/** What LjTable.after() answers for a key the table does not hold. */
export const NOT_IN_TABLE = Symbol('not in table');

/** Bits of array keys (LJ_MAX_ABITS) and the largest array part. */
const MAX_ABITS = 28;
const MAX_ASIZE = (1 << (MAX_ABITS - 1)) + 1;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const rol = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

/** LuaJIT's hash of a number key (hashnum: the bits of the double, scrambled as on x86-64). */
function numberHash(n: number): number {
  f64[0] = n === 0 ? 0 : n; // -0 is stored as 0
  let lo = u32[0];
  let hi = (u32[1] << 1) >>> 0;
  lo = (lo ^ hi) >>> 0; hi = rol(hi, 14);
  lo = (lo - hi) >>> 0; hi = rol(hi, 5);
  hi = (hi ^ lo) >>> 0; hi = (hi - rol(lo, 13)) >>> 0;
  return hi;
}

/** Index of the highest set bit (lj_fls). */
const fls = (x: number): number => 31 - Math.clz32(x);

/** Hash bits for a hash part of at least s nodes (hsize2hbits). */
function hashBits(s: number): number {
  return s === 0 ? 0 : s === 1 ? 1 : 1 + fls(s - 1);
}

/** The integer a key counts as for the array part, or -1 (countint). */
function arrayCandidate(k: LjKey): number {
  if (typeof k !== 'number') return -1;
  const i = k | 0;
  return i === k && i >= 0 && i < MAX_ASIZE ? i : -1;
}

export class LjTable {
  private asize = 0;
  /** Array slots holding a value. */
  private alive = new Uint8Array(0);
  /** 0: no hash part (LuaJIT's shared empty node). */
  private hmask = 0;
  private keys: (LjKey | undefined)[] = [];
  /** Nodes whose value is not nil. */
  private live = new Uint8Array(0);
  private next = new Int32Array(0);
  /** Free nodes are looked for below this index. */
  private freetop = 0;
  private readonly where = new Map<LjKey, number>();

  /** Records `t[key] = value`; `live`: the value is not nil. (A nil stored under a new key still takes a node.) */
  set(key: LjKey, live: boolean): void {
    for (;;) {
      if (this.inArray(key)) { this.alive[key as number] = live ? 1 : 0; return; }
      let n = this.where.get(key);
      if (n === undefined) n = this.newKey(key);
      if (n >= 0) { this.live[n] = live ? 1 : 0; return; }
      // the table was resized: the key goes where the new layout puts it
    }
  }

  /**
   * The key after `key` in pairs() order (undefined: from the start);
   * undefined at the end, NOT_IN_TABLE when `key` is not in the table.
   */
  after(key: LjKey | undefined): LjKey | undefined | typeof NOT_IN_TABLE {
    let idx: number;
    if (key === undefined) idx = 0;
    else if (this.inArray(key)) idx = (key as number) + 1;
    else {
      const n = this.where.get(key);
      if (n === undefined) return NOT_IN_TABLE;
      idx = this.asize + n + 1;
    }
    for (; idx < this.asize; idx++) if (this.alive[idx]) return idx;
    const nodes = this.hmask === 0 ? 0 : this.hmask + 1;
    for (let n = idx - this.asize; n < nodes; n++) if (this.live[n]) return this.keys[n];
    return undefined;
  }

  private inArray(key: LjKey): boolean {
    return typeof key === 'number' && (key | 0) === key && key >= 0 && key < this.asize;
  }

  private mainPosition(key: LjKey): number {
    const h = typeof key === 'boolean' ? (key ? 1 : 0) : numberHash(key);
    return h & this.hmask;
  }

  /** lj_tab_newkey: the node for a key not in the table, or -1 after a resize. */
  private newKey(key: LjKey): number {
    const keys = this.keys, next = this.next, live = this.live;
    let mp = this.mainPosition(key);
    if (this.hmask === 0 || live[mp]) {
      let free = this.freetop;
      for (;;) {
        if (free === 0) { this.rehash(key); return -1; }
        free--;
        if (keys[free] === undefined) break;
      }
      this.freetop = free;
      const other = this.mainPosition(keys[mp]!);
      if (other !== mp) {
        // The node's key is not at home here: it moves to the free node.
        let p = other;
        while (next[p] !== mp) p = next[p];
        next[p] = free;
        keys[free] = keys[mp]; live[free] = live[mp]; next[free] = next[mp];
        this.where.set(keys[free]!, free);
        next[mp] = -1; live[mp] = 0;
        keys[mp] = undefined;
        // Keys further down the moved chain that belong to mp go back to it.
        let f = free;
        while (next[f] !== -1) {
          const nn = next[f];
          if (live[nn] && this.mainPosition(keys[nn]!) === mp) {
            next[f] = next[nn]; next[nn] = next[mp]; next[mp] = nn;
            let g = f;
            for (let m = next[g]; m !== -1; m = next[g]) {
              if (live[m]) {
                const mn = this.mainPosition(keys[m]!);
                if (mn !== g && mn !== m) { next[g] = next[m]; next[m] = next[mn]; next[mn] = m; } else g = m;
              } else g = m;
            }
            break;
          }
          f = nn;
        }
      } else {
        next[free] = next[mp]; next[mp] = free;
        mp = free;
      }
    }
    const old = keys[mp];
    if (old !== undefined && this.where.get(old) === mp) this.where.delete(old);
    keys[mp] = key;
    this.where.set(key, mp);
    live[mp] = 0;
    return mp;
  }

  /** rehashtab: new sizes from the live keys and the key being added, then resize. */
  private rehash(extra: LjKey): void {
    const bins = new Array<number>(MAX_ABITS).fill(0);
    let narray = this.countArray(bins);
    let total = 1 + narray;
    const nodes = this.hmask === 0 ? 0 : this.hmask + 1;
    for (let n = 0; n < nodes; n++) {
      if (!this.live[n]) continue;
      total++;
      narray += countInt(this.keys[n]!, bins);
    }
    narray += countInt(extra, bins);
    // bestasize: the largest power of two more than half filled
    let sum = 0, na = 0, size = 0;
    for (let b = 0; 2 * narray > (1 << b) && sum !== narray; b++) {
      if (bins[b] > 0 && 2 * (sum += bins[b]) > (1 << b)) { size = (2 << b) + 1; na = sum; }
    }
    this.resize(size, hashBits(total - na));
  }

  private countArray(bins: number[]): number {
    if (this.asize === 0) return 0;
    let na = 0, i = 0;
    for (let b = 0; b < MAX_ABITS; b++) {
      let top = 2 << b;
      if (top >= this.asize) {
        top = this.asize - 1;
        if (i > top) break;
      }
      let n = 0;
      for (; i <= top; i++) if (this.alive[i]) n++;
      bins[b] += n;
      na += n;
    }
    return na;
  }

  /** lj_tab_resize: new parts, then the live keys again (array slots cut off first, then the old nodes in order). */
  private resize(asize: number, hbits: number): void {
    const oldAsize = this.asize, oldAlive = this.alive;
    const oldNodes = this.hmask === 0 ? 0 : this.hmask + 1;
    const oldKeys = this.keys, oldLive = this.live;
    if (asize > oldAsize) {
      const a = new Uint8Array(asize);
      a.set(oldAlive);
      this.alive = a;
      this.asize = asize;
    }
    const size = hbits ? 1 << hbits : 0;
    this.hmask = size ? size - 1 : 0;
    this.keys = new Array<LjKey | undefined>(size);
    this.live = new Uint8Array(size);
    this.next = new Int32Array(size).fill(-1);
    this.freetop = size;
    this.where.clear();
    if (asize < oldAsize) {
      this.asize = asize;
      this.alive = oldAlive.slice(0, asize);
      for (let i = asize; i < oldAsize; i++) if (oldAlive[i]) this.set(i, true);
    }
    for (let n = 0; n < oldNodes; n++) if (oldLive[n]) this.set(oldKeys[n]!, true);
  }
}

function countInt(k: LjKey, bins: number[]): number {
  const i = arrayCandidate(k);
  if (i < 0) return 0;
  bins[i > 2 ? fls(i - 1) : 0]++;
  return 1;
}
