import { describe, expect, it } from 'vitest';
import { compilePhrase, expandPhrase, phraseProblem, type Slot, vocabularyOf } from './phrases.js';

const text = (codes: number[]) => String.fromCodePoint(...codes);

describe('expandPhrase', () => {
  it('lists every variant of the groups', () => {
    expect(expandPhrase("(i'll|i will) (kill|hurt) you")).toEqual([
      "i'll kill you",
      "i'll hurt you",
      'i will kill you',
      'i will hurt you',
    ]);
  });

  it('treats an empty alternative as optional, without doubled spaces', () => {
    expect(expandPhrase('i (really|) want to die')).toEqual([
      'i really want to die',
      'i want to die',
    ]);
  });

  it('fails loudly on malformed phrases', () => {
    expect(() => expandPhrase('(a|b')).toThrow('unmatched "("');
    expect(() => expandPhrase('a|b)')).toThrow('unmatched ")"');
    expect(() => expandPhrase('((a|b)|c)')).toThrow('nested parentheses');
    expect(() => expandPhrase('kill(s|ing)')).toThrow('whole words');
    expect(() => expandPhrase('(a|b|c|d|e|f|g|h|i|j) '.repeat(4))).toThrow('more than 1000');
    expect(() => expandPhrase('kill {you}')).toThrow('unexpanded template');
  });
});

describe('compilePhrase', () => {
  it('splits a phrase into an anchor and slots that together stand for every variant', () => {
    const subjects = Array.from(
      { length: 70 },
      (_, i) => `mate${String.fromCharCode(97 + (i % 26))}`,
    );
    const phrase = `(${subjects.join('|')}|my dad) (hits|beats) me`;
    const shape = compilePhrase(phrase)[0]!;
    const texts = (slots: Slot[]) =>
      slots.reduce<string[]>(
        (prefixes, slot) =>
          prefixes.flatMap((prefix) =>
            slot.map((option) => [prefix, option.text].filter(Boolean).join(' ')),
          ),
        [''],
      );
    const rebuilt = shape.anchors.flatMap((anchor) =>
      texts(shape.left).flatMap((left) =>
        texts(shape.right).map((right) => [left, anchor.text, right].filter(Boolean).join(' ')),
      ),
    );
    expect(new Set(rebuilt)).toEqual(new Set(expandPhrase(phrase)));
    // The automaton holds the anchors only, far fewer than the 142 variants.
    expect(shape.anchors.length).toBeLessThan(100);
  });

  it('avoids anchors made only of common words, which would be checked everywhere', () => {
    const shape = compilePhrase('(i|we|my sister) (go|goes|went) to')[0]!;
    expect(shape.anchors.map((anchor) => anchor.text)).not.toContain('to');
  });

  it('adds joined forms for small phrases of up to three words', () => {
    const shapes = compilePhrase('kill (myself|my self)');
    expect(shapes).toHaveLength(2);
    expect(shapes[1]!.anchors.map((anchor) => text(anchor.codes))).toEqual(['kilmyself']);
    // Long phrases are only matched with their spaces.
    expect(compilePhrase('no one needs to know about us')).toHaveLength(1);
  });

  it('keeps the typed length of each run, and # for numbers', () => {
    const shape = compilePhrase('# kms')[0]!;
    expect(text(shape.anchors[0]!.codes)).toBe('# kms');
    const [kill] = compilePhrase('kill');
    expect(kill!.anchors[0]!.runs).toEqual([1, 1, 2]);
  });

  it('refuses phrases that cannot be matched', () => {
    expect(phraseProblem('#')).toContain('no letters');
    expect(phraseProblem('a')).toContain('shorter than two characters');
    expect(phraseProblem('!!!')).toContain('no letters');
    expect(phraseProblem('kill myself')).toBeNull();
  });
});

describe('vocabularyOf', () => {
  it('lists the words of every variant, spelled with their doubled letters', () => {
    expect(vocabularyOf(['(i|we) want to (die|kill myself)', '# kms'])).toEqual([
      'die',
      'i',
      'kill',
      'kms',
      'myself',
      'to',
      'want',
      'we',
    ]);
  });
});
