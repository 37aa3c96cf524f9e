import { describe, expect, it } from 'vitest';
import {
  type MentorProfileInput,
  mentoringTagSchema,
  mentorProfileSchema,
  mentorVettingSchema,
} from './profile.js';

const minimal = {
  languages: ['en-GB'],
  vetting: { backgroundCheck: { status: 'clear', expiresOn: null } },
} satisfies MentorProfileInput;

function problemsWith(input: unknown): string[] {
  const result = mentorProfileSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('mentorProfileSchema', () => {
  it('fills in defaults from the least a profile needs', () => {
    expect(mentorProfileSchema.parse(minimal)).toEqual({
      skills: [],
      interests: [],
      languages: ['en-GB'],
      availability: [],
      clearedAgeBands: [],
      vetting: {
        backgroundCheck: { status: 'clear', expiresOn: null },
        trainingCompletedOn: null,
      },
    });
  });

  it('accepts a full profile', () => {
    const profile = mentorProfileSchema.parse({
      skills: ['CV writing', 'interview practice'],
      interests: ['football', 'music'],
      languages: ['en-GB', 'cy'],
      availability: [{ day: 'tue', start: '18:00', end: '20:00' }],
      capacity: 0,
      clearedAgeBands: ['16-17', '18-21'],
      vetting: {
        backgroundCheck: { status: 'clear', expiresOn: '2028-09-01' },
        trainingCompletedOn: '2026-01-20',
        trainingValidForMonths: 12,
        supervisorId: '0b7a3f4e-9c2d-4e8f-a1b2-c3d4e5f60718',
      },
    });
    expect(profile.capacity).toBe(0);
    expect(profile.skills).toEqual(['cv writing', 'interview practice']);
    expect(profile.vetting.trainingValidForMonths).toBe(12);
  });

  it('normalises tags and removes repeats, keeping the first order', () => {
    const profile = mentorProfileSchema.parse({
      ...minimal,
      interests: ['  Football ', 'MUSIC', 'football', 'Board\u00A0  games', 'music'],
      languages: ['en-gb', 'EN-GB', 'cy', 'pl'],
      clearedAgeBands: ['16-17', '13-15', '16-17'],
    });
    expect(profile.interests).toEqual(['football', 'music', 'board games']);
    expect(profile.languages).toEqual(['en-GB', 'cy', 'pl']);
    expect(profile.clearedAgeBands).toEqual(['16-17', '13-15']);
  });

  it('caps tags by count and length, counting before repeats are removed', () => {
    const tags = Array.from({ length: 21 }, (_, i) => `tag ${i}`);
    expect(problemsWith({ ...minimal, skills: tags, interests: tags })).toEqual([
      'skills: List at most 20 skills',
      'interests: List at most 20 interests',
    ]);
    expect(problemsWith({ ...minimal, skills: ['x'.repeat(33), ''] })).toEqual([
      'skills.0: Must be at most 32 characters',
      "skills.1: Can't be empty",
    ]);
    expect(problemsWith({ ...minimal, interests: ['foot\u200Bball', 'a\nb'] })).toEqual([
      "interests.0: Can't contain invisible characters",
      "interests.1: Can't contain line breaks, tabs or hidden control characters",
    ]);
  });

  it('needs at least one real language', () => {
    expect(problemsWith({ ...minimal, languages: [] })).toEqual([
      'languages: List at least one language',
    ]);
    expect(problemsWith({ ...minimal, languages: ['english', 'und'] })).toEqual([
      'languages.0: "english" is not a language — use a tag like en, cy or pl',
      'languages.1: Name a language rather than "und" (undetermined)',
    ]);
    expect(problemsWith({ ...minimal, languages: Array(11).fill('en') })).toEqual([
      'languages: List at most 10 languages',
    ]);
    expect(problemsWith({ vetting: minimal.vetting })).toEqual([
      'languages: Languages must be a list',
    ]);
  });

  it.each([
    [-1, 'Must be a whole number from 0 to 20'],
    [21, 'Must be a whole number from 0 to 20'],
    [1.5, 'Must be a whole number from 0 to 20'],
    ['2', 'Must be a whole number from 0 to 20'],
  ])('refuses a capacity of %j', (capacity, message) => {
    expect(problemsWith({ ...minimal, capacity })).toEqual([`capacity: ${message}`]);
  });

  it('refuses unknown age bands and keys', () => {
    expect(problemsWith({ ...minimal, clearedAgeBands: ['adult'] })).toHaveLength(1);
    expect(problemsWith({ ...minimal, bio: 'hi' })).toEqual([': Unrecognized key: "bio"']);
  });

  it('checks availability like availabilitySchema', () => {
    expect(
      problemsWith({
        ...minimal,
        availability: [
          { day: 'mon', start: '18:00', end: '20:00' },
          { day: 'mon', start: '19:00', end: '21:00' },
        ],
      }),
    ).toEqual(['availability.1: Overlaps Monday 18:00–20:00 — join them into one slot']);
  });
});

describe('mentorVettingSchema', () => {
  function vettingProblems(input: unknown) {
    const result = mentorVettingSchema.safeParse(input);
    return result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }

  it('makes "never expires" a decision, not an omission', () => {
    expect(vettingProblems({ backgroundCheck: { status: 'clear' } })).toEqual([
      'backgroundCheck.expiresOn: Give the date the check expires, or null if it does not expire',
    ]);
  });

  it('explains bad statuses, dates, months and ids', () => {
    expect(
      vettingProblems({
        backgroundCheck: { status: 'passed', expiresOn: '2026-02-30' },
        trainingCompletedOn: '20/01/2026',
        trainingValidForMonths: 0,
        supervisorId: 'sam',
      }),
    ).toEqual([
      'backgroundCheck.status: Use one of pending, clear, failed',
      'backgroundCheck.expiresOn: Use a date like 2026-03-29',
      'trainingCompletedOn: Use a date like 2026-03-29',
      'trainingValidForMonths: Must be a whole number from 1 to 120',
      'supervisorId: Not a valid supervisor id',
    ]);
  });

  it('accepts leap days', () => {
    expect(
      mentorVettingSchema.parse({
        backgroundCheck: { status: 'pending', expiresOn: '2028-02-29' },
      }).backgroundCheck.expiresOn,
    ).toBe('2028-02-29');
  });
});

describe('mentoringTagSchema', () => {
  it('lower-cases and collapses spaces, so equal tags compare equal', () => {
    expect(mentoringTagSchema.parse(' CV   Writing ')).toBe('cv writing');
    expect(mentoringTagSchema.parse('LGBTQ+')).toBe('lgbtq+');
    expect(mentoringTagSchema.parse('Cafe\u0301')).toBe('café');
  });
});
