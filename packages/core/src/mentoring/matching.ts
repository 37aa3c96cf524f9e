import { z } from 'zod';
import { ageBandSchema } from '../identity/roles.js';
import { availabilitySchema, overlapMinutes, weeklyMinutes } from './availability.js';
import {
  assertEligibilityOptions,
  type EligibilityOptions,
  type EligibilityProblemCode,
  mentorEligibility,
} from './eligibility.js';
import {
  languageListSchema,
  type MentorProfile,
  maxMentorTags,
  tagListSchema,
  wholeNumber,
} from './profile.js';

/**
 * What a member asks for when they request a mentor.
 *
 * `ageBand` must come from the member's own record, never from what they send: it decides
 * which mentors are cleared to meet them.
 *
 * @example
 * mentorRequestSchema.parse({
 *   ageBand: '16-17',
 *   interests: ['football', 'music'],
 *   helpWith: ['cv writing'],
 *   languages: ['en-GB'],
 *   availability: [{ day: 'tue', start: '17:00', end: '20:00' }],
 * });
 */
export const mentorRequestSchema = z.strictObject({
  ageBand: ageBandSchema,
  /** What the member enjoys, to find a mentor they have something in common with. @default [] */
  interests: tagListSchema('interests', maxMentorTags).default(() => []),
  /** The goals the member wants help with, matched against mentors' skills. @default [] */
  helpWith: tagListSchema('things to help with', 10).default(() => []),
  /**
   * Languages the member wants to be mentored in, preferred first. When empty, language
   * neither excludes nor scores.
   * @default []
   */
  languages: languageListSchema({ min: 0, max: 10 }).default(() => []),
  /** When the member is usually free. When empty, availability does not score. @default [] */
  availability: availabilitySchema.default(() => []),
});
export type MentorRequest = z.output<typeof mentorRequestSchema>;
export type MentorRequestInput = z.input<typeof mentorRequestSchema>;

/** The parts of a match's score, in the order reasons are listed. */
export const matchFactors = ['help', 'interests', 'language', 'availability', 'capacity'] as const;
export type MatchFactor = (typeof matchFactors)[number];
export type MatchWeights = Record<MatchFactor, number>;

/** The most points each factor can add. With these a score is out of 100. */
export const defaultMatchWeights: Readonly<MatchWeights> = Object.freeze({
  help: 30,
  interests: 25,
  language: 10,
  availability: 25,
  capacity: 10,
});

const weight = (factor: MatchFactor) => wholeNumber(0, 100).default(defaultMatchWeights[factor]);

/**
 * The most points each factor can add to a match's score: whole numbers from 0 (ignore the
 * factor) to 100. Only relative sizes matter to the order.
 *
 * @default { help: 30, interests: 25, language: 10, availability: 25, capacity: 10 }
 */
export const matchWeightsSchema = z
  .strictObject({
    /** The mentor's skills cover what the member wants help with. @default 30 */
    help: weight('help'),
    /** The mentor shares the member's interests. @default 25 */
    interests: weight('interests'),
    /** The mentor speaks the member's preferred language. @default 10 */
    language: weight('language'),
    /** The two are free at the same times of the week. @default 25 */
    availability: weight('availability'),
    /** The mentor has room to spare, which spreads mentees across mentors. @default 10 */
    capacity: weight('capacity'),
  })
  .refine((weights) => matchFactors.some((factor) => weights[factor] > 0), {
    error: 'Give at least one factor a weight above 0',
  });

/** A mentor who might be matched, with what the database knows around their profile. */
export interface MentorCandidate {
  /** The mentor's user id. Unique among the candidates. */
  id: string;
  profile: MentorProfile;
  /** Mentees the mentor has now: relationships that are active or paused. */
  currentMentees: number;
  /**
   * A previous relationship between this mentor and the requesting member was closed because
   * of a safeguarding concern. Such a pair is never proposed again. Required, so that a caller
   * cannot forget to look.
   */
  closedForConcernWithMember: boolean;
}

