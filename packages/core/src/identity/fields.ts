import { z } from 'zod';
import { countCharacters, safeText } from '../text.js';

const usernameCharacters = /^[a-z0-9_.-]*$/;
const startsWithLetterOrDigit = /^[a-z0-9]/;
// Separators are skipped so "07700-900_123" is caught as readily as "07700900123".
const phoneNumberLike = /[0-9](?:[._-]?[0-9]){6,}/;

/**
 * A member's public handle. Members are anonymous, so the schema also refuses handles that look
 * like an email address or a phone number. Full-width and other compatibility forms are folded
 * (NFKC) and the result is lower-cased, so "Ｓｋｙ_Blue" and "sky_blue" are the same person.
 *
 * @example usernameSchema.parse(' Ｓｋｙ_Blue ') // 'sky_blue'
 */
export const usernameSchema = z
  .string({ error: 'Usernames must be text' })
  .normalize('NFKC')
  .trim()
  .toLowerCase()
  .refine((value) => !value.includes('@'), {
    error: "Usernames can't be an email address — choose something that doesn't identify you",
    abort: true,
  })
  .refine((value) => !phoneNumberLike.test(value), {
    error: "Usernames can't contain a phone number — choose something that doesn't identify you",
    abort: true,
  })
  .min(3, { error: 'Usernames must be at least 3 characters', abort: true })
  .max(24, { error: 'Usernames must be at most 24 characters', abort: true })
  .regex(usernameCharacters, {
    error: 'Usernames can only use letters a–z, numbers, underscores (_), dots (.) and dashes (-)',
    abort: true,
  })
  .regex(startsWithLetterOrDigit, { error: 'Usernames must start with a letter or a number' });

// Only passwords of 10 or more characters are listed: shorter ones fail the length rule first.
// Compared case-insensitively, because "Password123" is guessed as early as "password123".
const commonPasswords: ReadonlySet<string> = new Set([
  '1234567890',
  '0123456789',
  '0987654321',
  '12345678910',
  '123456789a',
  '1234567890a',
  '1111111111',
  '0000000000',
  '123123123123',
  'qwertyuiop',
  'qwerty1234',
  'qwerty123456',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'asdfghjkl1',
  'zxcvbnm123',
  'password12',
  'password123',
  'password1234',
  'password!1',
  'passw0rd123',
  'iloveyou12',
  'iloveyou123',
  'letmein123',
  'welcome123',
  'football123',
  'sunshine123',
  'princess123',
  'abcdefghij',
  'abc1234567',
  'changeme123',
  'trustno1234',
]);

/**
 * A new password, following NIST SP 800-63B: 10 to 128 characters (code points, so emoji and
 * accented letters count once), no composition rules, and not one of the most common passwords.
 * The value is returned exactly as typed — no trimming or normalising — because a password that
 * changed on the way to the hash would not match at sign-in.
 */
export const passwordSchema = z
  .string({ error: 'Passwords must be text' })
  .refine((value) => countCharacters(value) >= 10, {
    error: 'Passwords must be at least 10 characters',
    abort: true,
  })
  .refine((value) => countCharacters(value) <= 128, {
    error: 'Passwords must be at most 128 characters',
    abort: true,
  })
  // Half of a surrogate pair is not a character: it reaches the hash as U+FFFD, so any two
  // such passwords of one length would be the same password. (With the `u` flag a surrogate
  // range only matches a half that lacks its partner.)
  .refine((value) => !/[\uD800-\uDFFF]/u.test(value), {
    error: 'Contains a broken character — try typing it again',
    abort: true,
  })
  .refine((value) => !commonPasswords.has(value.toLowerCase()), {
    error: 'That password is too common — choose one that would be hard to guess',
  });

/**
 * A staff email address, trimmed and lower-cased so the same inbox is never two accounts.
 * @example emailSchema.parse(' Jo@Charity.ORG ') // 'jo@charity.org'
 */
export const emailSchema = z
  .string({ error: 'Email addresses must be text' })
  .trim()
  .toLowerCase()
  .max(254, { error: 'Email addresses must be at most 254 characters' })
  .pipe(z.email({ error: 'Enter an email address like name@example.org' }));

/** A staff member's name as colleagues see it. Members have no real name in Hearth. */
export const displayNameSchema = safeText({ max: 60 });
