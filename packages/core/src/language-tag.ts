import { z } from 'zod';

/**
 * A BCP 47 language tag, canonicalised (`en-gb` → `en-GB`) so that equal tags compare equal.
 * `noun` names the field in messages; `invalid` explains what to write instead.
 */
export function languageTagSchema(noun: string, invalid: (value: string) => string) {
  return z
    .string({ error: `${noun} must be text` })
    .max(35, { error: `${noun} must be at most 35 characters`, abort: true })
    .transform((value, ctx) => {
      try {
        const [canonical] = Intl.getCanonicalLocales(value);
        if (canonical) return canonical;
      } catch {
        // An invalid tag throws RangeError; it is reported below.
      }
      ctx.issues.push({ code: 'custom', input: value, message: invalid(value) });
      return z.NEVER;
    });
}
