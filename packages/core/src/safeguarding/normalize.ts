/**
 * Normalisation for risk detection: folds what a person typed into a plain "words view" — lower
 * case a–z (and the letters of other scripts), numbers as `#`, single spaces between words —
 * while remembering, for every character of the view, which span of the original text it came
 * from. Matching happens on the view; results point at the original.
 *
 * Each trick a determined teenager might use to walk around a filter is undone here:
 * case, accents and other marks (NFKD), look-alike letters (full-width, mathematical and other
 * compatibility forms via NFKD, plus a confusables map for Cyrillic, Greek and small capitals),
 * leetspeak (`w4nt t0 d!e`), repeated letters (`kiiiill`, collapsed into runs whose length is
 * kept), letters spaced out (`k i l l`), punctuation and invisible characters inside words
 * (`su*icide`, `s.u.i.c.i.d.e`, `ki\u200Bll`).
 *
 * Pure and linear. The base view is built in one pass over the text (`emitBase`, the hot
 * path). A second, "alternate" view is built only where the text holds an ambiguity the base
 * view had to decide one way (`1` as i or l when the other reading is a word of the rule set,
 * a full stop between two words or inside one, single letters that may be a spaced-out word,
 * which are split back into the rule set's words): it covers the words around each ambiguity,
 * also in one pass (`emitAlternate`). Both have a reference built from "atoms" (one per code
 * point) in separate passes, which the tests compare them with. Matches from either view
 * count. The detectors get atoms of the few places they need (around @, long digit runs).
 */

/**
 * What a code point is, for word-building. An enum rather than an object so that esbuild
 * (tsx, tsup) inlines the values into the hot loops.
 */
export enum Kind {
  /** Between words: whitespace, most punctuation, emoji. */
  separator = 0,
  letter = 1,
  digit = 2,
  /** A symbol used as a letter in leetspeak (`@`, `$`, `!`, `|`, `+`, `€`), when inside a word. */
  symbol = 3,
  /** Punctuation dropped when it sits inside a word (`*`, `-`, `'`, `_`): `su*icide`. */
  joiner = 4,
  /**
   * Punctuation that ends sentences as often as it hides words (`.`, `,`, `/`): dropped between
   * single letters (`s.u.i.c.i.d.e`), a word break otherwise, and dropped in the alternate view.
   */
  softJoiner = 5,
  /** Marks, zero-width and control characters: skipped as if absent. */
  ignorable = 6,
}

/** Bits recording which trick was undone for a character of the view, for explanations. */
export const Trick = {
  accent: 1,
  lookalike: 2,
  leet: 4,
  repeated: 8,
  spaced: 16,
  punctuation: 32,
  invisible: 64,
} as const;

const trickNames: readonly [number, string][] = [
  [Trick.accent, 'accents'],
  [Trick.lookalike, 'look-alike characters'],
  [Trick.leet, 'leetspeak'],
  [Trick.repeated, 'repeated letters'],
  [Trick.spaced, 'spaced-out letters'],
  [Trick.punctuation, 'punctuation inside words'],
  [Trick.invisible, 'invisible characters'],
];

/**
 * Which tricks the original text between `start` and `end` used, for explaining a match. Read
 * from the text itself, so views need not carry them. Repeated letters are judged by the
 * engine, which knows the run lengths a phrase expects.
 */
export function tricksIn(text: string, start: number, end: number): number {
  if (start >= end) return 0;
  let bits = 0;
  let pieceLength = 0;
  let singles = 0;
  let previous: number = Kind.separator;
  // Each code point is decoded once, packed by `foldBitsAt`: the one after the current is
  // read ahead for `next`.
  let i = start;
  let folded = foldBitsAt(text, i);
  for (;;) {
    const kind = folded & 0xff;
    const after = i + (folded >>> 16);
    const nextFolded = after < end ? foldBitsAt(text, after) : Kind.separator;
    const next = nextFolded & 0xff;
    switch (kind) {
      case Kind.ignorable: {
        const codePoint = text.codePointAt(i)!;
        bits |= codePoint >= 0x300 && codePoint < 0x370 ? Trick.accent : Trick.invisible;
        break;
      }
      case Kind.letter:
        bits |= (folded >>> 8) & 0xff;
        pieceLength++;
        break;
      case Kind.digit:
      case Kind.symbol:
        if (previous === Kind.letter || next === Kind.letter) bits |= Trick.leet;
        pieceLength++;
        break;
      case Kind.joiner:
      case Kind.softJoiner:
        if (previous !== Kind.separator && next !== Kind.separator) bits |= Trick.punctuation;
        if (pieceLength === 1) singles++;
        pieceLength = 0;
        break;
      default:
        if (pieceLength === 1) singles++;
        pieceLength = 0;
    }
    if (kind !== Kind.ignorable) previous = kind;
    if (after >= end) break;
    i = after;
    folded = nextFolded;
  }
  if (pieceLength === 1) singles++;
  if (singles >= 3) bits |= Trick.spaced;
  return bits;
}

/**
 * The fold of the code point at `i`, packed into a number so that reading ASCII touches no
 * objects: its kind (bits 0–7), tricks (8–15) and UTF-16 width (16 and up).
 */
function foldBitsAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit < 0x80) return asciiKind[unit]! | (1 << 16);
  const codePoint = text.codePointAt(i)!;
  const fold = foldOf(codePoint);
  return fold.kind | (fold.trick << 8) | ((codePoint > 0xffff ? 2 : 1) << 16);
}

const trickDescriptions: string[][] = [];

/** The names of the tricks in a bit set, in a stable order. Do not modify the result. */
export function describeTricks(bits: number): readonly string[] {
  let names = trickDescriptions[bits];
  if (names === undefined) {
    names = trickNames.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
    trickDescriptions[bits] = names;
  }
  return names;
}

/** The two view characters that are not letters (an enum, so they are inlined). */
enum ViewChar {
  space = 0x20,
  /** Every number (a run of digits with no letters) is one `#` in the view. */
  number = 0x23,
}
export const SPACE = ViewChar.space;
export const NUMBER = ViewChar.number;

interface Fold {
  kind: Kind;
  /** The folded letter; for digits and symbols, the character itself (NFKC, lower case). */
  code: number;
  /** More letters, when one code point folds to several (`ß` → `ss`, `ﬁ` → `fi`). */
  more: string;
  /** The letter a digit or symbol stands for in leetspeak; 0 when none. */
  leet: number;
  /** A second reading of an ambiguous character (`1` as l, `и` as n); 0 when none. */
  alt: number;
  trick: number;
}

const cp = (s: string) => s.codePointAt(0)!;

function fold(kind: Kind, code: number, extra: Partial<Fold> = {}): Fold {
  return { kind, code, more: '', leet: 0, alt: 0, trick: 0, ...extra };
}

// Leetspeak. `1`, `!`, `|` are ambiguous between i and l; the view reads them one way and the
// alternate view the other.
const leetDigits = 'oizeasgtbg';
const leetSymbols: Record<string, [string, string?]> = {
  '@': ['a'],
  $: ['s'],
  '!': ['i', 'l'],
  '|': ['l', 'i'],
  '+': ['t'],
  '€': ['e'],
  '¢': ['c'],
  '¥': ['y'],
  '§': ['s'],
  '¡': ['i'],
};
// These may start a word ($hit, @ss); the others only count between two letters or digits, so
// "help!" and "!!!" stay punctuation.
const wordStartSymbols = new Set(['$', '@', '€', '¢', '¥', '§', '¡'].map(cp));
const startsWords = (code: number) =>
  code === 0x24 || code === 0x40 || (code >= 0xa1 && wordStartSymbols.has(code));
const hardJoiners = new Set(
  [...'\'`*-_^~"#’‘‛′‐‑‒–—―·•‧⁃＿ˈ'].map(cp), // ’ and ‘ are the apostrophes phones type.
);
const softJoiners = new Set([...'.,/\\․…・'].map(cp));

// Capitals that look like a different Latin letter than their lower case does (Greek Η is "H"
// but η is "n"), so they are mapped before lower-casing.
const upperLookalikes: Record<string, string> = {
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
};

// Lower-case look-alikes, written for this project from how the letters render in common
// phone fonts. A letter with two plausible readings gets both (`и` reads as i in "kиll" and as
// n in faux-Cyrillic "иo").
const lowerLookalikes: Record<string, [string, string?]> = {
  // Cyrillic
  а: ['a'],
  б: ['b'],
  в: ['b'],
  г: ['r'],
  д: ['d'],
  е: ['e'],
  ё: ['e'],
  з: ['e'],
  и: ['i', 'n'],
  й: ['i', 'n'],
  к: ['k'],
  л: ['n'],
  м: ['m'],
  н: ['h'],
  о: ['o'],
  п: ['n'],
  р: ['p'],
  с: ['c'],
  т: ['t'],
  у: ['y'],
  х: ['x'],
  ц: ['u'],
  ш: ['w'],
  щ: ['w'],
  ъ: ['b'],
  ь: ['b'],
  э: ['e'],
  я: ['r'],
  ѕ: ['s'],
  і: ['i'],
  ї: ['i'],
  ј: ['j'],
  ԁ: ['d'],
  ԛ: ['q'],
  ԝ: ['w'],
  һ: ['h'],
  ӏ: ['l'],
  // Greek
  α: ['a'],
  β: ['b'],
  γ: ['y'],
  δ: ['d'],
  ε: ['e'],
  ζ: ['z'],
  η: ['n'],
  θ: ['o'],
  ι: ['i'],
  κ: ['k'],
  μ: ['u'],
  ν: ['v'],
  ο: ['o'],
  π: ['n'],
  ρ: ['p'],
  σ: ['o'],
  ς: ['s'],
  τ: ['t'],
  υ: ['u'],
  χ: ['x'],
  ω: ['w'],
  // Latin letters without a decomposition
  ß: ['ss'],
  æ: ['ae'],
  œ: ['oe'],
  ø: ['o'],
  đ: ['d'],
  ð: ['d'],
  ħ: ['h'],
  ı: ['i'],
  ł: ['l'],
  ŀ: ['l'],
  ŧ: ['t'],
  ƒ: ['f'],
  ɑ: ['a'],
  ɐ: ['a'],
  ɡ: ['g'],
  // Small capitals, which "fancy text" generators use and NFKD leaves alone.
  ᴀ: ['a'],
  ʙ: ['b'],
  ᴄ: ['c'],
  ᴅ: ['d'],
  ᴇ: ['e'],
  ꜰ: ['f'],
  ɢ: ['g'],
  ʜ: ['h'],
  ɪ: ['i'],
  ᴊ: ['j'],
  ᴋ: ['k'],
  ʟ: ['l'],
  ᴍ: ['m'],
  ɴ: ['n'],
  ᴏ: ['o'],
  ᴘ: ['p'],
  ǫ: ['q'],
  ʀ: ['r'],
  ꜱ: ['s'],
  ᴛ: ['t'],
  ᴜ: ['u'],
  ᴠ: ['v'],
  ᴡ: ['w'],
  ʏ: ['y'],
  ᴢ: ['z'],
};

