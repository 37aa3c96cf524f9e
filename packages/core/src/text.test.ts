import { describe, expect, it } from 'vitest';
import { countCharacters, safeText } from './text.js';

function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('safeText', () => {
  const title = safeText({ max: 10 });

  it('trims and normalises to NFC', () => {
    // "e" + combining acute becomes the single code point "é".
    expect(title.parse('  Cafe\u0301  ')).toBe('Caf\u00e9');
    expect(title.parse('Café').length).toBe(4);
  });

  it('counts characters after normalising, in code points', () => {
    expect(title.parse('e\u0301'.repeat(10))).toBe('é'.repeat(10));
    expect(title.parse('🙂'.repeat(10))).toBe('🙂'.repeat(10));
    expect(messagesOf(title.safeParse('🙂'.repeat(11)))).toEqual(['Must be at most 10 characters']);
  });

  it('rejects text that is empty once trimmed', () => {
    expect(messagesOf(title.safeParse('   '))).toEqual(["Can't be empty"]);
    expect(messagesOf(title.safeParse(''))).toEqual(["Can't be empty"]);
  });

  it('enforces a custom minimum, and allows blank text with min 0', () => {
    expect(messagesOf(safeText({ min: 3, max: 10 }).safeParse('ab'))).toEqual([
      'Must be at least 3 characters',
    ]);
    expect(safeText({ min: 0, max: 10 }).parse('  ')).toBe('');
  });

  it('says "1 character" rather than "1 characters"', () => {
    expect(messagesOf(safeText({ max: 1 }).safeParse('ab'))).toEqual([
      'Must be at most 1 character',
    ]);
  });

  it('rejects values that are not strings', () => {
    expect(messagesOf(title.safeParse(42))).toEqual(['Must be text']);
    expect(messagesOf(title.safeParse(undefined))).toEqual(['Must be text']);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['escape', 'a\u001B[31mb'],
    ['carriage return', 'a\rb'],
    ['DEL', 'a\u007Fb'],
    ['C1 control', 'a\u0085b'],
  ])('rejects a %s character', (_, value) => {
    expect(messagesOf(title.safeParse(value))).toEqual([
      "Can't contain line breaks, tabs or hidden control characters",
    ]);
  });

  it('rejects line breaks and tabs in single-line text', () => {
    expect(title.safeParse('a\nb').success).toBe(false);
    expect(title.safeParse('a\tb').success).toBe(false);
  });

  it('allows line breaks and tabs in multiline text and turns CRLF into LF', () => {
    const message = safeText({ max: 100, multiline: true });
    expect(message.parse('Hi\n\tthere')).toBe('Hi\n\tthere');
    expect(message.parse('one\r\ntwo\r\n')).toBe('one\ntwo');
    expect(messagesOf(message.safeParse('one\rtwo'))).toEqual([
      "Can't contain hidden control characters",
    ]);
    expect(message.safeParse('a\u0000b').success).toBe(false);
  });

  it.each([
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ])('rejects the bidi control %j', (character) => {
    expect(messagesOf(title.safeParse(`ab${character}cd`))).toEqual([
      "Can't contain characters that change the direction of text",
    ]);
  });

  it.each([
    '\u200B',
    '\u200C',
    '\u200D',
    '\uFEFF',
  ])('rejects the zero-width character %j inside text', (character) => {
    expect(messagesOf(title.safeParse(`ad${character}min`))).toEqual([
      "Can't contain invisible characters",
    ]);
  });

  it('allows zero-width joiners that are part of an emoji', () => {
    const rainbowFlag = '🏳️‍🌈';
    const family = '👩‍👩‍👧';
    const darkSkinnedFarmer = '🧑🏿‍🌾';
    expect(title.parse(`Hi ${rainbowFlag}`)).toBe(`Hi ${rainbowFlag}`);
    expect(title.parse(family)).toBe(family);
    expect(title.parse(darkSkinnedFarmer)).toBe(darkSkinnedFarmer);
    expect(title.safeParse('🙂\u200Da').success).toBe(false);
    expect(title.safeParse('a\u200D🙂').success).toBe(false);
  });

  it('rejects lone surrogates but not emoji', () => {
    expect(messagesOf(title.safeParse('a\uD83Db'))).toEqual([
      'Contains a broken character — try typing it again',
    ]);
    expect(messagesOf(title.safeParse('a\uDE00'))).toEqual([
      'Contains a broken character — try typing it again',
    ]);
    expect(title.parse('a\uD83D\uDE00')).toBe('a😀');
  });

  it('fails loudly on impossible options', () => {
    expect(() => safeText({ max: 0.5 })).toThrow('safeText needs whole numbers');
    expect(() => safeText({ min: 5, max: 4 })).toThrow('0 ≤ min ≤ max (got min 5, max 4)');
    expect(() => safeText({ min: -1, max: 4 })).toThrow('safeText needs whole numbers');
  });
});

describe('countCharacters', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(countCharacters('')).toBe(0);
    expect(countCharacters('abc')).toBe(3);
    expect(countCharacters('🙂 hi')).toBe(4);
    expect('🙂 hi'.length).toBe(5);
  });
});
