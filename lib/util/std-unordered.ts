// The iteration order of a libstdc++ std::unordered_map keyed by strings or
// 64-bit integers.
//
// sysdig hands some tables to chisels in the order its C++ hash maps iterate
// (the container table by id, the thread table by tid, each fd table by fd).
// That order is a function of the keys and the order they were inserted in:
// std::hash<std::string> (libstdc++'s _Hash_bytes, a 64-bit MurmurHash2
// variant seeded 0xc70f6907) or the integer itself, the prime
// bucket counts the map grows through, and how inserts and rehashes link
// nodes (a key landing in an empty bucket goes to the front of the list).
// Checked against g++ 12's library on random key sets.

const M64 = (1n << 64n) - 1n;
const MUL = (0xc6a4a793n << 32n) + 0x5bd1e995n;
const SEED = 0xc70f6907n;

const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** std::hash<std::string> of a 64-bit libstdc++. */
export function stdStringHash(s: string): bigint {
  const b = Buffer.from(s, 'latin1');
  const aligned = b.length & ~7;
  let h = SEED ^ ((BigInt(b.length) * MUL) & M64);
  for (let p = 0; p < aligned; p += 8) {
    h ^= (shiftMix((b.readBigUInt64LE(p) * MUL) & M64) * MUL) & M64;
    h = (h * MUL) & M64;
  }
  if (b.length & 7) {
    let d = 0n;
    for (let i = b.length - 1; i >= aligned; i--) d = (d << 8n) + BigInt(b[i]);
    h ^= d;
    h = (h * MUL) & M64;
  }
  return shiftMix((shiftMix(h) * MUL) & M64);
}

/** Bucket counts a map grows through (max load factor 1): 13 at the first insert, then about doubling. */
const BUCKETS = [1, 13, 29, 59, 127, 257, 541, 1109, 2357, 5087, 10273, 20753, 42043, 85229, 172933];

/** A hash as size_t: a number when it is below 2^53 (no BigInt per key then). */
type SizeT = number | bigint;

interface Node<K> { key: K; hash: SizeT; next: Node<K> | null }

const U64 = 1n << 64n;

/** std::hash of a 64-bit integer: the integer itself, as size_t. */
export function stdIntHash(k: number): SizeT {
  return k < 0 ? U64 + BigInt(k) : k;
}

/** Keys (inserted in this order; repeats keep their first place) in the map's iteration order. */
export function unorderedMapOrder(keys: Iterable<string>): string[] {
  return unorderedOrder(keys, stdStringHash);
}

/** The same for a std::unordered_map<int64_t, T> (sysdig's thread and fd tables). */
export function unorderedIntMapOrder(keys: Iterable<number>): number[] {
  return unorderedOrder(keys, stdIntHash);
}

function unorderedOrder<K>(keys: Iterable<K>, hashOf: (k: K) => SizeT): K[] {
  const head: { next: Node<K> | null } = { next: null };
  let nb = 1;
  let buckets: ({ next: Node<K> | null } | null)[] = [null];
  let size = 0;
  const bucketOf = (n: Node<K>, m: number): number =>
    typeof n.hash === 'number' ? n.hash % m : Number(n.hash % BigInt(m));
  const rehash = (m: number): void => {
    const nbk: ({ next: Node<K> | null } | null)[] = new Array(m).fill(null);
    let p = head.next;
    head.next = null;
    let firstBucket = 0;
    while (p) {
      const next: Node<K> | null = p.next;
      const b = bucketOf(p, m);
      if (!nbk[b]) {
        p.next = head.next; head.next = p; nbk[b] = head;
        if (p.next) nbk[firstBucket] = p;
        firstBucket = b;
      } else {
        p.next = nbk[b]!.next; nbk[b]!.next = p;
      }
      p = next;
    }
    buckets = nbk;
    nb = m;
  };
  const seen = new Set<K>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (size + 1 > (nb === 1 ? 0 : nb)) {
      const i = BUCKETS.indexOf(nb);
      rehash(i + 1 < BUCKETS.length ? BUCKETS[i + 1] : nb * 2 + 1); // (past the list: not libstdc++'s prime)
    }
    const node: Node<K> = { key, hash: hashOf(key), next: null };
    const b = bucketOf(node, nb);
    const before = buckets[b];
    if (before) {
      node.next = before.next; before.next = node;
    } else {
      node.next = head.next; head.next = node;
      if (node.next) buckets[bucketOf(node.next, nb)] = node;
      buckets[b] = head;
    }
    size++;
  }
  const out: K[] = [];
  for (let p = head.next; p; p = p.next) out.push(p.key);
  return out;
}