const markPattern = /\p{M}/gu;
const letterPattern = /^\p{L}+$/u;
const formatPattern = /^[\p{Cf}\p{Cc}\p{Cs}\p{Co}]$/u;
const whitespacePattern = /^\s$/u;
const decimalDigitPattern = /^\p{Nd}$/u;
const alphanumericPattern = /[\p{L}\p{Nd}]/gu;

function lookalikeOf(letter: string): [string, string?] | undefined {
  return Object.hasOwn(lowerLookalikes, letter) ? lowerLookalikes[letter] : undefined;
}

/** The value of a decimal digit from any script, by counting back to its block's zero. */
function digitValue(codePoint: number): number {
  let zero = codePoint;
  while (zero > codePoint - 9 && decimalDigitPattern.test(String.fromCodePoint(zero - 1))) zero--;
  return codePoint - zero;
}

function foldCodePoint(codePoint: number): Fold {
  const character = String.fromCodePoint(codePoint);
  if (formatPattern.test(character)) return fold(Kind.ignorable, codePoint);
  if (whitespacePattern.test(character)) return fold(Kind.separator, ViewChar.space);
  if (hardJoiners.has(codePoint)) return fold(Kind.joiner, codePoint);
  if (softJoiners.has(codePoint)) return fold(Kind.softJoiner, codePoint);
  const symbol = leetSymbols[character];
  if (symbol) {
    return fold(Kind.symbol, codePoint, {
      leet: cp(symbol[0]),
      alt: symbol[1] ? cp(symbol[1]) : 0,
    });
  }
  // Regional indicators (🇰🇮🇱🇱) and negative circled or squared letters (🅚, 🅺) have no
  // decomposition but read as letters.
  if (codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff) {
    return fold(Kind.letter, 0x61 + codePoint - 0x1f1e6, { trick: Trick.lookalike });
  }
  if (codePoint >= 0x1f150 && codePoint <= 0x1f169) {
    return fold(Kind.letter, 0x61 + codePoint - 0x1f150, { trick: Trick.lookalike });
  }
  if (codePoint >= 0x1f170 && codePoint <= 0x1f189) {
    return fold(Kind.letter, 0x61 + codePoint - 0x1f170, { trick: Trick.lookalike });
  }

  const upper = upperLookalikes[character];
  if (upper) return fold(Kind.letter, cp(upper), { trick: Trick.lookalike });

  const decomposed = character.normalize('NFKD');
  const unmarked = decomposed.replace(markPattern, '');
  if (unmarked === '') return fold(Kind.ignorable, codePoint);
  let trick = 0;
  if (unmarked.length !== decomposed.length) trick |= Trick.accent;
  if (unmarked !== character && trick === 0) trick |= Trick.lookalike;
  const lower = unmarked.toLowerCase();

  if (lower.length === 1 && decimalDigitPattern.test(lower)) {
    const value = lower >= '0' && lower <= '9' ? lower.charCodeAt(0) - 0x30 : digitValue(cp(lower));
    return fold(Kind.digit, 0x30 + value, {
      leet: leetDigits.charCodeAt(value),
      alt: value === 1 ? cp('l') : 0,
      trick: trick | (lower === unmarked && lower === character ? 0 : Trick.lookalike),
    });
  }
  if (unmarked !== character && unmarked.length === 1) {
    // A compatibility form of ASCII punctuation (full-width ＠, ！): classify the ASCII.
    const ascii = unmarked.charCodeAt(0);
    if (ascii < 0x80 && !/[a-z0-9]/i.test(unmarked)) {
      const inner = asciiFolds[ascii]!;
      return { ...inner, trick: inner.trick | Trick.lookalike };
    }
  }

  let letters = '';
  let alt = '';
  for (const letter of lower) {
    const lookalike = lookalikeOf(letter);
    if (lookalike) {
      letters += lookalike[0];
      alt += lookalike[1] ?? lookalike[0];
      trick |= Trick.lookalike;
    } else {
      letters += letter;
      alt += letter;
    }
  }
  if (!letterPattern.test(letters)) {
    // Enclosed or parenthesised forms (⒜, ⑴) decompose to letters or digits among punctuation.
    const kept = letters.match(alphanumericPattern)?.join('') ?? '';
    if (kept === '' || !letterPattern.test(kept)) return fold(Kind.separator, codePoint);
    letters = kept;
    alt = kept;
  }
  // At most three letters, which bounds the size of a view; only a few symbols (﷽) fold longer.
  letters = [...letters].slice(0, 3).join('');
  const first = letters.codePointAt(0)!;
  const firstLength = first > 0xffff ? 2 : 1;
  const altFirst = alt.codePointAt(0)!;
  return fold(Kind.letter, first, {
    more: letters.slice(firstLength),
    alt: altFirst !== first ? altFirst : 0,
    trick,
  });
}

const asciiFolds: Fold[] = [];
for (let code = 0; code < 0x80; code++) {
  const character = String.fromCharCode(code);
  let result: Fold;
  if (code >= 0x61 && code <= 0x7a) result = fold(Kind.letter, code);
  else if (code >= 0x41 && code <= 0x5a) result = fold(Kind.letter, code + 0x20);
  else if (code >= 0x30 && code <= 0x39) {
    result = fold(Kind.digit, code, {
      leet: leetDigits.charCodeAt(code - 0x30),
      alt: code === 0x31 ? cp('l') : 0,
    });
  } else if (character === ' ' || (code >= 0x09 && code <= 0x0d)) {
    result = fold(Kind.separator, ViewChar.space);
  } else if (code < 0x20 || code === 0x7f) result = fold(Kind.ignorable, code);
  else if (hardJoiners.has(code)) result = fold(Kind.joiner, code);
  else if (softJoiners.has(code)) result = fold(Kind.softJoiner, code);
  else if (leetSymbols[character]) {
    const [leet, alt] = leetSymbols[character]!;
    result = fold(Kind.symbol, code, { leet: cp(leet), alt: alt ? cp(alt) : 0 });
  } else result = fold(Kind.separator, code);
  asciiFolds.push(result);
}
// Folding a code point costs a normalisation call, so results are kept. Outside the BMP the
// cache is bounded, so text full of random code points cannot grow it without limit.
const foldCache = new Map<number, Fold>();
const foldCacheLimit = 20_000;

// The Basic Multilingual Plane (most text) gets a flat table, filled as characters are seen.
const bmpFolds: (Fold | undefined)[] = new Array(0x10000);

function foldOf(codePoint: number): Fold {
  if (codePoint < 0x10000) {
    let result = bmpFolds[codePoint];
    if (result === undefined) {
      result = foldCodePoint(codePoint);
      bmpFolds[codePoint] = result;
    }
    return result;
  }
  let result = foldCache.get(codePoint);
  if (result === undefined) {
    result = foldCodePoint(codePoint);
    if (foldCache.size >= foldCacheLimit) foldCache.clear();
    foldCache.set(codePoint, result);
  }
  return result;
}

/**
 * One view of the text: parallel arrays, one entry per view character. Runs of the same letter
 * are one entry whose `run` says how many there were (1, 2, or 3 for "three or more").
 */
export interface View {
  length: number;
  /** Code point of each view character: a letter, {@link ViewChar.space} or {@link ViewChar.number}. */
  code: Int32Array;
  /** Offset (UTF-16) in the original text where the character starts. */
  start: Int32Array;
  /** Offset (UTF-16) in the original text where the character ends. */
  end: Int32Array;
  run: Uint8Array;
}

/** Cheap facts about the original text, gathered while folding, that gate the detectors. */
export interface TextFacts {
  digits: number;
  /** Whether an `@` (or look-alike) appears. */
  at: boolean;
  /** Whether a `#` follows a letter or digit (Discord tags such as name#1234). */
  hash: boolean;
  /** Whether a full stop is directly followed by a letter, as in a web address. */
  dotLetter: boolean;
  /** Whether an upper-case letter is directly followed by a digit, as in a postcode. */
  upperDigit: boolean;
  /**
   * The most digits in one phone-like run: digits with at most two of space - . ( ) + between
   * groups, and the letter o (for zero) ignored.
   */
  phoneDigits: number;
}

/** Atoms: one per code point that is not ignorable. */
export interface Atoms {
  length: number;
  kind: Uint8Array;
  /** Folded letter, or the digit or symbol itself (NFKC, lower case). */
  code: Int32Array;
  leet: Int32Array;
  alt: Int32Array;
  /** 1 when the atom is part of a word: a letter, a digit, or a symbol used as a letter. */
  word: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** 1 when the atom folds to several letters, which are in `more`. */
  hasMore: Uint8Array;
  /** Extra letters for atoms that fold to several, by atom index. */
  more: Map<number, string>;
}

function createView(capacity: number): View {
  return {
    length: 0,
    code: new Int32Array(capacity),
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    run: new Uint8Array(capacity),
  };
}