/** Why a candidate was left out, as a stable code. */
export type ExclusionCode =
  | 'closed-for-concern'
  | 'age-band-not-cleared'
  | EligibilityProblemCode
  | 'no-capacity'
  | 'no-shared-language';

export interface ExclusionReason {
  code: ExclusionCode;
  /** A plain sentence for coordinators; never shown to the member. */
  message: string;
}

export interface ExcludedMentor {
  id: string;
  /** Every hard constraint the candidate fails, not just the first. */
  reasons: ExclusionReason[];
}

export interface ScoreReason {
  factor: MatchFactor;
  /** A whole number from 0 to the factor's weight. */
  points: number;
  /** What earned the points, in a sentence. */
  detail: string;
}

export interface RankedMentor {
  id: string;
  /** The sum of the reasons' points. */
  score: number;
  /** One reason per factor, in the order of `matchFactors`, including those worth 0. */
  reasons: ScoreReason[];
}

export interface MentorRanking {
  /** Candidates who pass every hard constraint, best first. */
  ranked: RankedMentor[];
  /** Everyone else, by id, with the reasons — for coordinators. */
  excluded: ExcludedMentor[];
}

/** Options for {@link rankMentors}. */
export interface RankMentorsOptions extends EligibilityOptions {
  /**
   * Capacity for mentors whose profile sets none.
   * @example config.mentoring.maxMenteesDefault
   */
  defaultCapacity: number;
  /**
   * Points per factor; factors left out keep their default.
   * @default defaultMatchWeights
   * @example config.mentoring.weights
   */
  weights?: Partial<MatchWeights>;
  /**
   * Minutes a week in common that earn full availability points. Beyond a couple of hours a
   * week more overlap does not make a better match, so a mentor free all week does not outrank
   * one free exactly when the member is.
   * @default 120
   */
  fullOverlapMinutes?: number;
}

function resolveWeights(weights: Partial<MatchWeights> = {}): MatchWeights {
  const resolved = { ...defaultMatchWeights, ...weights };
  for (const factor of matchFactors) {
    const value = resolved[factor];
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(
        `The weight for ${factor} must be a whole number of 0 or more (got ${value})`,
      );
    }
  }
  return resolved;
}

function assertWholeNumber(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of ${min} or more (got ${value})`);
  }
}

/**
 * Language and script, so that en-GB matches en and en-US, but zh-Hant does not match zh-Hans:
 * mentoring happens mostly in writing.
 */
function languageKey(tag: string): string {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return `${locale.language}-${locale.script ?? ''}`;
  } catch {
    return tag.toLowerCase();
  }
}

function points(weight: number, part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((weight * Math.min(part, whole)) / whole);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function duration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const ordinals = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

function sharedTags(wanted: readonly string[], offered: readonly string[]): string[] {
  const offeredSet = new Set(offered);
  return wanted.filter((tag) => offeredSet.has(tag));
}

interface Prepared {
  request: MentorRequest;
  options: RankMentorsOptions;
  weights: MatchWeights;
  fullOverlapMinutes: number;
  memberMinutes: number;
  memberLanguageKeys: string[];
}

function exclusionsOf(candidate: MentorCandidate, prepared: Prepared): ExclusionReason[] {
  const { request, options } = prepared;
  const { profile } = candidate;
  const reasons: ExclusionReason[] = [];

  if (candidate.closedForConcernWithMember) {
    reasons.push({
      code: 'closed-for-concern',
      message: 'A previous match with this member was closed because of a safeguarding concern',
    });
  }
  if (!profile.clearedAgeBands.includes(request.ageBand)) {
    reasons.push({
      code: 'age-band-not-cleared',
      message: `Not cleared to mentor members aged ${request.ageBand}`,
    });
  }
  reasons.push(...mentorEligibility(profile, options).problems);

  const capacity = profile.capacity ?? options.defaultCapacity;
  if (capacity === 0) {
    reasons.push({ code: 'no-capacity', message: 'Is not taking new mentees at the moment' });
  } else if (candidate.currentMentees >= capacity) {
    reasons.push({
      code: 'no-capacity',
      message: `Already has ${plural(candidate.currentMentees, 'mentee', 'mentees')}, their limit is ${capacity}`,
    });
  }

  if (prepared.memberLanguageKeys.length > 0) {
    const keys = new Set(profile.languages.map(languageKey));
    if (!prepared.memberLanguageKeys.some((key) => keys.has(key))) {
      reasons.push({
        code: 'no-shared-language',
        message: `Speaks none of the member's languages (${request.languages.join(', ')})`,
      });
    }
  }
  return reasons;
}

