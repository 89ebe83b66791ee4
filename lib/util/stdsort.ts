// An introsort with the exact step order of libstdc++'s std::sort.
//
// sysdig sorts some tables (the -S summary, chisel top-N tables) with
// std::sort, which is not stable: rows that compare equal come out in an
// order fixed by the algorithm's steps. Replaying those steps reproduces
// sysdig's order byte for byte.

const THRESHOLD = 16;

export function stdSort<T>(a: T[], less: (x: T, y: T) => boolean): T[] {
  const n = a.length;
  if (n < 2) return a;
  introLoop(a, 0, n, 2 * Math.floor(Math.log2(n)), less);
  finalInsertion(a, 0, n, less);
  return a;
}

function swap<T>(a: T[], i: number, j: number): void { const t = a[i]; a[i] = a[j]; a[j] = t; }

function introLoop<T>(a: T[], first: number, last: number, depth: number, less: (x: T, y: T) => boolean): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) { heapSortRange(a, first, last, less); return; }
    depth--;
    const mid = first + ((last - first) >> 1);
    medianToFirst(a, first, first + 1, mid, last - 1, less);
    const cut = unguardedPartition(a, first + 1, last, first, less);
    introLoop(a, cut, last, depth, less);
    last = cut;
  }
}

function medianToFirst<T>(a: T[], r: number, x: number, y: number, z: number, less: (x: T, y: T) => boolean): void {
  if (less(a[x], a[y])) {
    if (less(a[y], a[z])) swap(a, r, y);
    else if (less(a[x], a[z])) swap(a, r, z);
    else swap(a, r, x);
  } else if (less(a[x], a[z])) swap(a, r, x);
  else if (less(a[y], a[z])) swap(a, r, z);
  else swap(a, r, y);
}

function unguardedPartition<T>(a: T[], first: number, last: number, pivot: number, less: (x: T, y: T) => boolean): number {
  for (;;) {
    while (less(a[first], a[pivot])) first++;
    last--;
    while (less(a[pivot], a[last])) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function finalInsertion<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  if (last - first > THRESHOLD) {
    insertion(a, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) linearInsert(a, i, less);
  } else insertion(a, first, last, less);
}

function insertion<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(a[i], a[first])) {
      const v = a[i];
      for (let k = i; k > first; k--) a[k] = a[k - 1];
      a[first] = v;
    } else linearInsert(a, i, less);
  }
}

function linearInsert<T>(a: T[], last: number, less: (x: T, y: T) => boolean): void {
  const v = a[last];
  let next = last - 1;
  while (less(v, a[next])) { a[last] = a[next]; last = next; next--; }
  a[last] = v;
}

// Heap sort as std::partial_sort(first, last, last) does it.
function heapSortRange<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  const len = last - first;
  for (let parent = (len - 2) >> 1; parent >= 0; parent--) adjustHeap(a, first, parent, len, a[first + parent], less);
  for (let end = last - 1; end > first; end--) {
    const v = a[end];
    a[end] = a[first];
    adjustHeap(a, first, 0, end - first, v, less);
  }
}

function adjustHeap<T>(a: T[], first: number, hole: number, len: number, v: T, less: (x: T, y: T) => boolean): void {
  const top = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if (less(a[first + child], a[first + child - 1])) child--;
    a[first + hole] = a[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    a[first + hole] = a[first + child - 1];
    hole = child - 1;
  }
  let parent = (hole - 1) >> 1;
  while (hole > top && less(a[first + parent], v)) {
    a[first + hole] = a[first + parent];
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  a[first + hole] = v;
}