/**
 * A view for {@link Normalizer.emitBase}, whose `run` holds 1 past the characters written:
 * its plain-letter loop then leaves a new character's run as it is (see `emitBase`).
 */
function createBaseView(capacity: number): View {
  const view = createView(capacity);
  view.run.fill(1);
  return view;
}

function createAtoms(capacity: number): Atoms {
  return {
    length: 0,
    kind: new Uint8Array(capacity),
    code: new Int32Array(capacity),
    leet: new Int32Array(capacity),
    alt: new Int32Array(capacity),
    word: new Uint8Array(capacity),
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    hasMore: new Uint8Array(capacity),
    more: new Map(),
  };
}

/** Tokens (words) as atom ranges: [start, end), word atoms, whether any letter, spelled out. */
function createTokens(capacity: number) {
  return {
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    size: new Int32Array(capacity),
    letter: new Uint8Array(capacity),
    spelled: new Uint8Array(capacity),
  };
}

/** The result of normalising one text. Arrays may be reused by the next call. */
export interface Normalized {
  /** Where a phone number may be: [from, to) pairs of offsets of long runs of digits. */
  phoneRanges: readonly number[];
  /** Offsets of full stops followed by a letter, as in web addresses (at most 64). */
  dots: readonly number[];
  /** Offsets of @ and of # after a word, as in emails and handles (at most 64). */
  marks: readonly number[];
  /** Builds atoms of part of the text, for the detectors (`normalizer.atomsOf`). */
  normalizer: Normalizer;
  base: View;
  /** Present when the text holds an ambiguity; see the module comment. */
  alternate: View | null;
  facts: TextFacts;
}

enum Mode {
  base = 0,
  alternate = 1,
}

// Views up to this many entries (texts up to 16K UTF-16 units) reuse the normaliser's buffers;
// longer texts get their own, so one huge input does not pin memory for the life of the process.
const retainedCapacity = 1 << 16;

// The ASCII folds as flat tables: the fast path reads these instead of objects.
const asciiKind = Uint8Array.from(asciiFolds, (f) => f.kind);
const asciiCode = Int32Array.from(asciiFolds, (f) => f.code);
const asciiLeet = Int32Array.from(asciiFolds, (f) => f.leet);
const asciiAlt = Int32Array.from(asciiFolds, (f) => f.alt);
// All four in one word (kind, code, leet, alt: 8 bits each) for the hot loop: one load a character.
const asciiPacked = Int32Array.from(
  asciiFolds,
  (f) => f.kind | (f.code << 8) | (f.leet << 16) | (f.alt << 24),
);

/**
 * One step of the phone-number fact. The state packs the digits in the current run (low 16
 * bits) and the separators since the last digit (high bits).
 */
function phoneStep(state: number, kind: number, code: number): number {
  if (kind === Kind.digit) return Math.min(0xffff, (state & 0xffff) + 1);
  if (
    code === 0x20 ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x2b
  ) {
    const gap = (state >>> 16) + 1;
    return gap > 2 ? 0 : (state & 0xffff) | (gap << 16);
  }
  if (kind === Kind.letter && code === 0x6f) return state & 0xffff;
  return 0;
}

/** The folded code of a code point (the ASCII form of a full-width symbol). */
function symbolCode(codePoint: number): number {
  return codePoint < 0x80 ? asciiCode[codePoint]! : foldOf(codePoint).code;
}

/**
 * Normalises texts into views. Holds scratch buffers, so one instance serves one caller at a
 * time (JavaScript is single-threaded; nothing here awaits).
 */
export class Normalizer {
  private atoms = createAtoms(1024);
  private base = createBaseView(1024);
  private alternate = createView(1024);
  // Tokens (words) of the atoms, reused between calls.
  private tokens = createTokens(512);
  // Letters of a spelled-out run, for re-splitting into words.
  private spelled: number[] = [];
  private spelledFrom: number[] = [];
  private spelledTo: number[] = [];
  private vocabulary: Vocabulary | null = null;
  private needsAlternate = false;
  // Where the base view had to decide an ambiguity: [from, to) pairs of original offsets.
  private ambiguous: number[] = [];
  // Where a phone number may be ([from, to) of runs of six or more digits), and full stops
  // followed by a letter (web addresses): the detectors look only there.
  private phoneRanges: number[] = [];
  private dots: number[] = [];
  // Offsets of @ and of # after a word (emails, handles, gaming tags).
  private marks: number[] = [];
  // The view being written and its length, shared by the emit helpers.
  private view: View = this.base;
  private v = 0;

  /**
   * @param vocabulary words of the rule set; letters spelled out one by one are split into
   *   these words in the alternate view ("i w a n t t o d i e" → "i want to die").
   * @param context words either side of an ambiguity that the alternate view covers: at
   *   least the longest phrase, so every phrase touching the ambiguity fits.
   */
  normalize(text: string, vocabulary: Vocabulary | null = null, context = 12): Normalized {
    this.vocabulary = vocabulary;
    // Each code point yields at most three view characters (ligatures such as ﬃ are cut at
    // three letters), plus one space per word and the two boundary spaces.
    const atomCapacity = text.length + 1;
    const viewCapacity = text.length * 4 + 4;
    let atoms = this.atoms;
    let base = this.base;
    let alternate = this.alternate;
    if (viewCapacity > retainedCapacity) {
      atoms = createAtoms(atomCapacity);
      base = createBaseView(viewCapacity);
      alternate = createView(viewCapacity);
    } else if (viewCapacity > base.code.length) {
      const grown = Math.min(retainedCapacity, Math.max(viewCapacity, base.code.length * 2));
      this.atoms = atoms = createAtoms(grown);
      this.base = base = createBaseView(grown);
      this.alternate = alternate = createView(grown);
    }
    this.needsAlternate = false;
    this.ambiguous.length = 0;
    this.phoneRanges.length = 0;
    this.dots.length = 0;
    this.marks.length = 0;
    const facts = this.emitBase(text, base);
    this.text = text;
    this.detectorAtoms = atoms;
    let alternateView: View | null = null;
    if (this.needsAlternate) {
      // The alternate view covers only the words around each ambiguity, so a long message
      // with one "k1ll" costs a few words more, not a second pass over everything.
      const windows = windowsAround(base, this.ambiguous, text.length, context);
      this.emitAlternate(text, windows, alternate);
      alternateView = alternate;
    }
    return {
      base,
      alternate: alternateView,
      facts,
      phoneRanges: this.phoneRanges,
      dots: this.dots,
      marks: this.marks,
      normalizer: this,
    };
  }

  private text = '';
  private detectorAtoms: Atoms = this.atoms;

  /**
   * The atoms of text[from, to) of the text last normalised, for the detectors: only `kind`,
   * `code`, `start` and `end`, which is all they read (a detector window can be a few hundred
   * characters around every @ in a message). The buffer is reused by the next call.
   */
  atomsOf(from = 0, to = this.text.length): Atoms {
    const atoms = this.detectorAtoms;
    foldKinds(this.text, atoms, from, Math.min(to, this.text.length));
    return atoms;
  }

  /**
   * The base view built from atoms in separate passes: slower than {@link emitBase}, and the
   * reference its tests compare against.
   */
  referenceBase(text: string): { view: View; facts: TextFacts; needsAlternate: boolean } {
    const atoms = createAtoms(text.length * 4 + 4);
    const view = createView(text.length * 4 + 4);
    const facts = this.fold(text, atoms, 0, text.length);
    this.needsAlternate = false;
    this.emit(atoms, view, Mode.base);
    return { view, facts, needsAlternate: this.needsAlternate };
  }

  /**
   * The alternate view built from the atoms of its windows in separate passes: slower than
   * {@link emitAlternate}, and the reference its tests compare against. `null` when the text
   * needs no alternate view.
   */
  referenceAlternate(
    text: string,
    vocabulary: Vocabulary | null = null,
    context = 12,
  ): View | null {
    const { base, alternate } = this.normalize(text, vocabulary, context);
    if (alternate === null) return null;
    const windows = windowsAround(base, this.ambiguous, text.length, context);
    const atoms = createAtoms(text.length + windows.length + 1);
    for (let w = 0; w < windows.length; w += 2) {
      if (w > 0) appendSeparator(atoms, windows[w]!);
      this.fold(text, atoms, windows[w]!, windows[w + 1]!);
    }
    const view = createView(text.length * 4 + 4);
    this.emit(atoms, view, Mode.alternate);
    return view;
  }

  // The code point decoded by `decode`: its fold and UTF-16 width.
  private dKind = 0;
  private dWidth = 1;

  /** Decodes the kind of the code point at `i` into dKind and dWidth (0 width at the end). */
  private decode(text: string, i: number): void {
    this.decodeBefore(text, i, text.length);
  }

