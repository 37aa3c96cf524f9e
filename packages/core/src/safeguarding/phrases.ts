/**
 * Phrases as rules write them, and as the engine matches them.
 *
 * A phrase is words separated by spaces; a group `(a|b|c)` offers alternatives for one or more
 * whole words (an empty alternative makes it optional) and a lone `#` stands for any number.
 * `"(i'll|i will) (kill|hurt) (you|u)"` stands for eight variants.
 *
 * Expanding every variant into the automaton would cost memory in proportion to the product of
 * the groups (a "family member hits me" phrase alone has hundreds of variants), so a phrase is
 * compiled into slots and one contiguous run of slots with few variants becomes the "anchor"
 * the automaton looks for; the slots on either side are checked against the words around a
 * found anchor. Matching is the same as if every variant were listed.
 */
import { Normalizer, NUMBER, SPACE } from './normalize.js';

const maxVariants = 1000;
/** Anchors spanning several slots may have at most this many variants. */
const maxAnchorVariants = 64;
/**
 * Phrases of up to three words with at most this many variants are also matched written as one
 * word ("killmyself", "#wanttodie"). Spelled-out letters ("k i l l m y s e l f") are split back
 * into words by the normaliser instead, so they need no joined forms.
 */
const maxJoinedVariants = 32;
const maxJoinedWords = 3;
/**
 * Anchors with at least this many letters outside common words are rare enough in ordinary
 * text; others are a last resort, because every occurrence costs a check of the words around.
 */
const goodAnchorLength = 6;
const commonWords = new Set(
  `a an the i me my you u ur your to of in on at out up it is be am are was and or for with
  that this so if do not no get got go all just have has had`.split(/\s+/),
);

/** Letters of a form outside common words: how rare it is likely to be in ordinary text. */
function rareLength(form: PhraseForm): number {
  let total = 0;
  let word = '';
  const flush = () => {
    if (!commonWords.has(word)) total += word.length;
    word = '';
  };
  for (const code of form.codes) {
    if (code === SPACE) flush();
    else word += String.fromCodePoint(code);
  }
  flush();
  return total;
}
/** A joined form shorter than this would collide with ordinary words. */
const minimumJoinedLength = 6;

/** View characters of a piece of phrase and the typed length of each run (0 for spaces). */
export interface PhraseForm {
  codes: number[];
  runs: number[];
  /** The phrase text this form came from, for explanations. */
  text: string;
}

/** One position in a phrase: its alternatives (one, for plain words). */
export type Slot = PhraseForm[];

function parseSlots(phrase: string): string[][] {
  const slots: string[][] = [];
  let rest = phrase;
  const fail = (problem: string) => {
    throw new Error(`${problem} in ${JSON.stringify(phrase)}`);
  };
  // A rule file written in TypeScript can leave "${you}" unexpanded in a plain string.
  if (/[{}]/.test(phrase)) fail('braces are not phrase syntax (an unexpanded template?)');
  for (;;) {
    const open = rest.indexOf('(');
    const close = rest.indexOf(')');
    if (open < 0) {
      if (close >= 0) fail('unmatched ")"');
      if (rest.trim() !== '') slots.push([rest.trim()]);
      return slots;
    }
    if (close >= 0 && close < open) fail('unmatched ")"');
    const end = rest.indexOf(')', open);
    if (end < 0) fail('unmatched "("');
    const inside = rest.slice(open + 1, end);
    if (inside.includes('(')) fail('nested parentheses are not supported');
    // Groups stand for whole words, so each slot normalises the same alone as in a sentence.
    const before = rest[open - 1];
    const after = rest[end + 1];
    if ((before !== undefined && before !== ' ') || (after !== undefined && after !== ' ')) {
      fail('a group must stand for whole words (a space or the end on each side)');
    }
    if (rest.slice(0, open).trim() !== '') slots.push([rest.slice(0, open).trim()]);
    slots.push(inside.split('|').map((option) => option.trim()));
    rest = rest.slice(end + 1);
  }
}

