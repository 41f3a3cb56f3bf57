import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledPattern } from '../../../src/policy/engine/patterns.js';
import { ArnSourceBuilder, GlobSourceBuilder } from '../../../src/policy/engine/wildcard.js';
import { mulberry32 } from '../../support/seededRandom.js';

/**
 * A pattern whose one wildcard is a trailing `*` (`arn:aws:s3:::bucket/data/*`, `team-*`) is answered by a prefix
 * comparison (patterns.ts `trailingStarPrefix`): it must answer exactly as the anchored regex the pattern compiles to,
 * for ARN patterns (where a `*` before the fifth colon stays within its component) and globs alike.
 */
function regexOf(pattern: string, mode: 'arn' | 'glob'): RegExp {
  const builder = mode === 'arn' ? new ArnSourceBuilder() : new GlobSourceBuilder();
  builder.text(pattern);
  return builder.build();
}

describe('a trailing-* pattern answers as its regex (randomized)', () => {
  const pieces = ['arn:aws:s3:::', 'bucket', '/', 'data', ':', 'a', 'é', '😀', '\ud83d', '\ude00', '?', '*', '.', '$', '${*}'];
  const draw = (rnd: () => number, max: number): string => {
    let s = '';
    const n = Math.floor(rnd() * max);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)] ?? '';
    return s;
  };
  for (const seed of [31, 32, 33]) {
    it(`seed ${seed}`, () => {
      const rnd = mulberry32(seed);
      let matches = 0;
      for (let i = 0; i < 2000; i++) {
        const mode = rnd() < 0.5 ? 'arn' : 'glob';
        const pattern = `${draw(rnd, 6)}*`;
        // variables off: `${*}` stays text, so the pattern is one text part as the fast path requires
        const compiled = new CompiledPattern(pattern, mode, false);
        const regex = regexOf(pattern, mode);
        for (let j = 0; j < 8; j++) {
          const value = rnd() < 0.6 ? pattern.slice(0, -1).replace(/[*?]/g, 'x') + draw(rnd, 4) : draw(rnd, 8);
          const expected = regex.test(value);
          if (expected) matches += 1;
          assert.equal(compiled.test(value, () => undefined), expected, `${mode} ${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`);
        }
      }
      assert.ok(matches > 1000, `only ${matches} matching values drawn`);
    });
  }

  it('the S3 resource shapes of everyday policies', () => {
    const data = new CompiledPattern('arn:aws:s3:::photos/data/*', 'arn', true);
    assert.equal(data.test('arn:aws:s3:::photos/data/x', () => undefined), true);
    assert.equal(data.test('arn:aws:s3:::photos/data/', () => undefined), true);
    assert.equal(data.test('arn:aws:s3:::photos/data/a:b/c', () => undefined), true);
    assert.equal(data.test('arn:aws:s3:::photos/dat', () => undefined), false);
    assert.equal(data.test('arn:aws:s3:::photos2/data/x', () => undefined), false);
    // a `*` within the first five components does not cross a colon: the regex answers these
    const service = new CompiledPattern('arn:aws:s3*', 'arn', true);
    assert.equal(service.test('arn:aws:s3', () => undefined), true);
    assert.equal(service.test('arn:aws:s3:::photos', () => undefined), false);
  });
});
