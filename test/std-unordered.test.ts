// The iteration order of libstdc++'s std::unordered_map<std::string, T>
// (lib/util/std-unordered.ts), against orders and hashes printed by a small
// g++ 12 program that inserts the same keys in the same order.
import t from 'tap';
import { stdStringHash, unorderedMapOrder } from '../lib/util/std-unordered';

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
