import { z } from 'zod';

/** Options for {@link safeText}. */
export interface SafeTextOptions {
  /**
   * Fewest characters allowed after normalising and trimming. Use 0 for text that may be blank.
   * @default 1
   */
  min?: number;
  /**
   * Most characters allowed after normalising and trimming. Counted in Unicode code points, as
   * Postgres counts `varchar(n)`, so an emoji costs one character rather than two.
   * @example 80
   */
  max: number;
  /**
   * Allow line breaks and tabs, for messages and notes. Windows line endings (`\r\n`), which
   * browsers send from a `<textarea>`, become `\n`.
   * @default false
   */
  multiline?: boolean;
}

// \p{Cc} is C0, DEL and C1. Tabs and line feeds are judged separately, because multiline text
// allows them.
const controlCharacter = /(?![\t\n])\p{Cc}/u;
const lineBreakOrTab = /[\t\n]/u;
// Override and isolate characters can make "gro.evil//:sptth" read as a friendly link, or flip
// a username so it impersonates someone else (Trojan Source).
const bidiControl = /[\u202A-\u202E\u2066-\u2069]/u;
const zeroWidth = /[\u200B-\u200D\uFEFF]/u;
// A joiner between two pictographs is part of an emoji (🏳️‍🌈, 👩‍👩‍👧), not a way to hide text,
// so it is removed before looking for zero-width characters.
const emojiJoiner =
  /(\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})/gu;
// With the `u` flag a surrogate range only matches a half that lacks its partner.
const loneSurrogate = /[\uD800-\uDFFF]/u;

/**
 * Counts Unicode code points, which is what people (and Postgres) mean by characters.
 * @example countCharacters('🙂 hi') // 4
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function plural(n: number): string {
  return n === 1 ? '1 character' : `${n} characters`;
}

/**
 * A string schema for anything a person types that other people will read: names, titles,
 * messages. It normalises to NFC and trims, then rejects characters that hide or disguise text
 * (control, bidirectional-override and zero-width characters, broken surrogates) with a message
 * a teenager can act on.
 *
 * @throws Error when the options are not whole numbers with 0 ≤ min ≤ max, so a mistake shows
 *   up when the schema is declared rather than when someone submits a form.
 * @example
 * const titleSchema = safeText({ max: 80 });
 * const messageSchema = safeText({ max: 4000, multiline: true });
 */
export function safeText(options: SafeTextOptions): z.ZodString {
  const { min = 1, max, multiline = false } = options;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
    throw new Error(`safeText needs whole numbers with 0 ≤ min ≤ max (got min ${min}, max ${max})`);
  }

  let schema = z.string({ error: 'Must be text' }).normalize('NFC');
  if (multiline) schema = schema.overwrite((value) => value.replace(/\r\n/g, '\n'));
  return schema
    .trim()
    .refine((value) => countCharacters(value) >= min, {
      error: min === 1 ? "Can't be empty" : `Must be at least ${plural(min)}`,
    })
    .refine((value) => countCharacters(value) <= max, {
      error: `Must be at most ${plural(max)}`,
    })
    .refine(
      (value) => !controlCharacter.test(value) && (multiline || !lineBreakOrTab.test(value)),
      {
        error: multiline
          ? "Can't contain hidden control characters"
          : "Can't contain line breaks, tabs or hidden control characters",
      },
    )
    .refine((value) => !bidiControl.test(value), {
      error: "Can't contain characters that change the direction of text",
    })
    .refine((value) => !zeroWidth.test(value.replace(emojiJoiner, '$1')), {
      error: "Can't contain invisible characters",
    })
    .refine((value) => !loneSurrogate.test(value), {
      error: 'Contains a broken character — try typing it again',
    });
}