function countVariants(slots: readonly (readonly unknown[])[]): number {
  return slots.reduce((product, slot) => product * new Set(slot).size, 1);
}

/**
 * Every variant a phrase stands for.
 *
 * @throws Error on unbalanced or nested parentheses, a group inside a word, or more than
 *   1000 variants.
 * @example expandPhrase("(i'll|i will) kill you") // ["i'll kill you", 'i will kill you']
 */
export function expandPhrase(phrase: string): string[] {
  const slots = parseSlots(phrase);
  if (countVariants(slots) > maxVariants) {
    throw new Error(
      `${JSON.stringify(phrase)} stands for more than ${maxVariants} variants — split it into several phrases`,
    );
  }
  let variants = [''];
  for (const slot of slots) {
    variants = variants.flatMap((prefix) =>
      slot.map((option) => (prefix && option ? `${prefix} ${option}` : prefix || option)),
    );
  }
  return [...new Set(variants)].filter((variant) => variant !== '');
}

// Separate from the engine's normaliser, whose buffers hold a message while it is assessed.
let phraseNormalizer: Normalizer | undefined;

/** Normalises a piece of phrase; a lone `#` becomes the number placeholder. */
export function formOf(text: string): PhraseForm {
  const source = text
    .split(' ')
    .map((word) => (word === '#' ? '0' : word))
    .join(' ');
  phraseNormalizer ??= new Normalizer();
  const { base } = phraseNormalizer.normalize(source);
  const codes: number[] = [];
  const runs: number[] = [];
  // Index 0 and the last index are the boundary spaces.
  for (let i = 1; i < base.length - 1; i++) {
    const code = base.code[i]!;
    codes.push(code);
    runs.push(code === SPACE || code === NUMBER ? 0 : base.run[i]!);
  }
  return { codes, runs, text };
}

/** Why a normalised variant cannot be matched, or `null`. */
function formProblem(form: PhraseForm): string | null {
  const letters = form.codes.filter((code) => code !== SPACE && code !== NUMBER).length;
  if (letters === 0) return 'has no letters once normalised';
  if (form.codes.length < 2) return 'is shorter than two characters once normalised';
  return null;
}

/** Joins forms with single spaces, skipping empty ones. */
function concat(forms: readonly PhraseForm[]): PhraseForm {
  const result: PhraseForm = { codes: [], runs: [], text: '' };
  for (const form of forms) {
    if (form.codes.length === 0) continue;
    if (result.codes.length > 0) {
      result.codes.push(SPACE);
      result.runs.push(0);
      result.text += ' ';
    }
    result.codes.push(...form.codes);
    result.runs.push(...form.runs);
    result.text += form.text;
  }
  return result;
}

/** The space-free form of a variant ("kill myself" → "killmyself"), runs merged. */
function joined(form: PhraseForm): PhraseForm {
  const codes: number[] = [];
  const runs: number[] = [];
  form.codes.forEach((code, i) => {
    if (code === SPACE) return;
    if (code !== NUMBER && codes[codes.length - 1] === code) {
      runs[runs.length - 1] = Math.min(3, runs[runs.length - 1]! + form.runs[i]!);
    } else {
      codes.push(code);
      runs.push(form.runs[i]!);
    }
  });
  return { codes, runs, text: form.text };
}

function cartesian(slots: readonly Slot[]): PhraseForm[] {
  let variants: PhraseForm[][] = [[]];
  for (const slot of slots)
    variants = variants.flatMap((prefix) => slot.map((f) => [...prefix, f]));
  return variants.map(concat);
}

/** A phrase compiled for matching: the anchor variants and the slots around them. */
export interface CompiledPhrase {
  /** Variants of the anchor, each a pattern for the automaton. */
  anchors: PhraseForm[];
  /** Slots before the anchor, in phrase order, checked right to left. */
  left: Slot[];
  /** Slots after the anchor, in phrase order. */
  right: Slot[];
}

