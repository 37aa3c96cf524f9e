import { z } from 'zod';
import { ageBandSchema } from '../identity/roles.js';
import { languageTagSchema } from '../language-tag.js';
import { safeText } from '../text.js';
import { availabilitySchema } from './availability.js';

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * A short tag for a skill, an interest or something a member wants help with. Stored in lower
 * case with single spaces, so `Football` and ` football ` are the same tag and match each other.
 *
 * @example 'cv writing'
 */
export const mentoringTagSchema = safeText({ max: 32 })
  .overwrite((value) => value.replace(/\s+/gu, ' '))
  .toLowerCase();

/** A list of tags, capped, with repeats removed (after normalising) in the order first given. */
export function tagListSchema(noun: string, max: number) {
  return z
    .array(mentoringTagSchema, { error: `${noun} must be a list` })
    .max(max, { error: `List at most ${max} ${noun}` })
    .transform(unique);
}

const notALanguage = (value: string) =>
  `${JSON.stringify(value)} is not a language — use a tag like en, cy or pl`;

// BCP 47 allows a primary subtag of 5–8 letters, but none is registered, so "english" is a
// mistake rather than a language. "und" (undetermined) names no language to mentor in.
const languageSchema = languageTagSchema('Languages', notALanguage)
  .refine((tag) => /^[a-z]{2,3}(?:-|$)/.test(tag), {
    error: (issue) => notALanguage(String(issue.input)),
    abort: true,
  })
  .refine((tag) => tag !== 'und', { error: 'Name a language rather than "und" (undetermined)' });

/**
 * Languages as BCP 47 tags, canonicalised, repeats removed. The order is kept: a member lists
 * the language they prefer first.
 */
export function languageListSchema(options: { min: number; max: number }) {
  return z
    .array(languageSchema, { error: 'Languages must be a list' })
    .min(options.min, { error: 'List at least one language' })
    .max(options.max, { error: `List at most ${options.max} languages` })
    .transform(unique);
}

/** How a background check (in the UK, a DBS check) stands. */
export const backgroundCheckStatuses = ['pending', 'clear', 'failed'] as const;
export type BackgroundCheckStatus = (typeof backgroundCheckStatuses)[number];

const isoDate = (missing: string) =>
  z.iso.date({
    error: (issue) => (issue.input === undefined ? missing : 'Use a date like 2026-03-29'),
  });

export function wholeNumber(min: number, max: number) {
  const error = `Must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** The checks and training that decide whether a mentor may be matched. */
export const mentorVettingSchema = z.strictObject({
  backgroundCheck: z.strictObject({
    status: z.enum(backgroundCheckStatuses, {
      error: `Use one of ${backgroundCheckStatuses.join(', ')}`,
    }),
    /**
     * The day the check stops being valid: from this date the mentor is not matched. `null`
     * when the organisation does not set an expiry. Required, so that "never expires" is a
     * decision rather than an omission.
     * @example '2028-09-01'
     */
    expiresOn: isoDate('Give the date the check expires, or null if it does not expire').nullable(),
  }),
  /**
   * The day the mentor finished the organisation's training, or `null` if they have not.
   * @default null
   */
  trainingCompletedOn: isoDate('Use a date like 2026-03-29').nullable().default(null),
  /**
   * How long this mentor's training stays valid, when it differs from the tenant's
   * `mentoring.trainingValidityMonths` (for example a shorter refresher course).
   * @example 12
   */
  trainingValidForMonths: wholeNumber(1, 120).optional(),
  /** The senior mentor or staff member who supervises this mentor. */
  supervisorId: z.uuid({ error: 'Not a valid supervisor id' }).optional(),
});
export type MentorVetting = z.output<typeof mentorVettingSchema>;

/** The most skills or interests a mentor can list. */
export const maxMentorTags = 20;

/**
 * What a mentor offers and whether they may be matched. Database-free: the id, the current
 * mentees and past matches belong to the records around it.
 *
 * @example
 * mentorProfileSchema.parse({
 *   skills: ['CV writing', 'interview practice'],
 *   interests: ['football', 'music'],
 *   languages: ['en-GB', 'cy'],
 *   availability: [{ day: 'tue', start: '18:00', end: '20:00' }],
 *   capacity: 2,
 *   clearedAgeBands: ['16-17', '18-21'],
 *   vetting: {
 *     backgroundCheck: { status: 'clear', expiresOn: '2028-09-01' },
 *     trainingCompletedOn: '2026-01-20',
 *   },
 * });
 */
export const mentorProfileSchema = z.strictObject({
  /**
   * What the mentor can help with; matched against what a member asks help with.
   * @default []
   * @example ['cv writing', 'maths']
   */
  skills: tagListSchema('skills', maxMentorTags).default(() => []),
  /**
   * What the mentor enjoys; matched against the member's interests to find common ground.
   * @default []
   * @example ['football', 'drawing']
   */
  interests: tagListSchema('interests', maxMentorTags).default(() => []),
  /**
   * Languages the mentor can mentor in, most fluent first.
   * @example ['en-GB', 'pl']
   */
  languages: languageListSchema({ min: 1, max: 10 }),
  /**
   * When the mentor is usually free each week, in the tenant's time zone.
   * @default []
   */
  availability: availabilitySchema.default(() => []),
  /**
   * How many mentees the mentor takes at once; 0 pauses new matches. Leave out to use the
   * tenant's `mentoring.maxMenteesDefault`.
   * @example 2
   */
  capacity: wholeNumber(0, 20).optional(),
  /**
   * The members' age bands this mentor is cleared to mentor. A mentor is only ever matched with
   * members in these bands.
   * @default []
   * @example ['16-17', '18-21']
   */
  clearedAgeBands: z
    .array(ageBandSchema, { error: 'Age bands must be a list' })
    .transform(unique)
    .default(() => []),
  vetting: mentorVettingSchema,
});
export type MentorProfile = z.output<typeof mentorProfileSchema>;
export type MentorProfileInput = z.input<typeof mentorProfileSchema>;
