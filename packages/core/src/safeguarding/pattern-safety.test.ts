import { describe, expect, it } from 'vitest';
import { patternProblem } from './pattern-safety.js';

describe('patternProblem', () => {
  it.each([
    '\\bkill (?:my ?self|me)\\b',
    '\\bi (?:\\w{1,20} ){0,3}want to die\\b',
    '\\b(?:cut|cutting) my (?:arm|arms|wrist)s?\\b',
    '[a-z]{2,8} kms',
    '\\bnumber # (?:is|was)\\b',
    '^hi$',
    '\\bsu[i1]c[i1]de\\b',
    '(?<verb>hit|punch) me',
  ])('accepts %s', (source) => {
    expect(patternProblem(source)).toBeNull();
  });

  it.each([
    ['kill.*myself', 'unbounded repetition "*"'],
    ['\\w+ myself', 'unbounded repetition "+"'],
    ['a{2,}', 'unbounded repetition "{2,}"'],
    ['a{0,50}', 'too large'],
    ['(a{1,5}){1,5}', 'repeated group that repeats inside'],
    ['(?:a|ab){1,5}', 'cannot have alternatives'],
    ['\\w{0,20}\\w{0,20}\\w{0,20}x', 'in more than 1000 ways'],
    [`${'a?'.repeat(12)}aaaaa`, 'in more than 1000 ways'],
    ['(a)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['kill(?= me)', 'lookahead'],
    ['(?<!not )kill', 'lookbehind'],
    ['Kill', 'lower-case'],
    ['(unclosed', 'not a valid regular expression'],
    ['a?', 'must not match empty text'],
    ['x'.repeat(301), 'at most 300'],
  ])('rejects %s', (source, message) => {
    expect(patternProblem(source)).toContain(message);
  });

  it('keeps accepted patterns linear on adversarial text', () => {
    // The worst inputs for backtracking: long runs that almost match.
    const texts = [`${'a'.repeat(10_000)}!`, `${'a '.repeat(5_000)}!`, ' '.repeat(10_000)];
    const patterns = [
      '[a-z]{0,20} [a-z]{0,20}x',
      '(?:\\w{1,20} ){0,3}want',
      'a{0,20}b{0,20}c',
      '\\w{0,20}\\w{0,20}x',
      `${'a?'.repeat(9)}b`,
    ];
    for (const source of patterns) {
      expect(patternProblem(source)).toBeNull();
      const pattern = new RegExp(source, 'gu');
      for (const text of texts) {
        const started = performance.now();
        pattern.lastIndex = 0;
        while (pattern.exec(text)) {
          // Consume every match.
        }
        expect(performance.now() - started).toBeLessThan(200);
      }
    }
  });
});
