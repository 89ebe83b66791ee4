// The iteration order of libstdc++'s std::unordered_map<std::string, T>
// (lib/util/std-unordered.ts), against orders and hashes printed by a small
// g++ 12 program that inserts the same keys in the same order.
import t from 'tap';
import { stdStringHash, unorderedIntMapOrder, unorderedMapOrder } from '../lib/util/std-unordered';

t.test('std::hash<std::string>', async (t) => {
  t.equal(stdStringHash('ad8301db070e'), 17734961437051880708n);
  t.equal(stdStringHash('a'), 4993892634952068459n);
  t.equal(stdStringHash('abcdefghij'), 18042067762304121004n);
});

t.test('iteration order after inserts and rehashes', async (t) => {
  t.same(unorderedMapOrder(['ad8301db070e', 'c644607f2c4e']), ['c644607f2c4e', 'ad8301db070e']);
  t.same(unorderedMapOrder('abcdefghijklmnopqrstuvwxyz'.split('')),
    'y x z w t v s r q o a b u p h n d k c i f g e j l m'.split(' '), '26 keys: rehashed to 29 buckets');
  t.same(unorderedMapOrder(['0123456789abcdef', '3f2a', 'host', 'cafe0123', 'deadbeef00ff', '9dbcbd0c435f']),
    ['9dbcbd0c435f', 'deadbeef00ff', 'host', 'cafe0123', '3f2a', '0123456789abcdef']);
  const c40 = Array.from({ length: 40 }, (_, i) => 'c' + (i + 1));
  t.same(unorderedMapOrder(c40), ('c40 c39 c38 c37 c36 c34 c31 c30 c13 c28 c4 c6 c25 c7 c5 c20 c12 c8 c9 c2 c29 c1 c35 ' +
    'c16 c15 c32 c23 c24 c10 c14 c17 c3 c19 c33 c21 c22 c18 c27 c11 c26').split(' '), '40 keys: 59 buckets');
  t.same(unorderedMapOrder(['b', 'a', 'b']), unorderedMapOrder(['b', 'a']), 'a repeated key keeps its place');
});

t.test('int64 keys (sysdig\'s thread and fd tables): the order of g++ 12\'s std::unordered_map<int64_t, int>', async (t) => {
  // keys inserted in the order given (repeats ignored, negatives as size_t), and the map's order as g++ 12 printed it
  const cases: [number[], number[]][] = [
    [[38, 94, -4, 66, 4, 82, 88, 10, 69, -4, -4, 60, 86, 52, 74, 48, -1, -3, 57, 94, 45, 31, 37, 62, 46, 65, 73, 93, 20, 0, 61, 9, 31, -2, 87, -3, 36, -1, 23],
     [36, 87, 74, 45, 52, 86, 57, 31, 88, 10, 69, 23, 82, -1, 4, -2, 62, 66, 37, 94, 65, 60, -4, 20, 38, 9, 48, 46, 73, 93, 0, -3, 61]],
    [[98, 19, -1, 73, 94, 78, 55, -4, -3, 93, 37, -4, -1, 25, 55, -3, 9, 98, 0, 13, 44, -1, 74, 92, 70, 85, 97, 90, 62, -4, 13],
     [62, 90, 97, 85, 70, 92, 74, 13, 0, 98, 19, -1, 93, 44, 73, 94, 55, -3, 78, -4, 25, 37, 9]],
    [[10255, 22822, 0, 4459, 21132, 37191, 31484, -4, 30993, -4, -1, 23127, -3, 34656, 20140, 24077, 24629, 14195, 8988, 17138, 16005, 30763, -4, 8220, 34440, -4, -2, 21437, 21364, -2, 0, -4, 26028, 39108, 39042, -1, 30107, 4707, -1, -4, 36804, 5010, 6135, 0, 4351, 29247, 32070, 15003],
     [32070, 29247, 4351, 5010, 36804, 4707, 15003, 30107, -1, 30763, 30993, -3, -4, 21132, 21364, 6135, 23127, 14195, 4459, -2, 0, 17138, 34656, 31484, 20140, 37191, 8220, 22822, 10255, 24077, 24629, 16005, 39042, 34440, 8988, 21437, 26028, 39108]],
    [[4936, -4, 0, 15825, 29333, 25527, 37705, 11941, 27598, 0, 3131, 0, 3991, 28018, 25325, 0, 4382, 19121, -3, 25909, -3, 19496, 17248, 26850, 9566, 1696, 11376, 7723, 10178, 19388, -3, 29037, -1, -3, 4932, 4401, -1, 0, 8202, 35728, 3729, 4519, 2958, 25242, 38179, -3, 26041, 10765, 0, -1, 25816, -1, 38949, 674, 12054, 36838, 7820],
     [7820, 12054, 674, 10765, 36838, 26041, 38179, 25242, 3729, 25816, 35728, 25325, 19496, 11376, 38949, 29037, 28018, 10178, 11941, 17248, 29333, 1696, 15825, 8202, -4, 3991, 0, 27598, 25527, 4936, 4382, -3, 19121, 26850, 2958, 25909, 9566, 7723, 19388, 3131, 37705, -1, 4519, 4401, 4932]],
  ];
  for (const [keys, want] of cases) t.same(unorderedIntMapOrder(keys), want);
});
