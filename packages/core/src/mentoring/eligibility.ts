import type { MentorProfile } from './profile.js';

/** Why a mentor may not be matched at the moment, as a stable code. */
export const eligibilityProblemCodes = [
  'background-check-pending',
  'background-check-failed',
  'background-check-expired',
  'training-missing',
  'training-lapsed',
] as const;
export type EligibilityProblemCode = (typeof eligibilityProblemCodes)[number];

export interface EligibilityProblem {
  code: EligibilityProblemCode;
  /** A plain sentence for coordinators. */
  message: string;
}

export interface Eligibility {
  eligible: boolean;
  /** Empty exactly when `eligible`. */
  problems: EligibilityProblem[];
}

/** Options for {@link mentorEligibility}. */
export interface EligibilityOptions {
  /**
   * Today's date in the tenant's time zone. Passed in rather than read from the clock, so the
   * answer is reproducible and a test can stand on any day.
   * @example dateInTimeZone(new Date(), config.timeZone)
   */
  today: string;
  /**
   * Months that training stays valid when the mentor's vetting does not say otherwise.
   * @example config.mentoring.trainingValidityMonths
   */
  trainingValidityMonths: number;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = isoDate.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The date `months` calendar months after `date`, on the last day of the month when that month
 * is shorter: 2026-01-31 plus one month is 2026-02-28.
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}

/** @throws Error when the options are malformed: a programming mistake, not a mentor's. */
export function assertEligibilityOptions(options: EligibilityOptions): void {
  if (typeof options.today !== 'string' || !isCalendarDate(options.today)) {
    throw new Error(
      `today must be a date written YYYY-MM-DD (got ${JSON.stringify(options.today)})`,
    );
  }
  const months = options.trainingValidityMonths;
  if (!Number.isInteger(months) || months < 1) {
    throw new Error(`trainingValidityMonths must be a whole number of 1 or more (got ${months})`);
  }
}

/**
 * Whether a mentor's vetting lets them be matched today, and if not, every reason why.
 *
 * - The background check must be `clear`, and not expired: a check that expires on a date is no
 *   longer valid on that date.
 * - Training must be completed, on or before today, and still valid: it lapses on the day that
 *   is `trainingValidForMonths` (or else `trainingValidityMonths`) months after completion.
 *
 * Dates are calendar dates in the tenant's time zone, compared as such; nothing here reads the
 * clock.
 *
 * @throws Error when `today` is not a `YYYY-MM-DD` date or the validity is not a whole number
 *   of months of at least 1.
 * @example
 * mentorEligibility(profile, { today: '2026-03-29', trainingValidityMonths: 24 })
 * // { eligible: false, problems: [{ code: 'training-lapsed', message: 'Training lapsed on 2026-03-01 …' }] }
 */
export function mentorEligibility(
  mentor: Pick<MentorProfile, 'vetting'>,
  options: EligibilityOptions,
): Eligibility {
  assertEligibilityOptions(options);
  const { today } = options;
  const { backgroundCheck, trainingCompletedOn, trainingValidForMonths } = mentor.vetting;
  const problems: EligibilityProblem[] = [];

  if (backgroundCheck.status === 'pending') {
    problems.push({
      code: 'background-check-pending',
      message: 'The background check has not come back yet',
    });
  } else if (backgroundCheck.status === 'failed') {
    problems.push({
      code: 'background-check-failed',
      message: 'The background check did not come back clear',
    });
  } else if (backgroundCheck.expiresOn !== null && backgroundCheck.expiresOn <= today) {
    problems.push({
      code: 'background-check-expired',
      message: `The background check expired on ${backgroundCheck.expiresOn}`,
    });
  }

  if (trainingCompletedOn === null) {
    problems.push({ code: 'training-missing', message: 'Training has not been completed' });
  } else if (trainingCompletedOn > today) {
    problems.push({
      code: 'training-missing',
      message: `Training is recorded as completed on ${trainingCompletedOn}, which is after today`,
    });
  } else {
    const months = trainingValidForMonths ?? options.trainingValidityMonths;
    const lapsesOn = addMonths(trainingCompletedOn, months);
    if (lapsesOn <= today) {
      problems.push({
        code: 'training-lapsed',
        message: `Training lapsed on ${lapsesOn} (it is valid for ${months} ${months === 1 ? 'month' : 'months'})`,
      });
    }
  }

  return { eligible: problems.length === 0, problems };
}

/**
 * The day a mentor who may be matched today stops being matchable as time passes: the
 * background check's expiry or the day training lapses, whichever comes first. `null` when
 * nothing they rely on expires, or when they may not be matched today anyway. Schedule a
 * reminder for this day to flag the mentor to the organisation when it comes.
 *
 * @throws Error when the options are malformed, as {@link mentorEligibility}.
 * @example
 * eligibleUntil(profile, { today: '2026-03-29', trainingValidityMonths: 24 }) // '2027-01-15'
 */
export function eligibleUntil(
  mentor: Pick<MentorProfile, 'vetting'>,
  options: EligibilityOptions,
): string | null {
  if (!mentorEligibility(mentor, options).eligible) return null;
  const { backgroundCheck, trainingCompletedOn, trainingValidForMonths } = mentor.vetting;
  // Eligible, so the check is clear and training was completed on or before today.
  const months = trainingValidForMonths ?? options.trainingValidityMonths;
  const lapses = [addMonths(trainingCompletedOn!, months)];
  if (backgroundCheck.expiresOn !== null) lapses.push(backgroundCheck.expiresOn);
  return lapses.sort()[0]!;
}