  /** {@link decode} for text[0, end), as {@link fold} reads a window. */
  private decodeBefore(text: string, i: number, end: number): void {
    if (i >= end) {
      this.dKind = Kind.separator;
      this.dWidth = 0;
      return;
    }
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      this.dKind = asciiKind[unit]!;
      this.dWidth = 1;
      return;
    }
    let codePoint = unit;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < end) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    this.dKind = foldOf(codePoint).kind;
    this.dWidth = width;
  }

  /** The kind of the next atom at or after `i`, skipping ignorable characters. */
  private kindAt(text: string, i: number): number {
    for (;;) {
      this.decode(text, i);
      if (this.dKind !== Kind.ignorable || this.dWidth === 0) return this.dKind;
      i += this.dWidth;
    }
  }

  /** Where the next atom at or after `i` starts, skipping ignorable characters. */
  private atomAt(text: string, i: number): number {
    for (;;) {
      this.decode(text, i);
      if (this.dKind !== Kind.ignorable || this.dWidth === 0) return i;
      i += this.dWidth;
    }
  }

  /**
   * Whether the atom starting at `i` is part of a word, given whether the atom before it is a
   * letter or digit. The same rule as `word` in {@link fold}.
   */
  private wordAt(text: string, i: number, previousAlphanumeric: boolean): boolean {
    const kind = this.kindAt(text, i);
    if (kind === Kind.letter || kind === Kind.digit) return true;
    if (kind !== Kind.symbol) return false;
    const symbol = text.codePointAt(i)!;
    const next = this.kindAt(text, i + (symbol > 0xffff ? 2 : 1));
    if (next !== Kind.letter && next !== Kind.digit) return false;
    return previousAlphanumeric || startsWords(symbolCode(symbol));
  }

  /**
   * The base view in one pass over the text, without building atoms: the hot path. Produces
   * exactly what {@link emit} produces from atoms in base mode (a test checks this on random
   * text), and the same facts as {@link fold}.
   */
  private emitBase(text: string, view: View): TextFacts {
    const { code: viewCode, start: viewStart, end: viewEnd, run } = view;
    const length = text.length;
    // Runs past the characters written are 1, so the plain-letter loop below need not write
    // the run of each new character: the previous text's runs are reset here, and those of
    // characters taken back (a number's digits) where they are taken back.
    run.fill(1, 0, view.length);
    viewCode[0] = ViewChar.space;
    viewStart[0] = 0;
    viewEnd[0] = 0;
    run[0] = 1;
    let v = 1;
    let digits = 0;
    let at = false;
    let hash = false;
    let dotLetter = false;
    let upperDigit = false;
    let phone = 0;
    let phoneDigits = 0;
    let phoneFrom = 0;
    let previousUnit = 0;
    // The previous atom: whether it was a letter or digit, a word atom, and where it ended.
    let previousAlphanumeric = false;
    let previousWord = false;
    let previousEnd = 0;
    let hasAtom = false;
    // The first view character written for the previous atom, which an ignorable extends.
    let atomView = 0;
    // The current token.
    let inToken = false;
    let tokenView = 0;
    let tokenFrom = 0;
    let tokenTo = 0;
    let tokenLetter = false;
    let tokenAlternate = false;
    let tokenSize = 0;
    let piece = 0;
    let pieces = 0;
    let spelled = true;
    // Spaced-out letters: one-atom tokens with up to three atoms between them.
    let gap = 0;
    let gapBefore = 0;
    let singles = 0;
    let singlesFrom = 0;
    let lastTokenEnd = 0;

    // One step past the end, as a separator, so the last token ends like any other (a closure
    // for ending tokens would move every local here to the heap).
    let i = 0;
    while (i <= length) {
      const unit = i < length ? text.charCodeAt(i) : 0x20;
      let width = 1;
      let k: number;
      let c: number;
      let l: number;
      let a: number;
      let more = '';
      if (unit < 0x80) {
        const packed = asciiPacked[unit]!;
        k = packed & 0xff;
        c = (packed >> 8) & 0xff;
        l = (packed >> 16) & 0xff;
        a = packed >>> 24;
      } else {
        let codePoint = unit;
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            width = 2;
          }
        }
        const info = foldOf(codePoint);
        k = info.kind;
        c = info.code;
        l = info.leet;
        a = info.alt;
        more = info.more;
      }
      if (k === Kind.ignorable) {
        // Belongs to the atom before it.
        if (previousWord && inToken) {
          for (let j = atomView; j < v; j++) viewEnd[j] = i + width;
          tokenTo = i + width;
        }
        if (hasAtom) previousEnd = i + width;
        i += width;
        continue;
      }
      hasAtom = true;

      // Facts, as in fold(), and where the detectors should look.
      if (phone !== 0 || k === Kind.digit) phone = phoneStep(phone, k, c);
      const phoneRun = phone & 0xffff;
      if (phoneRun > phoneDigits) phoneDigits = phoneRun;
      if (k === Kind.letter) {
        if (previousUnit === 0x2e) {
          dotLetter = true;
          if (this.dots.length < 64) this.dots.push(i - 1);
        }
      } else if (k === Kind.digit) {
        if (phoneRun === 1) phoneFrom = i;
        if (phoneRun >= 6) {
          const ranges = this.phoneRanges;
          if (ranges.length > 0 && ranges[ranges.length - 2] === phoneFrom) {
            ranges[ranges.length - 1] = i + width;
          } else ranges.push(phoneFrom, i + width);
        }
        digits++;
        if (previousUnit >= 0x41 && previousUnit <= 0x5a) upperDigit = true;
      } else if (c === 0x40) {
        at = true;
        if (this.marks.length < 64) this.marks.push(i);
      } else if (c === 0x23 && previousWord) {
        hash = true;
        if (this.marks.length < 64) this.marks.push(i);
      }
      previousUnit = unit;

      let isWord = k === Kind.letter || k === Kind.digit;
      if (k === Kind.symbol) {
        const next = this.kindAt(text, i + width);
        isWord =
          (next === Kind.letter || next === Kind.digit) && (previousAlphanumeric || startsWords(c));
      }

      if (isWord) {
        if (!inToken) {
          if (viewCode[v - 1] !== ViewChar.space) {
            viewCode[v] = ViewChar.space;
            viewStart[v] = lastTokenEnd;
            viewEnd[v] = lastTokenEnd;
            run[v] = 1;
            v++;
          }
          inToken = true;
          tokenView = v;
          tokenFrom = i;
          tokenLetter = false;
          tokenAlternate = false;
          tokenSize = 0;
          piece = 0;
          pieces = 0;
          spelled = true;
          gapBefore = gap;
        }
        tokenSize++;
        piece++;
        if (k === Kind.letter) tokenLetter = true;
        if (a !== 0) tokenAlternate = true;
        const character = k === Kind.letter ? c : l;
        const end = i + width;
        if (character === viewCode[v - 1]) {
          atomView = v - 1;
          const r = run[v - 1]!;
          if (r < 3) run[v - 1] = r + 1;
          viewEnd[v - 1] = end;
        } else {
          atomView = v;
          viewCode[v] = character;
          viewStart[v] = i;
          viewEnd[v] = end;
          run[v] = 1;
          v++;
        }
        if (more !== '') {
          for (const letter of more) {
            const extra = letter.codePointAt(0)!;
            if (extra === viewCode[v - 1]) {
              const r = run[v - 1]!;
              if (r < 3) run[v - 1] = r + 1;
              viewEnd[v - 1] = end;
            } else {
              viewCode[v] = extra;
              viewStart[v] = i;
              viewEnd[v] = end;
              run[v] = 1;
              v++;
            }
          }
        }
        tokenTo = end;
        previousAlphanumeric = k === Kind.letter || k === Kind.digit;
        previousWord = true;
        previousEnd = end;
        i += width;
        // The rest of a plain ASCII word, the bulk of most text: the same steps as above for
        // a letter (no leetspeak, alternate reading or extra letters; after a word atom, so
        // not after a full stop), without the checks the other kinds need.
        // The token's bookkeeping is brought up to date once, after the loop.
        let wordFrom = i;
        let lastCode = viewCode[v - 1]!;
        while (i < length) {
          const next = text.charCodeAt(i);
          const lower = next | 0x20;
          if (lower < 0x61 || lower > 0x7a) {
            // One space, then another plain ASCII word: most word breaks. When this token is
            // letters in one piece of two or more (so its end records no ambiguity, spelled-out
            // word or single letter) and no phone number is being read, the steps below for
            // ending it, for the space and for starting the next token come down to these.
            if (
              next !== 0x20 ||
              phone !== 0 ||
              tokenAlternate ||
              piece + (i - wordFrom) < 2 ||
              (i === wordFrom && !tokenLetter) ||
              i + 1 >= length
            ) {
              break;
            }
            const first = text.charCodeAt(i + 1) | 0x20;
            if (first < 0x61 || first > 0x7a) break;
            singles = 0;
            lastTokenEnd = i;
            gap = 1;
            gapBefore = 1;
            viewCode[v] = ViewChar.space;
            viewStart[v] = i;
            viewEnd[v] = i;
            v++;
            tokenView = v;
            tokenFrom = i + 1;
            tokenAlternate = false;
            tokenSize = 0;
            piece = 0;
            pieces = 0;
            spelled = true;
            i++;
            wordFrom = i;
            lastCode = ViewChar.space;
            continue;
          }
          if (phone !== 0) {
            phone = lower === 0x6f ? phone & 0xffff : 0;
            if ((phone & 0xffff) > phoneDigits) phoneDigits = phone & 0xffff;
          }
          if (lower === lastCode) {
            const r = run[v - 1]!;
            if (r < 3) run[v - 1] = r + 1;
            viewEnd[v - 1] = i + 1;
          } else {
            viewCode[v] = lower;
            viewStart[v] = i;
            viewEnd[v] = i + 1;
            v++;
            lastCode = lower;
          }
          i++;
        }
        if (i > wordFrom) {
          previousUnit = text.charCodeAt(i - 1);
          tokenSize += i - wordFrom;
          piece += i - wordFrom;
          tokenLetter = true;
          atomView = v - 1;
          tokenTo = i;
          previousAlphanumeric = true;
          previousEnd = i;
        }
        continue;
      }

      if (inToken && (k === Kind.joiner || k === Kind.softJoiner)) {
        // Up to three joiners followed by a word atom continue the word ("su**icide").
        let m = i;
        let soft = false;
        let count = 0;
        for (;;) {
          const position = this.atomAt(text, m);
          const kind = this.dKind;
          if (count === 3 || (kind !== Kind.joiner && kind !== Kind.softJoiner)) {
            m = position;
            break;
          }
          if (kind === Kind.softJoiner) soft = true;
          count++;
          m = position + this.dWidth;
        }
        let continues = this.wordAt(text, m, false);
        if (continues && soft) {
          // "s.u.i.c.i.d.e" joins; "school.kill me" stays two words here and joins only in
          // the alternate view.
          const after = this.atomAt(text, m + this.dWidthAt(text, m));
          const nextAlphanumeric = this.isAlphanumericAt(text, m);
          if (piece > 1 || this.wordAt(text, after, nextAlphanumeric)) {
            this.needsAlternate = true;
            this.ambiguous.push(tokenFrom, m + 1);
            continues = false;
          }
        }
        if (continues) {
          if (piece > 1) spelled = false;
          pieces++;
          piece = 0;
          // The joiners are atoms too: record their facts (the first one's are recorded
          // already), then resume at the word atom.
          this.decode(text, i);
          previousWord = false;
          for (let j = i + this.dWidth; j < m; ) {
            this.decode(text, j);
            if (this.dKind !== Kind.ignorable) {
              const u = text.charCodeAt(j);
              const joinerCode = symbolCode(text.codePointAt(j)!);
              if (joinerCode === 0x23 && previousWord) {
                hash = true;
                if (this.marks.length < 64) this.marks.push(j);
              }
              phone = phoneStep(phone, this.dKind, joinerCode);
              previousWord = false;
              previousUnit = u;
            }
            j += this.dWidth;
          }
          previousAlphanumeric = false;
          previousWord = false;
          previousEnd = m;
          i = m;
          continue;
        }
      }

      if (inToken) {
        if (!tokenLetter) {
          for (let j = tokenView; j < v; j++) run[j] = 1;
          v = tokenView;
          viewCode[v] = ViewChar.number;
          viewStart[v] = tokenFrom;
          viewEnd[v] = tokenTo;
          run[v] = 1;
          v++;
        } else if (
          tokenAlternate &&
          (this.vocabulary === null || this.alternateIsAWord(text, tokenFrom, tokenTo))
        ) {
          this.needsAlternate = true;
          this.ambiguous.push(tokenFrom, tokenTo);
        }
        if (piece > 1) spelled = false;
        pieces++;
        if (spelled && pieces >= 3) {
          this.needsAlternate = true;
          this.ambiguous.push(tokenFrom, tokenTo);
        }
        if (tokenSize === 1) {
          if (singles > 0 && gapBefore <= 3) singles++;
          else {
            singles = 1;
            singlesFrom = tokenFrom;
          }
          if (singles >= 3) {
            this.needsAlternate = true;
            const ambiguous = this.ambiguous;
            if (ambiguous.length > 0 && ambiguous[ambiguous.length - 2] === singlesFrom) {
              ambiguous[ambiguous.length - 1] = tokenTo;
            } else ambiguous.push(singlesFrom, tokenTo);
          }
        } else singles = 0;
        lastTokenEnd = tokenTo;
        inToken = false;
        gap = 0;
      }
      if (i === length) break;
      gap++;
      previousAlphanumeric = false;
      previousWord = false;
      previousEnd = i + width;
      i += width;
    }
    if (viewCode[v - 1] !== ViewChar.space) {
      viewCode[v] = ViewChar.space;
      viewStart[v] = previousEnd;
      viewEnd[v] = previousEnd;
      run[v] = 1;
      v++;
    }
    view.length = v;
    return { digits, at, hash, dotLetter, upperDigit, phoneDigits };
  }

  /**
   * Whether the other reading of an ambiguous word ("ki11" as "kill", "se1f" as "self") is a
   * word of the rule set. If not ("d!e" as "dle"), the alternate view could not match anything
   * more, and is not built.
   */
  private alternateIsAWord(text: string, from: number, to: number): boolean {
    let word = '';
    let last = 0;
    for (let i = from; i < to; ) {
      const codePoint = text.codePointAt(i)!;
      const info = codePoint < 0x80 ? asciiFolds[codePoint]! : foldOf(codePoint);
      i += codePoint > 0xffff ? 2 : 1;
      let character: number;
      if (info.kind === Kind.letter) character = info.alt !== 0 ? info.alt : info.code;
      else if (info.kind === Kind.digit || info.kind === Kind.symbol) {
        character = info.alt !== 0 ? info.alt : info.leet;
      } else continue;
      if (character !== last && character !== 0) word += String.fromCodePoint(character);
      last = character;
    }
    return this.vocabulary!.hasCollapsed(word);
  }

  private dWidthAt(text: string, i: number): number {
    this.decode(text, i);
    return Math.max(1, this.dWidth);
  }

  private isAlphanumericAt(text: string, i: number): boolean {
    const kind = this.kindAt(text, i);
    return kind === Kind.letter || kind === Kind.digit;
  }

  /** The kind of the next atom at or after `i` and before `end`, skipping ignorable characters. */
  private kindBefore(text: string, i: number, end: number): number {
    for (;;) {
      this.decodeBefore(text, i, end);
      if (this.dKind !== Kind.ignorable) return this.dKind;
      i += this.dWidth;
    }
  }

  /** Where the next atom at or after `i` and before `end` starts, its kind decoded. */
  private atomBefore(text: string, i: number, end: number): number {
    for (;;) {
      this.decodeBefore(text, i, end);
      if (this.dKind !== Kind.ignorable) return i;
      i += this.dWidth;
    }
  }

  /**
   * Whether the next atom at or after `i` and before `end` is part of a word, given whether
   * the atom before it is a letter or digit: `word` in {@link fold} of a window ending at `end`.
   */
  private wordBefore(text: string, i: number, end: number, previousAlphanumeric: boolean): boolean {
    const at = this.atomBefore(text, i, end);
    const kind = this.dKind;
    if (kind === Kind.letter || kind === Kind.digit) return true;
    if (kind !== Kind.symbol) return false;
    const width = this.dWidth;
    const next = this.kindBefore(text, at + width, end);
    if (next !== Kind.letter && next !== Kind.digit) return false;
    const symbol = width === 2 ? text.codePointAt(at)! : text.charCodeAt(at);
    return previousAlphanumeric || startsWords(symbolCode(symbol));
  }

  /**
   * The alternate view of the windows of the text in one pass, without building atoms: exactly
   * what {@link emit} makes in alternate mode of the windows' atoms (folded one window after
   * another by {@link fold}, with a separator between windows), which a test checks on random
   * text. Letters spelled out one by one (one-letter words in a row, or a word in one-letter
   * pieces) are first written as they are, then rewritten as the words they spell once known.
   */
  private emitAlternate(text: string, windows: readonly number[], view: View): void {
    const { code: viewCode, start: viewStart, end: viewEnd, run } = view;
    viewCode[0] = ViewChar.space;
    viewStart[0] = 0;
    viewEnd[0] = 0;
    run[0] = 1;
    let v = 1;
    // Atoms so far, with the separators between windows: `emit` measures gaps in atoms.
    let atoms = 0;
    let lastAtomEnd = 0;
    // Where the previous token's last word atom ends, in the text and in atoms.
    let previousTokenTo = 0;
    let previousTokenAtoms = 0;
    // One-atom tokens in a row, light gaps between them: how many, where the view of the
    // first begins, whether any is a letter, and their [from, to) in the text (the list keeps
    // its length between runs: emptying it would drop its storage).
    let singles = 0;
    let singlesView = 0;
    let singlesLetter = false;
    const singleRanges = this.singleRanges;
    // The current token; `spaceView` is where its view begins, before the space ahead of it.
    let inToken = false;
    let spaceView = 0;
    let tokenView = 0;
    let tokenFrom = 0;
    let tokenTo = 0;
    let tokenLetter = false;
    let tokenSize = 0;
    let piece = 0;
    let pieces = 0;
    let spelled = true;
    let gap = 0;
    // Joiners ahead that are inside the current token.
    let joinersLeft = 0;
    // The first view character written for the last atom, which an ignorable extends.
    let atomView = 0;
    let previousWord = false;
    for (let w = 0; w < windows.length; w += 2) {
      const from = windows[w]!;
      const to = windows[w + 1]!;
      if (w > 0) {
        atoms++;
        lastAtomEnd = from;
      }
      // The kind of the window's previous atom; -1 before its first.
      let previousKind = -1;
      previousWord = false;
      // One step past the window's end, as a separator, so its last token ends like any other.
      let i = from;
      for (;;) {
        let width = 1;
        let k: number = Kind.separator;
        let c = 0;
        let l = 0;
        let a = 0;
        let more = '';
        if (i < to) {
          const unit = text.charCodeAt(i);
          if (unit < 0x80) {
            const packed = asciiPacked[unit]!;
            k = packed & 0xff;
            c = (packed >> 8) & 0xff;
            l = (packed >> 16) & 0xff;
            a = packed >>> 24;
          } else {
            let codePoint = unit;
            if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < to) {
              const low = text.charCodeAt(i + 1);
              if (low >= 0xdc00 && low <= 0xdfff) {
                codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
                width = 2;
              }
            }
            const info = foldOf(codePoint);
            k = info.kind;
            c = info.code;
            l = info.leet;
            a = info.alt;
            more = info.more;
          }
          if (k === Kind.ignorable) {
            // Belongs to the atom before it.
            if (previousKind >= 0) {
              lastAtomEnd = i + width;
              if (previousWord) {
                for (let j = atomView; j < v; j++) viewEnd[j] = i + width;
                tokenTo = i + width;
              }
            }
            i += width;
            continue;
          }
        }

        let isWord = k === Kind.letter || k === Kind.digit;
        if (k === Kind.symbol) {
          const next = this.kindBefore(text, i + width, to);
          isWord =
            (next === Kind.letter || next === Kind.digit) &&
            (previousKind === Kind.letter || previousKind === Kind.digit || startsWords(c));
        }

        if (isWord) {
          if (!inToken) {
            inToken = true;
            gap = atoms - previousTokenAtoms;
            spaceView = v;
            if (viewCode[v - 1] !== ViewChar.space) {
              viewCode[v] = ViewChar.space;
              viewStart[v] = previousTokenTo;
              viewEnd[v] = previousTokenTo;
              run[v] = 1;
              v++;
            }
            tokenView = v;
            tokenFrom = i;
            tokenLetter = false;
            tokenSize = 0;
            piece = 0;
            pieces = 0;
            spelled = true;
          }
          tokenSize++;
          piece++;
          if (k === Kind.letter) tokenLetter = true;
          const character = a !== 0 ? a : k === Kind.letter ? c : l;
          const end = i + width;
          if (character === viewCode[v - 1]) {
            atomView = v - 1;
            const r = run[v - 1]!;
            if (r < 3) run[v - 1] = r + 1;
            viewEnd[v - 1] = end;
          } else {
            atomView = v;
            viewCode[v] = character;
            viewStart[v] = i;
            viewEnd[v] = end;
            run[v] = 1;
            v++;
          }
          if (more !== '') {
            for (const letter of more) {
              const extra = letter.codePointAt(0)!;
              if (extra === viewCode[v - 1]) {
                const r = run[v - 1]!;
                if (r < 3) run[v - 1] = r + 1;
                viewEnd[v - 1] = end;
              } else {
                viewCode[v] = extra;
                viewStart[v] = i;
                viewEnd[v] = end;
                run[v] = 1;
                v++;
              }
            }
          }
          atoms++;
          previousKind = k;
          previousWord = true;
          i = end;
          // The rest of a plain ASCII word, the bulk of most text: the steps above for a
          // letter without an alternate reading or extra letters.
          let wordFrom = i;
          let lastCode = viewCode[v - 1]!;
          while (i < to) {
            const next = text.charCodeAt(i);
            const lower = next | 0x20;
            if (lower < 0x61 || lower > 0x7a) {
              // One space, then another plain ASCII word: most word breaks. When this token
              // ends in letters, in a piece of two or more (so it is neither spelled out nor
              // one letter), and no run of three one-letter words is open, the steps below for
              // ending it, for the space and for starting the next token come down to these.
              if (
                next !== 0x20 ||
                piece + (i - wordFrom) < 2 ||
                (i === wordFrom && !tokenLetter) ||
                singles >= 3 ||
                i + 1 >= to
              ) {
                break;
              }
              const first = text.charCodeAt(i + 1) | 0x20;
              if (first < 0x61 || first > 0x7a) break;
              atoms += i - wordFrom + 1;
              singles = 0;
              spaceView = v;
              viewCode[v] = ViewChar.space;
              viewStart[v] = i;
              viewEnd[v] = i;
              run[v] = 1;
              v++;
              tokenView = v;
              tokenFrom = i + 1;
              tokenSize = 0;
              piece = 0;
              pieces = 0;
              spelled = true;
              i++;
              wordFrom = i;
              lastCode = ViewChar.space;
              continue;
            }
            if (lower === lastCode) {
              const r = run[v - 1]!;
              if (r < 3) run[v - 1] = r + 1;
              viewEnd[v - 1] = i + 1;
            } else {
              viewCode[v] = lower;
              viewStart[v] = i;
              viewEnd[v] = i + 1;
              run[v] = 1;
              v++;
              lastCode = lower;
            }
            i++;
          }
          if (i > wordFrom) {
            tokenSize += i - wordFrom;
            piece += i - wordFrom;
            atoms += i - wordFrom;
            tokenLetter = true;
            atomView = v - 1;
            previousKind = Kind.letter;
          }
          tokenTo = i;
          lastAtomEnd = i;
          continue;
        }

        if (inToken) {
          if (joinersLeft === 0 && (k === Kind.joiner || k === Kind.softJoiner)) {
            // Up to three joiners followed by a word atom continue the word ("su**icide",
            // and in this view "school.kill").
            let m = i;
            let count = 0;
            for (;;) {
              const position = this.atomBefore(text, m, to);
              const kind = this.dKind;
              if (count === 3 || (kind !== Kind.joiner && kind !== Kind.softJoiner)) {
                m = position;
                break;
              }
              count++;
              m = position + this.dWidth;
            }
            if (this.wordBefore(text, m, to, false)) {
              if (piece > 1) spelled = false;
              pieces++;
              piece = 0;
              joinersLeft = count;
            }
          }
          if (joinersLeft > 0) {
            joinersLeft--;
            atoms++;
            lastAtomEnd = i + width;
            previousKind = k;
            previousWord = false;
            i += width;
            continue;
          }

          // The token ends before this atom.
          inToken = false;
          if (piece > 1) spelled = false;
          pieces++;
          if (spelled && pieces >= 3) {
            const range = this.tokenRange;
            range[0] = tokenFrom;
            range[1] = tokenTo;
            v = this.respell(text, view, spaceView, v, v, range, 2, tokenLetter);
          } else if (!tokenLetter) {
            v = tokenView;
            viewCode[v] = ViewChar.number;
            viewStart[v] = tokenFrom;
            viewEnd[v] = tokenTo;
            run[v] = 1;
            v++;
          }
          if (tokenSize === 1) {
            if (singles > 0 && gap <= 3) singles++;
            else {
              if (singles >= 3) {
                const kept = v - spaceView;
                v = this.respell(
                  text,
                  view,
                  singlesView,
                  spaceView,
                  v,
                  singleRanges,
                  2 * singles,
                  singlesLetter,
                );
                spaceView = v - kept;
              }
              singles = 1;
              singlesView = spaceView;
              singlesLetter = false;
            }
            singleRanges[2 * singles - 2] = tokenFrom;
            singleRanges[2 * singles - 1] = tokenTo;
            if (tokenLetter) singlesLetter = true;
          } else if (singles > 0) {
            if (singles >= 3) {
              v = this.respell(
                text,
                view,
                singlesView,
                spaceView,
                v,
                singleRanges,
                2 * singles,
                singlesLetter,
              );
            }
            singles = 0;
          }
          previousTokenTo = tokenTo;
          previousTokenAtoms = atoms;
        }
        if (i >= to) break;
        atoms++;
        lastAtomEnd = i + width;
        previousKind = k;
        previousWord = false;
        i += width;
      }
    }
    if (singles >= 3) {
      v = this.respell(text, view, singlesView, v, v, singleRanges, 2 * singles, singlesLetter);
    }
    if (viewCode[v - 1] !== ViewChar.space) {
      viewCode[v] = ViewChar.space;
      viewStart[v] = lastAtomEnd;
      viewEnd[v] = lastAtomEnd;
      run[v] = 1;
      v++;
    }
    view.length = v;
  }

  // Scratch for `emitAlternate`: the one-atom tokens in a row, one token, the view kept aside.
  private singleRanges: number[] = [];
  private tokenRange: number[] = [0, 0];
  private kept: number[] = [];

  /**
   * Rewrites the view from `at` as {@link emitSpelled} writes the letters of the tokens at
   * the first `count` numbers of `ranges` ([from, to) pairs of the text) split into words,
   * with the view characters [keepFrom, keepTo) written after them moved to follow. Returns
   * the view's new length.
   */
  private respell(
    text: string,
    view: View,
    at: number,
    keepFrom: number,
    keepTo: number,
    ranges: readonly number[],
    count: number,
    letters: boolean,
  ): number {
    const kept = this.kept;
    kept.length = 0;
    for (let j = keepFrom; j < keepTo; j++) {
      kept.push(view.code[j]!, view.start[j]!, view.end[j]!, view.run[j]!);
    }
    this.view = view;
    this.v = at;
    const from = ranges[0]!;
    this.pushSpace(from);
    if (!letters) this.push(ViewChar.number, from, ranges[count - 1]!);
    else {
      const { spelled, spelledFrom, spelledTo } = this;
      spelled.length = 0;
      spelledFrom.length = 0;
      spelledTo.length = 0;
      for (let r = 0; r < count; r += 2) this.collectLetters(text, ranges[r]!, ranges[r + 1]!);
      const breaks = splitWords(spelled, this.vocabulary);
      let b = 0;
      for (let i = 0; i < spelled.length; i++) {
        if (b < breaks.length && i === breaks[b]) {
          b++;
          this.pushSpace(spelledFrom[i]!);
        }
        this.push(spelled[i]!, spelledFrom[i]!, spelledTo[i]!);
      }
    }
    let v = this.v;
    for (let j = 0; j < kept.length; j += 4) {
      view.code[v] = kept[j]!;
      view.start[v] = kept[j + 1]!;
      view.end[v] = kept[j + 2]!;
      view.run[v] = kept[j + 3]!;
      v++;
    }
    return v;
  }

  /**
   * Collects the letters of the token at text[from, to) as {@link emitLetters} does (the first
   * reading of each), for re-splitting.
   */
  private collectLetters(text: string, from: number, to: number): void {
    const spelledTo = this.spelledTo;
    let atomFirst = this.spelled.length;
    let word = false;
    for (let i = from; i < to; ) {
      const unit = text.charCodeAt(i);
      let codePoint = unit;
      let width = 1;
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < to) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      const info = codePoint < 0x80 ? asciiFolds[codePoint]! : foldOf(codePoint);
      if (info.kind === Kind.ignorable) {
        if (word) for (let j = atomFirst; j < spelledTo.length; j++) spelledTo[j] = i + width;
      } else if (info.kind === Kind.joiner || info.kind === Kind.softJoiner) {
        word = false;
      } else {
        word = true;
        atomFirst = this.spelled.length;
        this.collect(info.kind === Kind.letter ? info.code : info.leet, i, i + width);
        for (const letter of info.more) this.collect(letter.codePointAt(0)!, i, i + width);
      }
      i += width;
    }
  }

  /** Folds text[from, to) into atoms, appending after those already there. */
  private fold(text: string, atoms: Atoms, from: number, to: number): TextFacts {
    const { kind, code, leet, alt, word, start, end, hasMore, more } = atoms;
    let digits = 0;
    let at = false;
    let hash = false;
    let dotLetter = false;
    let upperDigit = false;
    let phone = 0;
    let phoneDigits = 0;
    const first = atoms.length;
    let n = first;
    let previousUnit = 0;
    const length = to;
    for (let i = from; i < length; ) {
      const unit = text.charCodeAt(i);
      const lower = unit | 0x20;
      if (lower >= 0x61 && lower <= 0x7a) {
        // An ASCII letter, most of any text: the steps below for Kind.letter, spelled out.
        kind[n] = Kind.letter;
        code[n] = lower;
        leet[n] = 0;
        alt[n] = 0;
        start[n] = i;
        end[n] = i + 1;
        hasMore[n] = 0;
        word[n] = 1;
        if (n > first && kind[n - 1] === Kind.symbol) {
          word[n - 1] =
            startsWords(code[n - 1]!) ||
            (n > first + 1 && (kind[n - 2] === Kind.letter || kind[n - 2] === Kind.digit))
              ? 1
              : 0;
        }
        phone = lower === 0x6f ? phone & 0xffff : 0;
        if (previousUnit === 0x2e) dotLetter = true;
        previousUnit = unit;
        n++;
        i++;
        continue;
      }
      let width = 1;
      let k: number;
      let c: number;
      let l: number;
      let a: number;
      let extra = 0;
      if (unit < 0x80) {
        k = asciiKind[unit]!;
        c = asciiCode[unit]!;
        l = asciiLeet[unit]!;
        a = asciiAlt[unit]!;
      } else {
        let codePoint = unit;
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            width = 2;
          }
        }
        const info = foldOf(codePoint);
        k = info.kind;
        c = info.code;
        l = info.leet;
        a = info.alt;
        if (info.more !== '') {
          more.set(n, info.more);
          extra = 1;
        }
      }
      if (k === Kind.ignorable) {
        // Marks and invisible characters belong to the character before them, so a span that
        // ends on "k̷" includes its mark.
        if (n > first) end[n - 1] = i + width;
        i += width;
        continue;
      }
      kind[n] = k;
      code[n] = c;
      leet[n] = l;
      alt[n] = a;
      start[n] = i;
      end[n] = i + width;
      hasMore[n] = extra;
      const alphanumeric = k === Kind.letter || k === Kind.digit;
      word[n] = alphanumeric ? 1 : 0;
      // A symbol counts as a letter when a letter or digit follows it, and either it may start
      // a word ($hit, @ss) or a letter or digit precedes it (d!e); "help!" and "!!!" stay
      // punctuation.
      if (n > first && kind[n - 1] === Kind.symbol) {
        word[n - 1] =
          alphanumeric &&
          (startsWords(code[n - 1]!) ||
            (n > first + 1 && (kind[n - 2] === Kind.letter || kind[n - 2] === Kind.digit)))
            ? 1
            : 0;
      }
      phone = phoneStep(phone, k, c);
      if ((phone & 0xffff) > phoneDigits) phoneDigits = phone & 0xffff;
      if (k === Kind.digit) {
        digits++;
        if (previousUnit >= 0x41 && previousUnit <= 0x5a) upperDigit = true;
      } else if (c === 0x40) at = true;
      else if (c === 0x23 && n > first && word[n - 1] === 1) hash = true;
      else if (k === Kind.letter && previousUnit === 0x2e) dotLetter = true;
      previousUnit = unit;
      n++;
      i += width;
    }
    atoms.length = n;
    return { digits, at, hash, dotLetter, upperDigit, phoneDigits };
  }

  /** Splits atoms into tokens (words), returning how many. */
  private tokenize(atoms: Atoms, mode: Mode): number {
    const n = atoms.length;
    const { kind, word } = atoms;
    if (this.tokens.start.length < n + 1) {
      this.tokens = createTokens(Math.max(n + 1, this.tokens.start.length * 2));
    }
    const {
      start: tokenStart,
      end: tokenEnd,
      size: tokenSize,
      letter: tokenLetter,
      spelled: tokenSpelled,
    } = this.tokens;
    let count = 0;
    let j = 0;
    while (j < n) {
      if (word[j] === 0) {
        j++;
        continue;
      }
      const first = j;
      let size = 0;
      let piece = 0;
      let pieces = 0;
      let spelled = true;
      let letter = false;
      for (;;) {
        if (kind[j] === Kind.letter) letter = true;
        size++;
        piece++;
        j++;
        if (j >= n) break;
        if (word[j] === 1) continue;
        const joinerKind = kind[j];
        if (joinerKind !== Kind.joiner && joinerKind !== Kind.softJoiner) break;
        // Up to three joiners in a row ("su**icide") may sit inside a word.
        let m = j;
        let soft = false;
        while (m < n && m - j < 3 && (kind[m] === Kind.joiner || kind[m] === Kind.softJoiner)) {
          if (kind[m] === Kind.softJoiner) soft = true;
          m++;
        }
        if (m >= n || word[m] === 0) break;
        if (soft && mode === Mode.base) {
          // "s.u.i.c.i.d.e" joins; "school.kill me" stays two words here and joins only in the
          // alternate view.
          if (piece > 1 || (m + 1 < n && word[m + 1] === 1)) {
            this.needsAlternate = true;
            break;
          }
        }
        if (piece > 1) spelled = false;
        pieces++;
        piece = 0;
        j = m;
      }
      if (piece > 1) spelled = false;
      pieces++;
      tokenStart[count] = first;
      tokenEnd[count] = j;
      tokenSize[count] = size;
      tokenLetter[count] = letter ? 1 : 0;
      // Letters spelled out one by one ("k-i-l-l-m-y-s-e-l-f") may hide several words.
      const isSpelled = spelled && pieces >= 3;
      tokenSpelled[count] = isSpelled ? 1 : 0;
      if (isSpelled) this.needsAlternate = true;
      count++;
    }
    return count;
  }

  /** Appends a view character; a repeat of the last letter lengthens its run instead. */
  private push(character: number, from: number, to: number): void {
    const view = this.view;
    const v = this.v;
    if (
      v > 0 &&
      character === view.code[v - 1] &&
      character !== ViewChar.space &&
      character !== ViewChar.number
    ) {
      const r = view.run[v - 1]!;
      if (r < 3) view.run[v - 1] = r + 1;
      view.end[v - 1] = to;
      return;
    }
    view.code[v] = character;
    view.start[v] = from;
    view.end[v] = to;
    view.run[v] = 1;
    this.v = v + 1;
  }

  private pushSpace(at: number): void {
    if (this.v > 0 && this.view.code[this.v - 1] === ViewChar.space) return;
    this.push(ViewChar.space, at, at);
  }

  /** Emits the letters of token t, or with `collect` gathers them for re-splitting. */
  private emitLetters(atoms: Atoms, t: number, useAlternate: boolean, collect: boolean): void {
    const { kind, code, leet, alt, start, end, hasMore } = atoms;
    const last = this.tokens.end[t]!;
    for (let a = this.tokens.start[t]!; a < last; a++) {
      const k = kind[a];
      if (k === Kind.joiner || k === Kind.softJoiner) continue;
      const second = alt[a]!;
      if (second !== 0) this.needsAlternate = true;
      const character =
        useAlternate && second !== 0 ? second : k === Kind.letter ? code[a]! : leet[a]!;
      if (collect) this.collect(character, start[a]!, end[a]!);
      else this.push(character, start[a]!, end[a]!);
      if (hasMore[a] === 1) {
        for (const letter of atoms.more.get(a)!) {
          if (collect) this.collect(letter.codePointAt(0)!, start[a]!, end[a]!);
          else this.push(letter.codePointAt(0)!, start[a]!, end[a]!);
        }
      }
    }
  }

  private collect(character: number, from: number, to: number): void {
    this.spelled.push(character);
    this.spelledFrom.push(from);
    this.spelledTo.push(to);
  }

  /** Spelled-out letters of tokens t..last, split into the rule set's words. */
  private emitSpelled(atoms: Atoms, t: number, last: number): void {
    const { start: tokenStart, end: tokenEnd, letter: tokenLetter } = this.tokens;
    const { spelled, spelledFrom, spelledTo } = this;
    spelled.length = 0;
    spelledFrom.length = 0;
    spelledTo.length = 0;
    let letters = false;
    for (let u = t; u <= last; u++) if (tokenLetter[u]) letters = true;
    this.pushSpace(atoms.start[tokenStart[t]!]!);
    if (!letters) {
      this.push(ViewChar.number, atoms.start[tokenStart[t]!]!, atoms.end[tokenEnd[last]! - 1]!);
      return;
    }
    for (let u = t; u <= last; u++) this.emitLetters(atoms, u, false, true);
    const breaks = splitWords(spelled, this.vocabulary);
    let b = 0;
    for (let i = 0; i < spelled.length; i++) {
      if (b < breaks.length && i === breaks[b]) {
        b++;
        this.pushSpace(spelledFrom[i]!);
      }
      this.push(spelled[i]!, spelledFrom[i]!, spelledTo[i]!);
    }
  }

  private emit(atoms: Atoms, view: View, mode: Mode): void {
    const tokens = this.tokenize(atoms, mode);
    const {
      start: tokenStart,
      end: tokenEnd,
      size: tokenSize,
      letter: tokenLetter,
      spelled: tokenSpelled,
    } = this.tokens;
    const { start, end } = atoms;
    const alternate = mode === Mode.alternate;
    this.view = view;
    this.v = 0;
    this.push(ViewChar.space, 0, 0);
    for (let t = 0; t < tokens; t++) {
      // Spaced-out letters: three or more one-character tokens with light gaps between them
      // (up to three separators, as in "k i l l" or "k, i, l, l").
      let last = t;
      if (tokenSize[t] === 1) {
        while (
          last + 1 < tokens &&
          tokenSize[last + 1] === 1 &&
          tokenStart[last + 1]! - tokenEnd[last]! <= 3
        ) {
          last++;
        }
      }
      if (last - t + 1 >= 3) {
        if (alternate) {
          this.emitSpelled(atoms, t, last);
          t = last;
          continue;
        }
        this.needsAlternate = true;
      }
      for (let u = t; u <= last; u++) {
        if (alternate && tokenSpelled[u] === 1) {
          this.emitSpelled(atoms, u, u);
          continue;
        }
        this.pushSpace(u > 0 ? end[tokenEnd[u - 1]! - 1]! : 0);
        if (tokenLetter[u] === 1) this.emitLetters(atoms, u, alternate, false);
        else this.push(ViewChar.number, start[tokenStart[u]!]!, end[tokenEnd[u]! - 1]!);
      }
      t = last;
    }
    this.pushSpace(atoms.length > 0 ? end[atoms.length - 1]! : 0);
    view.length = this.v;
  }
}

