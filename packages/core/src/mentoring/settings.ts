import { z } from 'zod';
import { matchWeightsSchema } from './matching.js';
import { wholeNumber } from './profile.js';
import { quietHoursSchema } from './quiet-hours.js';

/**
 * Who makes the match:
 * - `coordinator-approves`: the member asks, a coordinator (senior mentor) picks from the
 *   proposals and approves;
 * - `member-chooses`: the member picks from the proposals, and the mentor accepts or declines.
 */
export const matchingModes = ['coordinator-approves', 'member-chooses'] as const;
export type MatchingMode = (typeof matchingModes)[number];

/** A tenant's mentoring settings, the `mentoring` key of its config. */
export const mentoringSettingsSchema = z.strictObject({
  /**
   * Who makes the match. Coordinators by default, because they know the mentors and can weigh
   * what a score cannot.
   * @default 'coordinator-approves'
   */
  matching: z
    .enum(matchingModes, { error: `Use one of ${matchingModes.join(', ')}` })
    .default('coordinator-approves'),
  /**
   * How many of the best-ranked mentors to propose.
   * @default 5
   */
  proposals: wholeNumber(1, 20).default(5),
  /**
   * Months a mentor's training stays valid before they must refresh it. A mentor's vetting can
   * set its own.
   * @default 24
   */
  trainingValidityMonths: wholeNumber(1, 120).default(24),
  /**
   * When notifications to members are held, in the tenant's time zone.
   * @default { start: '21:00', end: '08:00' }
   */
  quietHours: quietHoursSchema.prefault({}),
  /**
   * How many mentees a mentor takes at once when their profile does not say.
   * @default 2
   */
  maxMenteesDefault: wholeNumber(1, 20).default(2),
  /**
   * The most points each factor adds to a match's score.
   * @default { help: 30, interests: 25, language: 10, availability: 25, capacity: 10 }
   */
  weights: matchWeightsSchema.prefault({}),
});
export type MentoringSettings = z.output<typeof mentoringSettingsSchema>;
export type MentoringSettingsInput = z.input<typeof mentoringSettingsSchema>;