/**
 * Compiles a phrase into anchored shapes: the spaced phrase, plus one whole-phrase shape per
 * joined variant when the phrase is small.
 *
 * @throws Error when the phrase is malformed or a variant cannot be matched.
 */
export function compilePhrase(phrase: string): CompiledPhrase[] {
  const sources = parseSlots(phrase);
  const total = countVariants(sources);
  if (total > maxVariants) {
    throw new Error(
      `${JSON.stringify(phrase)} stands for more than ${maxVariants} variants — split it into several phrases`,
    );
  }
  if (sources.length === 0) throw new Error('Phrases cannot be empty');
  const slots: Slot[] = sources.map((options) => {
    const seen = new Set<string>();
    return options.map(formOf).filter((form) => {
      const key = `${form.codes.join(',')}/${form.runs.join('')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

  // The anchor: among runs of slots whose variants are all long enough to be rare in text,
  // the one with the fewest variants (a single slot is always allowed, however many
  // alternatives it has); failing that, the run whose shortest variant is longest.
  let best: { from: number; to: number; anchors: PhraseForm[]; score: number } | null = null;
  for (let from = 0; from < slots.length; from++) {
    for (let to = from; to < slots.length; to++) {
      const range = slots.slice(from, to + 1);
      if (to > from && countVariants(range) > maxAnchorVariants) break;
      const anchors = cartesian(range);
      if (anchors.some((anchor) => formProblem(anchor) !== null)) continue;
      const rare = Math.min(...anchors.map(rareLength));
      const shortest = Math.min(...anchors.map((anchor) => anchor.codes.length));
      const score =
        rare >= goodAnchorLength
          ? 1e9 - anchors.length * 1000 + rare
          : rare * 1e6 + shortest * 1000 - anchors.length;
      if (!best || score > best.score) best = { from, to, anchors, score };
    }
  }
  if (!best) {
    const problem = cartesian(slots)
      .map((variant) => [variant, formProblem(variant)] as const)
      .find(([, p]) => p !== null);
    throw new Error(
      `${JSON.stringify(problem?.[0].text || phrase)} ${problem?.[1] ?? 'cannot be matched'}`,
    );
  }
  for (const variant of total <= maxVariants ? cartesian(slots) : []) {
    const problem = formProblem(variant);
    if (problem) throw new Error(`${JSON.stringify(variant.text)} ${problem}`);
  }
  const compiled: CompiledPhrase[] = [
    { anchors: best.anchors, left: slots.slice(0, best.from), right: slots.slice(best.to + 1) },
  ];
  if (total <= maxJoinedVariants) {
    const seen = new Set<string>();
    const joinedForms = cartesian(slots)
      .filter((variant) => variant.codes.includes(SPACE))
      .filter((variant) => variant.codes.filter((code) => code === SPACE).length < maxJoinedWords)
      .map(joined)
      .filter((form) => {
        const key = `${form.codes.join(',')}/${form.runs.join('')}`;
        if (form.codes.length < minimumJoinedLength || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    if (joinedForms.length > 0) compiled.push({ anchors: joinedForms, left: [], right: [] });
  }
  return compiled;
}

/** Why a phrase cannot be used, or `null`. Used by the rule schema. */
export function phraseProblem(phrase: string): string | null {
  try {
    compilePhrase(phrase);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every distinct word in the phrases, as letters, for re-splitting spaced-out text. */
export function vocabularyOf(phrases: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const phrase of phrases) {
    for (const options of parseSlots(phrase)) {
      for (const option of options) {
        const form = formOf(option);
        let word = '';
        form.codes.forEach((code, i) => {
          if (code === SPACE) {
            if (word) words.add(word);
            word = '';
          } else if (code !== NUMBER) {
            word += String.fromCodePoint(code).repeat(Math.min(2, form.runs[i]!));
          }
        });
        if (word) words.add(word);
      }
    }
  }
  return [...words].sort();
}
