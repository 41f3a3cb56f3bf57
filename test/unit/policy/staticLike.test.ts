import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition } from '../../../src/policy/engine/conditions.js';
import { globRegExp } from '../../../src/policy/engine/wildcard.js';
import { mulberry32 } from '../../support/seededRandom.js';

/**
 * StringLike values without variables are compiled into a set of the plain values plus the wildcard ones
 * (conditions.ts `staticLike`): a request value must match exactly when one of the values' own anchored regexes does.
 */
describe('StringLike without variables answers as the values’ regexes (randomized)', () => {
  const alphabet = ['a', 'b', 'A', '-', ':', '*', '*', '?', 'é', '😀', 'cost', 'aws:'];
  const draw = (rnd: () => number, max: number): string => {
    let s = '';
    const n = Math.floor(rnd() * max);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)] ?? '';
    return s;
  };
  for (const seed of [21, 22, 23]) {
    it(`seed ${seed}`, () => {
      const rnd = mulberry32(seed);
      let matches = 0;
      let checks = 0;
      for (let i = 0; i < 1500; i++) {
        const values = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => draw(rnd, 5));
        const condition = compileCondition('StringLike', 's3:prefix', values, { variables: true, allowForeignKeys: false });
        const regexes = values.map((v) => globRegExp(v));
        for (let j = 0; j < 10; j++) {
          // half the request values are a policy value with its wildcards filled in, so that some match
          const base = values[Math.floor(rnd() * values.length)] ?? '';
          const candidate = rnd() < 0.5 ? base.replace(/\*/g, () => draw(rnd, 3)).replace(/\?/g, () => draw(rnd, 1) || 'x') : draw(rnd, 6);
          const expected = regexes.some((re) => re.test(candidate));
          if (expected) matches++;
          checks++;
          assert.equal(condition.matchAny(candidate, () => undefined), expected, `${JSON.stringify(values)} on ${JSON.stringify(candidate)}`);
        }
      }
      assert.ok(matches > checks / 5 && matches < checks - checks / 5, `${matches} of ${checks}`);
    });
  }

  it('values with a variable still resolve it', () => {
    const condition = compileCondition('StringLike', 's3:prefix', ['home/${aws:username}/*', 'public/*'], { variables: true, allowForeignKeys: false });
    assert.equal(condition.matchAny('home/alice/x', (ref) => (ref.def.name === 'aws:username' ? 'alice' : undefined)), true);
    assert.equal(condition.matchAny('public/x', () => undefined), 'unresolved');
  });
});
