// The tracer parser (lib/state/tracers.ts) on generated input: it always
// ends, never throws, and keeps at most 128 open spans. (Its results are
// checked against sysdig 0.29.3 by the scry_live_tracer_writes goldens.)
import t from 'tap';
import { prng } from '../lib/filter/fuzzgen';
import { TracerParser, TracerResult, TracerSpans } from '../lib/state/tracers';

t.test('random and mutated tracer texts', async (t) => {
  const spans = new TracerSpans();
  spans.tracking = true;
  const parsers = [new TracerParser(), new TracerParser(), new TracerParser()];
  const alphabet = '><:tpg0123456789-.,=\\\n[]{}" abcx\0';
  const starts = ['>:', '<:', '[">", ', '["<", ', '>', '', '[', '>:p', '>:pp', '>:t:', '<:t:'];
  const random = prng(12345);
  const rnd = (n: number): number => Math.floor(random() * n);
  const ids = { tid: 7, pid: 7, ptid: 1 };
  let ok = 0, failed = 0, truncated = 0;
  for (let i = 0; i < 50000; i++) {
    let s = starts[rnd(starts.length)];
    // mostly short; some long enough to grow the parser's storage
    const len = rnd(10) === 0 ? 200 + rnd(400) : rnd(30);
    for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
    const b = Buffer.from(s, 'latin1');
    const p = parsers[rnd(parsers.length)];
    const r = p.process(b, 0, b.length, ids, BigInt(i), spans);
    if (r === TracerResult.OK) ok++; else if (r === TracerResult.FAILED) failed++; else truncated++;
    p.tagsText();
    p.parentSpan(spans);
    if (spans.open.length > 128) { t.fail(`${spans.open.length} open spans after ${JSON.stringify(s)}`); return; }
  }
  // (random text seldom makes a whole tracer: a handful of the 50,000 do)
  t.ok(ok >= 5 && failed > 500 && truncated > 1000, `all outcomes seen (ok ${ok}, failed ${failed}, truncated ${truncated})`);
});

t.test('well-formed tracers', async (t) => {
  const spans = new TracerSpans();
  spans.tracking = true;
  const p = new TracerParser();
  const ids = { tid: 10, pid: 20, ptid: 30 };
  const feed = (s: string, ts: number) => { const b = Buffer.from(s, 'latin1'); return p.process(b, 0, b.length, ids, BigInt(ts), spans); };
  t.equal(feed('>:t:a.b:x=1,y\\,z=2:', 100), TracerResult.OK);
  t.same([p.typeChar, p.id, p.tags, p.argNames, p.argVals], [0x3e, 10, ['a', 'b'], ['x', 'y,z'], ['1', '2']]);
  t.equal(feed('["<", "pp", ["a", "b"], [{"k": "v"}]]', 250), TracerResult.OK);
  t.same([p.typeChar, p.id, p.tags, p.argNames, p.argVals], [0x3c, 30, ['a', 'b'], ['k'], ['v']]);
  t.equal(p.enter, undefined, 'an exit with another id closes no span');
  t.equal(feed('<:10:a.b::', 300), TracerResult.OK);
  t.equal(p.exit.time - p.enter!.time, 200n, 'the exit finds its enter');
  t.equal(feed('>:0:x::', 400), TracerResult.TRUNCATED, 'a leading 0 waits for more (as sysdig)');
  t.equal(feed(':', 401), TracerResult.TRUNCATED, 'and keeps waiting');
});