function helpReason(candidate: MentorCandidate, prepared: Prepared): ScoreReason {
  const wanted = prepared.request.helpWith;
  const shared = sharedTags(wanted, candidate.profile.skills);
  const detail =
    wanted.length === 0
      ? 'The member did not say what they want help with'
      : shared.length === 0
        ? `Can help with none of the ${plural(wanted.length, 'thing', 'things')} asked for`
        : `Can help with ${shared.length} of ${plural(wanted.length, 'thing', 'things')} asked for: ${shared.join(', ')}`;
  return {
    factor: 'help',
    points: points(prepared.weights.help, shared.length, wanted.length),
    detail,
  };
}

function interestsReason(candidate: MentorCandidate, prepared: Prepared): ScoreReason {
  const wanted = prepared.request.interests;
  const shared = sharedTags(wanted, candidate.profile.interests);
  const detail =
    wanted.length === 0
      ? 'The member listed no interests'
      : shared.length === 0
        ? `Shares none of the member's ${plural(wanted.length, 'interest', 'interests')}`
        : `Shares ${shared.length} of ${plural(wanted.length, 'interest', 'interests')}: ${shared.join(', ')}`;
  return {
    factor: 'interests',
    points: points(prepared.weights.interests, shared.length, wanted.length),
    detail,
  };
}

function languageReason(candidate: MentorCandidate, prepared: Prepared): ScoreReason {
  const wanted = prepared.memberLanguageKeys;
  if (wanted.length === 0) {
    return { factor: 'language', points: 0, detail: 'The member gave no language preference' };
  }
  const keys = new Set(candidate.profile.languages.map(languageKey));
  // Hard constraints guarantee a shared language; the earlier it is in the member's list, the
  // more it is worth.
  const index = wanted.findIndex((key) => keys.has(key));
  const tag = prepared.request.languages[index]!;
  const place =
    wanted.length === 1
      ? "the member's language"
      : `the member's ${ordinals[index] ?? `number ${index + 1}`} choice of ${wanted.length}`;
  return {
    factor: 'language',
    points: points(prepared.weights.language, wanted.length - index, wanted.length),
    detail: `Speaks ${tag}, ${place}`,
  };
}

function availabilityReason(candidate: MentorCandidate, prepared: Prepared): ScoreReason {
  if (prepared.memberMinutes === 0) {
    return { factor: 'availability', points: 0, detail: 'The member gave no availability' };
  }
  const overlap = overlapMinutes(prepared.request.availability, candidate.profile.availability);
  const full = Math.min(prepared.fullOverlapMinutes, prepared.memberMinutes);
  return {
    factor: 'availability',
    points: points(prepared.weights.availability, overlap, full),
    detail:
      overlap === 0
        ? 'Not free at any of the times the member is'
        : `Free at the same time as the member for ${duration(overlap)} a week`,
  };
}