/**
 * The stretches of text the alternate view covers: each ambiguity with `context` words either
 * side, merged where they overlap. Returned as [from, to) pairs of original offsets, starting
 * and ending at word boundaries of the base view.
 */
function windowsAround(
  base: View,
  ambiguous: readonly number[],
  textLength: number,
  context: number,
): number[] {
  // Ambiguities are almost always found in text order, so the windows come in order and
  // merge as they are made; only otherwise are they collected and sorted first.
  const windows = windowScratch;
  windows.length = 0;
  let previousFrom = -1;
  for (let i = 0; i < ambiguous.length; i += 2) {
    windowAround(base, ambiguous[i]!, ambiguous[i + 1]!, textLength, context);
    if (windowFrom < previousFrom) return sortedWindowsAround(base, ambiguous, textLength, context);
    previousFrom = windowFrom;
    addWindow(windows, windowFrom, windowTo);
  }
  return windows;
}

function sortedWindowsAround(
  base: View,
  ambiguous: readonly number[],
  textLength: number,
  context: number,
): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ambiguous.length; i += 2) {
    windowAround(base, ambiguous[i]!, ambiguous[i + 1]!, textLength, context);
    pairs.push([windowFrom, windowTo]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const windows = windowScratch;
  windows.length = 0;
  for (const [from, to] of pairs) addWindow(windows, from, to);
  return windows;
}

// What `windowAround` found, and the windows of the text being normalised (see
// `windowsAround`), reused from call to call.
let windowFrom = 0;
let windowTo = 0;
const windowScratch: number[] = [];

/** The window of one ambiguity [from, to), into `windowFrom` and `windowTo`. */
function windowAround(
  base: View,
  from: number,
  to: number,
  textLength: number,
  context: number,
): void {
  const { code, start, end, length } = base;
  let left = firstEndingAfter(base, from);
  for (let spaces = 0; left > 0; left--) {
    if (code[left - 1] === ViewChar.space && ++spaces > context) break;
  }
  let right = Math.max(left, firstEndingAfter(base, Math.max(from, to - 1)));
  for (let spaces = 0; right < length - 1; right++) {
    if (code[right + 1] === ViewChar.space && ++spaces > context) break;
  }
  windowFrom = left <= 1 ? 0 : start[left]!;
  windowTo = Math.max(windowFrom, right >= length - 2 ? textLength : end[right]!);
}

/** Appends [from, to) to windows sorted by start, merging it into the last if they overlap. */
function addWindow(windows: number[], from: number, to: number): void {
  if (windows.length > 0 && from <= windows[windows.length - 1]!) {
    windows[windows.length - 1] = Math.max(windows[windows.length - 1]!, to);
  } else windows.push(from, to);
}

/** The first view character (after the leading space) that ends after `offset`. */
function firstEndingAfter(view: View, offset: number): number {
  let low = 1;
  let high = view.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (view.end[middle]! <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The `kind`, `code`, `start` and `end` of the atoms {@link Normalizer.fold} makes of
 * text[from, to), and nothing else, into `atoms` from its start.
 */
function foldKinds(text: string, atoms: Atoms, from: number, to: number): void {
  const { kind, code, start, end } = atoms;
  let n = 0;
  for (let i = from; i < to; ) {
    const unit = text.charCodeAt(i);
    let width = 1;
    let k: number;
    let c: number;
    if (unit < 0x80) {
      k = asciiKind[unit]!;
      c = asciiCode[unit]!;
    } else {
      let codePoint = unit;
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < to) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      const info = foldOf(codePoint);
      k = info.kind;
      c = info.code;
    }
    if (k === Kind.ignorable) {
      if (n > 0) end[n - 1] = i + width;
    } else {
      kind[n] = k;
      code[n] = c;
      start[n] = i;
      end[n] = i + width;
      n++;
    }
    i += width;
  }
  atoms.length = n;
}

/** Adds a separator between two windows, so no word runs across the gap. */
function appendSeparator(atoms: Atoms, at: number): void {
  const n = atoms.length;
  atoms.kind[n] = Kind.separator;
  atoms.code[n] = ViewChar.space;
  atoms.leet[n] = 0;
  atoms.alt[n] = 0;
  atoms.word[n] = 0;
  atoms.start[n] = at;
  atoms.end[n] = at;
  atoms.hasMore[n] = 0;
  atoms.length = n + 1;
}

/**
 * The words of a rule set, as a trie over letters, for splitting spelled-out text back into
 * words.
 */
export class Vocabulary {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly isWord: boolean[] = [false];
  /** The words with repeated letters collapsed, as the view spells them ("kill" → "kil"). */
  private readonly collapsed = new Set<string>();

  constructor(words: Iterable<string>) {
    for (const word of words) {
      let collapsed = '';
      for (const letter of word) if (!collapsed.endsWith(letter)) collapsed += letter;
      this.collapsed.add(collapsed);
      let node = 0;
      for (const letter of word) {
        const character = letter.codePointAt(0)!;
        let child = this.next[node]!.get(character);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.isWord.push(false);
          this.next[node]!.set(character, child);
        }
        node = child;
      }
      this.isWord[node] = true;
    }
  }

  /** Whether a word, with repeated letters collapsed, is in the vocabulary. */
  hasCollapsed(word: string): boolean {
    return this.collapsed.has(word);
  }

  /**
   * {@link splitWords}' step for every vocabulary word that `letters` spells from `from`: the
   * same as `wordsAt` with a callback, without allocating one for each position.
   */
  offerWordsAt(
    letters: readonly number[],
    from: number,
    unknown: number[],
    words: number[],
    back: number[],
  ): void {
    let node = 0;
    for (let i = from; i < letters.length; i++) {
      const child = this.next[node]!.get(letters[i]!);
      if (child === undefined) return;
      node = child;
      if (this.isWord[node]) offerSplit(unknown, words, back, from, i + 1, 0);
    }
  }

  /** Calls `found(end)` for every vocabulary word that `letters` spells from `from`. */
  wordsAt(letters: readonly number[], from: number, found: (end: number) => void): void {
    let node = 0;
    for (let i = from; i < letters.length; i++) {
      const child = this.next[node]!.get(letters[i]!);
      if (child === undefined) return;
      node = child;
      if (this.isWord[node]) found(i + 1);
    }
  }
}

/**
 * Where words start in a run of letters: the split with the fewest letters left outside any
 * vocabulary word, then the fewest words. Returns the start index of every word after the
 * first. Letters outside the vocabulary become one-letter words.
 */
export function splitWords(letters: readonly number[], vocabulary: Vocabulary | null): number[] {
  const n = letters.length;
  if (!vocabulary || n === 0) return [];
  const unknown = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const words = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const back = new Array<number>(n + 1).fill(-1);
  unknown[0] = 0;
  words[0] = 0;
  for (let i = 0; i < n; i++) {
    if (unknown[i] === Number.POSITIVE_INFINITY) continue;
    offerSplit(unknown, words, back, i, i + 1, 1);
    vocabulary.offerWordsAt(letters, i, unknown, words, back);
  }
  const breaks: number[] = [];
  for (let i = back[n]!; i > 0; i = back[i]!) breaks.push(i);
  return breaks.reverse();
}

/** One step of {@link splitWords}: a word from `from` to `to`, with `extraUnknown` letters. */
function offerSplit(
  unknown: number[],
  words: number[],
  back: number[],
  from: number,
  to: number,
  extraUnknown: number,
): void {
  const u = unknown[from]! + extraUnknown;
  const w = words[from]! + 1;
  if (u < unknown[to]! || (u === unknown[to]! && w < words[to]!)) {
    unknown[to] = u;
    words[to] = w;
    back[to] = from;
  }
}

let sharedNormalizer: Normalizer | undefined;

/** What {@link normalizeForMatching} returns. */
export interface NormalizedText {
  /** The words view: lower-case letters, `#` for each number, single spaces between words. */
  text: string;
  /**
   * The alternate view of the stretches around ambiguities (`1` read as l rather than i, full
   * stops and spaced-out letters joined), one space between stretches, or `null`.
   */
  alternate: string | null;
  /**
   * The span of the original text that the view characters `from` (inclusive) to `to`
   * (exclusive) came from, in UTF-16 offsets as `String.prototype.slice` takes them.
   */
  originalSpan(
    from: number,
    to: number,
    view?: 'text' | 'alternate',
  ): { start: number; end: number };
}

/** The characters of a view as a string, without the boundary spaces. */
export function viewToString(view: View): string {
  let result = '';
  for (let i = 1; i < view.length - 1; i++) result += String.fromCodePoint(view.code[i]!);
  return result;
}

function copyView(view: View): View {
  const length = view.length;
  return {
    length,
    code: view.code.slice(0, length),
    start: view.start.slice(0, length),
    end: view.end.slice(0, length),
    run: view.run.slice(0, length),
  };
}

/**
 * Shows what the risk engine sees: the text folded for matching, with a way back to the
 * original. Useful for a moderator's "why was this flagged" view and for writing rules.
 * Repeated letters appear once in `text` (the engine keeps their count separately).
 *
 * @example normalizeForMatching('I w4nt t0 d!e').text // 'i want to die'
 */
export function normalizeForMatching(text: string): NormalizedText {
  sharedNormalizer ??= new Normalizer();
  const result = sharedNormalizer.normalize(text);
  const base = copyView(result.base);
  const alternate = result.alternate ? copyView(result.alternate) : null;
  return {
    text: viewToString(base),
    alternate: alternate ? viewToString(alternate) : null,
    originalSpan(from, to, which = 'text') {
      const view = which === 'alternate' && alternate ? alternate : base;
      // View index 0 is the leading boundary space, which `text` leaves out.
      const first = Math.max(1, Math.min(view.length - 2, from + 1));
      const last = Math.max(first, Math.min(view.length - 2, to));
      return { start: view.start[first] ?? 0, end: view.end[last] ?? 0 };
    },
  };
}
