import { describe, expect, it } from 'vitest';
import {
  describeTricks,
  Normalizer,
  normalizeForMatching,
  splitWords,
  tricksIn,
  Vocabulary,
} from './normalize.js';

const view = (text: string) => normalizeForMatching(text).text;
const alternate = (text: string) => normalizeForMatching(text).alternate;

/** The original text behind the view characters of `word` (first occurrence) in the view. */
function originalOf(text: string, word: string, which: 'text' | 'alternate' = 'text'): string {
  const normalized = normalizeForMatching(text);
  const folded = which === 'text' ? normalized.text : normalized.alternate!;
  const at = folded.indexOf(word);
  if (at < 0) throw new Error(`${word} not in ${folded}`);
  const { start, end } = normalized.originalSpan(at, at + word.length, which);
  return text.slice(start, end);
}

describe('normalizeForMatching: each trick', () => {
  it('folds case', () => {
    expect(view('KILL MySelf')).toBe('kil myself');
  });

  it('removes accents and other marks', () => {
    expect(view('kïll mÿsélf')).toBe('kil myself');
    expect(view('cafe\u0301')).toBe('cafe');
    // "Zalgo" text stacks combining marks on every letter.
    expect(view('k̷̢i̵l̶l̸')).toBe('kil');
  });

  it('folds full-width and mathematical letters (NFKD)', () => {
    expect(view('ｋｉｌｌ')).toBe('kil');
    expect(view('𝐤𝐢𝐥𝐥 𝓶𝔂𝓼𝓮𝓵𝓯')).toBe('kil myself');
    expect(view('ⓚⓘⓛⓛ')).toBe('kil');
  });

  it('maps Cyrillic and Greek look-alikes, before and after lower-casing', () => {
    expect(view('kиll')).toBe('kil');
    expect(view('КILL')).toBe('kil');
    expect(view('ѕuісіdе')).toBe('suicide');
    expect(view('ΚΙΛΛ'.replace(/Λ/g, 'L'))).toBe('kil');
    expect(view('ηο')).toBe('no');
  });

  it('maps small capitals and regional-indicator letters', () => {
    expect(view('ᴋɪʟʟ ᴍʏsᴇʟꜰ')).toBe('kil myself');
    expect(view('🇰🇮🇱🇱 me')).toBe('kil me');
  });

  it('undoes leetspeak inside words', () => {
    expect(view('I w4nt t0 d!e')).toBe('i want to die');
    expect(view('$hit')).toBe('shit');
    expect(view('5u1c1d3')).toBe('suicide');
    expect(view('w@nt')).toBe('want');
  });

  it('reads an ambiguous 1, ! or | both ways', () => {
    expect(normalizeForMatching('ki11').text).toBe('ki');
    expect(alternate('ki11')).toBe('kil');
    expect(alternate('se1f harm')).toBe('self harm');
  });

  it('builds the other reading only when it could be a word of the rule set', () => {
    const vocabulary = new Vocabulary(['kill', 'die', 'self']);
    const normalizer = new Normalizer();
    expect(normalizer.normalize('i want to d!e', vocabulary).alternate).toBeNull();
    expect(normalizer.normalize('ki11', vocabulary).alternate).not.toBeNull();
    expect(normalizer.normalize('se1f', vocabulary).alternate).not.toBeNull();
  });

  it('covers only the words around an ambiguity in the alternate view', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}`);
    const text = `${words.join(' ')} ki11 ${words.join(' ')}`;
    const normalized = normalizeForMatching(text);
    expect(normalized.alternate).toContain('kil');
    expect(normalized.alternate!.length).toBeLessThan(normalized.text.length / 2);
  });

  it('keeps numbers as numbers, so phone numbers stay detectable', () => {
    expect(view('my number is 07700 900123')).toBe('my number is # #');
    expect(view("I'm 15 and love football")).toBe('im # and love fotbal');
    // The digits themselves are still in the original text the detectors read.
    expect(originalOf('call 07700 900123', '#')).toBe('07700');
  });

  it('leaves punctuation at the edges of words alone', () => {
    expect(view('help!')).toBe('help');
    expect(view('!!! wow')).toBe('wow');
    expect(view('"kill"')).toBe('kil');
  });

  it('collapses repeated letters into one, keeping how many there were', () => {
    expect(view('kiiiiilllll')).toBe('kil');
    expect(view('kill')).toBe('kil');
    const normalizer = new Normalizer();
    const { base } = normalizer.normalize('kill kiiill kil');
    // Views start and end with a space; runs of 3 or more are recorded as 3.
    const runs = Array.from(base.run.slice(0, base.length));
    expect(runs).toEqual([1, 1, 1, 2, 1, 1, 3, 2, 1, 1, 1, 1, 1]);
  });

  it('joins letters spaced out with spaces or punctuation', () => {
    // Without a vocabulary the letters join into one word; the engine passes its rule set's
    // words, which split them again (below).
    expect(alternate('k i l l m y s e l f')).toBe('kilmyself');
    expect(view('s.u.i.c.i.d.e')).toBe('suicide');
    expect(view('k-i-l-l')).toBe('kil');
    expect(view('k.i.l.l')).toBe('kil');
  });

  it('splits spelled-out letters back into the rule set words', () => {
    const vocabulary = new Vocabulary(['i', 'kill', 'myself', 'want', 'to', 'die']);
    const normalizer = new Normalizer();
    const spelled = normalizer.normalize('i w a n t t o d i e', vocabulary);
    const text = (v: typeof spelled.base) => String.fromCodePoint(...v.code.slice(1, v.length - 1));
    expect(text(spelled.base)).toBe('i w a n t t o d i e');
    expect(text(spelled.alternate!)).toBe('i want to die');
    expect(text(normalizer.normalize('k.i.l.l.m.y.s.e.l.f', vocabulary).alternate!)).toBe(
      'kil myself',
    );
  });

  it('drops punctuation and invisible characters inside words', () => {
    expect(view('su*icide')).toBe('suicide');
    expect(view("don't")).toBe('dont');
    expect(view('don’t')).toBe('dont');
    expect(view('self-harm')).toBe('selfharm');
    expect(view('ki\u200Bll')).toBe('kil');
    expect(view('ki\u00ADll')).toBe('kil');
  });

  it('keeps a full stop between two words a word break, and joins it in the alternate view', () => {
    expect(view('school.kill me')).toBe('schol kil me');
    expect(alternate('school.kill me')).toBe('scholkil me');
    expect(alternate('su.icide')).toBe('suicide');
  });
});

describe('normalizeForMatching: mapping back to the original', () => {
  it('points each view character at its original span', () => {
    expect(originalOf('I w4nt t0 d!e', 'want to die')).toBe('w4nt t0 d!e');
    expect(originalOf('Please, KIIIILL myself', 'kil myself')).toBe('KIIIILL myself');
    expect(originalOf('x kиll y', 'kil')).toBe('kиll');
    expect(originalOf('ok 𝐤𝐢𝐥𝐥 ok', 'kil')).toBe('𝐤𝐢𝐥𝐥');
    expect(originalOf('k̷i̵l̶l̸!', 'kil')).toBe('k̷i̵l̶l̸');
  });

  it('covers the whole spaced-out word', () => {
    expect(originalOf('oh k i l l m y s e l f ok', 'kilmyself', 'alternate')).toBe(
      'k i l l m y s e l f',
    );
  });

  it('names the tricks used in a span', () => {
    const tricks = (text: string) => describeTricks(tricksIn(text, 0, text.length));
    expect(tricks('w4nt t0 d!e')).toEqual(['leetspeak']);
    expect(tricks('kиll')).toEqual(['look-alike characters']);
    expect(tricks('k i l l')).toEqual(['spaced-out letters']);
    expect(tricks('su*icide')).toEqual(['punctuation inside words']);
    expect(tricks('kïll')).toEqual(['accents']);
    expect(tricks('ki\u200Bll')).toEqual(['invisible characters']);
    expect(tricks('kill')).toEqual([]);
  });
});

describe('splitWords', () => {
  const codes = (text: string) => [...text].map((c) => c.codePointAt(0)!);
  const vocabulary = new Vocabulary(['the', 'rapist', 'therapist', 'want', 'to', 'die', 'i']);

  it('prefers the fewest unknown letters, then the fewest words', () => {
    expect(splitWords(codes('iwanttodie'), vocabulary)).toEqual([1, 5, 7]);
    expect(splitWords(codes('therapist'), vocabulary)).toEqual([]);
    expect(splitWords(codes('plswanttodie'), vocabulary)).toEqual([1, 2, 3, 7, 9]);
  });

  it('leaves letters alone without a vocabulary', () => {
    expect(splitWords(codes('iwanttodie'), null)).toEqual([]);
  });
});

describe('Normalizer', () => {
  // The one-pass base view is the hot path; building it from atoms is the readable reference.
  it('builds the same base view in one pass as from atoms, on random text', () => {
    const pieces = [
      ...'abkilesAK ',
      ' ',
      '.',
      '-',
      '*',
      '!',
      '@',
      '$',
      '1',
      '0',
      '3',
      '|',
      '\u200B',
      '\u0301',
      'и',
      'Ｋ',
      '😂',
      '\n',
      ',',
      '#',
      '_',
      'ß',
      'æ',
      '+',
      '/',
      '’',
      "'",
      '9',
      '(',
      '\uD83D',
      '\uDE00',
      'ﬃ',
      '😂\uFE0F',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const fast = new Normalizer();
    const reference = new Normalizer();
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = Math.floor(random() * 16);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)];
      const a = fast.normalize(text);
      const b = reference.referenceBase(text);
      const sameView =
        a.base.length === b.view.length &&
        ['code', 'start', 'end', 'run'].every((field) => {
          const x = a.base[field as 'code'];
          const y = b.view[field as 'code'];
          for (let i = 0; i < a.base.length; i++) if (x[i] !== y[i]) return false;
          return true;
        });
      if (!sameView || (a.alternate !== null) !== b.needsAlternate) {
        expect.fail(`views differ for ${JSON.stringify(text)}`);
      }
      expect(a.facts).toEqual(b.facts);
    }
  });

  // The alternate view is built in one pass too; from the atoms of its windows is the reference.
  it('builds the same alternate view in one pass as from atoms, on random text', () => {
    const pieces = [
      ...'abkilesAK ',
      ' ',
      '  ',
      '.',
      ' . ',
      '-',
      '*',
      '!',
      '@',
      '$',
      '1',
      '0',
      '|',
      '\u200B',
      '\u0301',
      'и',
      'Ｋ',
      '😂',
      '\n',
      ',',
      '#',
      'ß',
      'ﬃ',
      '+',
      '/',
      "'",
      '9',
      '\uD83D',
      '\uDE00',
      'a ',
      'i ',
      'k ',
      'kill',
      'me',
    ];
    const vocabulary = new Vocabulary(['i', 'a', 'kill', 'me', 'lie', 'skill', 'is', 'ask', 'ill']);
    let seed = 13;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    // Runs of one-letter words with gaps of every width, which are split into words.
    const singles = ['a', 'k', 'i', 'l', '1', '0', '!', 'и', 'ß', 'me', 'kill', '\u200B'];
    const gaps = [' ', '  ', '   ', '    ', ', ', ' . ', '-', '.', '\n\n\n\n', ' \u200B '];
    const fast = new Normalizer();
    const reference = new Normalizer();
    let compared = 0;
    for (let n = 0; n < 30_000; n++) {
      let text = '';
      if (n % 3 === 2) {
        const length = Math.floor(random() * 30);
        for (let j = 0; j < length; j++) {
          text += singles[Math.floor(random() * singles.length)];
          text += gaps[Math.floor(random() * gaps.length)];
        }
      } else {
        // Longer texts with little context around each ambiguity give several windows.
        const length = Math.floor(random() * (n % 2 === 0 ? 16 : 60));
        for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)];
      }
      const words = n % 3 === 0 ? null : vocabulary;
      const context = 1 + (n % 4);
      const a = fast.normalize(text, words, context).alternate;
      const b = reference.referenceAlternate(text, words, context);
      if (a === null || b === null) {
        if (a !== b) expect.fail(`only one alternate view for ${JSON.stringify(text)}`);
        continue;
      }
      compared++;
      const sameView =
        a.length === b.length &&
        ['code', 'start', 'end', 'run'].every((field) => {
          const x = a[field as 'code'];
          const y = b[field as 'code'];
          for (let i = 0; i < a.length; i++) if (x[i] !== y[i]) return false;
          return true;
        });
      if (!sameView) expect.fail(`alternate views differ for ${JSON.stringify(text)}`);
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('never throws, on any UTF-16, including lone surrogates and unassigned code points', () => {
    const normalizer = new Normalizer();
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let n = 0; n < 2000; n++) {
      const units = Array.from({ length: Math.floor(random() * 40) }, () =>
        Math.floor(random() * 0x10000),
      );
      const text = String.fromCharCode(...units);
      const result = normalizer.normalize(text);
      expect(result.base.length).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < result.base.length; i++) {
        expect(result.base.end[i]).toBeLessThanOrEqual(text.length);
        expect(result.base.start[i]).toBeLessThanOrEqual(result.base.end[i]!);
      }
    }
  });

  it('handles text longer than its retained buffers', () => {
    const long = `${'a '.repeat(40_000)}kill myself`;
    expect(view(long).endsWith('kil myself')).toBe(true);
    expect(view('short again')).toBe('short again');
  });
});