function capacityReason(candidate: MentorCandidate, prepared: Prepared): ScoreReason {
  const capacity = candidate.profile.capacity ?? prepared.options.defaultCapacity;
  const spare = capacity - candidate.currentMentees;
  return {
    factor: 'capacity',
    points: points(prepared.weights.capacity, spare, capacity),
    detail: `Has room for ${spare} more of ${plural(capacity, 'mentee', 'mentees')}`,
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Proposes mentors for a member's request: first the hard constraints, then an explained score.
 *
 * **Hard constraints.** A candidate is excluded, with every reason, when a previous match with
 * this member was closed for a safeguarding concern; when they are not cleared for the
 * member's age band; when their vetting does not pass {@link mentorEligibility}; when they have
 * no room (`currentMentees` ≥ capacity, the profile's or else `defaultCapacity`); or when the
 * member listed languages and the mentor speaks none of them. Languages compare by language
 * and script, so `en-GB` matches `en`.
 *
 * **Score.** Each factor earns whole points, `round(weight × part ÷ whole)`, and the score is
 * their sum, so it runs from 0 to the sum of the weights (100 by default):
 *
 * | factor | part ÷ whole |
 * | --- | --- |
 * | help | the member's `helpWith` tags in the mentor's `skills` ÷ the member's `helpWith` tags |
 * | interests | the member's interests the mentor shares ÷ the member's interests |
 * | language | (n − i) ÷ n, where the mentor speaks the member's i-th preferred language (from 0) of n |
 * | availability | min(weekly overlap, F) ÷ min(member's weekly minutes, F), F = `fullOverlapMinutes` |
 * | capacity | places left ÷ capacity |
 *
 * A factor the member gave nothing for (no tags, languages or availability) earns 0 for every
 * candidate, so it does not change the order.
 *
 * **Order.** Highest score first; on a tie, fewer current mentees first (spreading the load);
 * then by id, comparing code units. The order is total and does not depend on the order of
 * `candidates`. Show the first `config.mentoring.proposals`.
 *
 * @throws Error when two candidates share an id, a candidate's `currentMentees` is not a whole
 *   number of 0 or more, or the options are malformed.
 * @example
 * const { ranked, excluded } = rankMentors(request, candidates, {
 *   today: dateInTimeZone(now, config.timeZone),
 *   trainingValidityMonths: config.mentoring.trainingValidityMonths,
 *   defaultCapacity: config.mentoring.maxMenteesDefault,
 *   weights: config.mentoring.weights,
 * });
 * const proposals = ranked.slice(0, config.mentoring.proposals);
 */
export function rankMentors(
  request: MentorRequest,
  candidates: readonly MentorCandidate[],
  options: RankMentorsOptions,
): MentorRanking {
  assertEligibilityOptions(options);
  assertWholeNumber('defaultCapacity', options.defaultCapacity, 0);
  const fullOverlapMinutes = options.fullOverlapMinutes ?? 120;
  assertWholeNumber('fullOverlapMinutes', fullOverlapMinutes, 1);
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) {
      throw new Error(
        `Each candidate needs its own id: ${JSON.stringify(candidate.id)} is repeated`,
      );
    }
    seen.add(candidate.id);
    assertWholeNumber(`currentMentees of ${candidate.id}`, candidate.currentMentees, 0);
  }

  const prepared: Prepared = {
    request,
    options,
    weights: resolveWeights(options.weights),
    fullOverlapMinutes,
    memberMinutes: weeklyMinutes(request.availability),
    memberLanguageKeys: request.languages.map(languageKey),
  };

  const ranked: (RankedMentor & { currentMentees: number })[] = [];
  const excluded: ExcludedMentor[] = [];
  for (const candidate of candidates) {
    const exclusions = exclusionsOf(candidate, prepared);
    if (exclusions.length > 0) {
      excluded.push({ id: candidate.id, reasons: exclusions });
      continue;
    }
    const reasons = [
      helpReason(candidate, prepared),
      interestsReason(candidate, prepared),
      languageReason(candidate, prepared),
      availabilityReason(candidate, prepared),
      capacityReason(candidate, prepared),
    ];
    const score = reasons.reduce((total, reason) => total + reason.points, 0);
    ranked.push({ id: candidate.id, score, reasons, currentMentees: candidate.currentMentees });
  }

  ranked.sort(
    (a, b) => b.score - a.score || a.currentMentees - b.currentMentees || compareIds(a.id, b.id),
  );
  excluded.sort((a, b) => compareIds(a.id, b.id));
  return {
    ranked: ranked.map(({ id, score, reasons }) => ({ id, score, reasons })),
    excluded,
  };
}
