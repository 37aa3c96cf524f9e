import { describe, expect, it } from 'vitest';
import { ageBands } from '../identity/roles.js';
import { weekdays } from './availability.js';
import {
  defaultMatchWeights,
  type MentorCandidate,
  type MentorRequestInput,
  matchFactors,
  matchWeightsSchema,
  mentorRequestSchema,
  type RankMentorsOptions,
  rankMentors,
} from './matching.js';
import { type MentorProfileInput, mentorProfileSchema } from './profile.js';

const options: RankMentorsOptions = {
  today: '2026-03-29',
  trainingValidityMonths: 24,
  defaultCapacity: 2,
};

const vetted = {
  backgroundCheck: { status: 'clear', expiresOn: '2028-01-01' },
  trainingCompletedOn: '2025-06-01',
} as const;

function candidate(
  id: string,
  profile: Partial<MentorProfileInput> = {},
  extra: Partial<Omit<MentorCandidate, 'id' | 'profile'>> = {},
): MentorCandidate {
  return {
    id,
    profile: mentorProfileSchema.parse({
      languages: ['en-GB'],
      clearedAgeBands: ['16-17', '18-21'],
      vetting: vetted,
      ...profile,
    }),
    currentMentees: 0,
    closedForConcernWithMember: false,
    ...extra,
  };
}

const request = (input: Partial<MentorRequestInput> = {}) =>
  mentorRequestSchema.parse({ ageBand: '16-17', ...input });

const codes = (ranking: ReturnType<typeof rankMentors>, id: string) =>
  ranking.excluded.find((e) => e.id === id)?.reasons.map((r) => r.code);

describe('mentorRequestSchema', () => {
  it('needs only an age band, and normalises like a profile', () => {
    expect(mentorRequestSchema.parse({ ageBand: '13-15' })).toEqual({
      ageBand: '13-15',
      interests: [],
      helpWith: [],
      languages: [],
      availability: [],
    });
    expect(
      mentorRequestSchema.parse({
        ageBand: '16-17',
        interests: ['Music', 'music '],
        helpWith: ['CV  writing'],
        languages: ['CY', 'en-gb'],
      }),
    ).toMatchObject({ interests: ['music'], helpWith: ['cv writing'], languages: ['cy', 'en-GB'] });
  });

  it('explains its mistakes', () => {
    const result = mentorRequestSchema.safeParse({
      helpWith: Array(11).fill('x'),
      availability: [{ day: 'mon', start: '20:00', end: '19:00' }],
      memberId: 'm1',
    });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'ageBand: Invalid option: expected one of "under-13"|"13-15"|"16-17"|"18-21"|"22-25"|"26-plus"',
      'helpWith: List at most 10 things to help with',
      'availability.0.end: A slot must end after it starts — for time past midnight, add a second slot on the next day',
      ': Unrecognized key: "memberId"',
    ]);
  });
});

describe('matchWeightsSchema', () => {
  it('defaults to weights that add up to 100', () => {
    const weights = matchWeightsSchema.parse({});
    expect(weights).toEqual(defaultMatchWeights);
    expect(matchFactors.reduce((sum, f) => sum + weights[f], 0)).toBe(100);
    expect(Object.isFrozen(defaultMatchWeights)).toBe(true);
  });
});

describe('rankMentors: hard constraints', () => {
  it('excludes a mentor whose earlier match with this member closed for a concern', () => {
    const ranking = rankMentors(
      request(),
      [candidate('a', {}, { closedForConcernWithMember: true }), candidate('b')],
      options,
    );
    expect(ranking.ranked.map((r) => r.id)).toEqual(['b']);
    expect(ranking.excluded).toEqual([
      {
        id: 'a',
        reasons: [
          {
            code: 'closed-for-concern',
            message:
              'A previous match with this member was closed because of a safeguarding concern',
          },
        ],
      },
    ]);
  });

  it('excludes a mentor not cleared for the member’s age band', () => {
    const ranking = rankMentors(
      request({ ageBand: '13-15' }),
      [candidate('a'), candidate('b', { clearedAgeBands: ['13-15'] })],
      options,
    );
    expect(ranking.ranked.map((r) => r.id)).toEqual(['b']);
    expect(ranking.excluded[0]?.reasons).toEqual([
      { code: 'age-band-not-cleared', message: 'Not cleared to mentor members aged 13-15' },
    ]);
  });

  it('excludes a mentor whose vetting does not pass, with the vetting problems', () => {
    const ranking = rankMentors(
      request(),
      [
        candidate('expired', {
          vetting: { ...vetted, backgroundCheck: { status: 'clear', expiresOn: '2026-03-29' } },
        }),
        candidate('pending', {
          vetting: { backgroundCheck: { status: 'pending', expiresOn: null } },
        }),
        candidate('lapsed', { vetting: { ...vetted, trainingCompletedOn: '2024-03-29' } }),
      ],
      options,
    );
    expect(ranking.ranked).toEqual([]);
    expect(codes(ranking, 'expired')).toEqual(['background-check-expired']);
    expect(codes(ranking, 'pending')).toEqual(['background-check-pending', 'training-missing']);
    expect(codes(ranking, 'lapsed')).toEqual(['training-lapsed']);
  });

  it('uses the tenant’s training validity', () => {
    const trainedLongAgo = [
      candidate('a', { vetting: { ...vetted, trainingCompletedOn: '2024-01-01' } }),
    ];
    expect(rankMentors(request(), trainedLongAgo, options).ranked).toEqual([]);
    expect(
      rankMentors(request(), trainedLongAgo, { ...options, trainingValidityMonths: 36 }).ranked,
    ).toHaveLength(1);
  });

  it('excludes a full mentor, using the tenant default when the profile sets no capacity', () => {
    const ranking = rankMentors(
      request(),
      [
        candidate('default-full', {}, { currentMentees: 2 }),
        candidate('default-room', {}, { currentMentees: 1 }),
        candidate('own-room', { capacity: 5 }, { currentMentees: 4 }),
        candidate('own-full', { capacity: 1 }, { currentMentees: 3 }),
        candidate('break', { capacity: 0 }),
      ],
      options,
    );
    expect(ranking.ranked.map((r) => r.id).sort()).toEqual(['default-room', 'own-room']);
    expect(ranking.excluded).toEqual([
      {
        id: 'break',
        reasons: [{ code: 'no-capacity', message: 'Is not taking new mentees at the moment' }],
      },
      {
        id: 'default-full',
        reasons: [{ code: 'no-capacity', message: 'Already has 2 mentees, their limit is 2' }],
      },
      {
        id: 'own-full',
        reasons: [{ code: 'no-capacity', message: 'Already has 3 mentees, their limit is 1' }],
      },
    ]);
  });

  it('needs a shared language only when the member gave languages', () => {
    const candidates = [
      candidate('welsh', { languages: ['cy'] }),
      candidate('english', { languages: ['en'] }),
      candidate('american', { languages: ['pl', 'en-US'] }),
    ];
    expect(rankMentors(request(), candidates, options).excluded).toEqual([]);

    const ranking = rankMentors(request({ languages: ['en-GB'] }), candidates, options);
    expect(ranking.ranked.map((r) => r.id).sort()).toEqual(['american', 'english']);
    expect(ranking.excluded).toEqual([
      {
        id: 'welsh',
        reasons: [
          { code: 'no-shared-language', message: "Speaks none of the member's languages (en-GB)" },
        ],
      },
    ]);
  });

  it('treats a different script as a different language', () => {
    const ranking = rankMentors(
      request({ languages: ['zh-TW'] }),
      [
        candidate('simplified', { languages: ['zh-CN'] }),
        candidate('traditional', { languages: ['zh-Hant'] }),
      ],
      options,
    );
    expect(ranking.ranked.map((r) => r.id)).toEqual(['traditional']);
    expect(codes(ranking, 'simplified')).toEqual(['no-shared-language']);
  });

  it('reports every reason a candidate fails, not just the first', () => {
    const ranking = rankMentors(
      request({ ageBand: 'under-13', languages: ['cy'] }),
      [
        candidate(
          'a',
          { vetting: { backgroundCheck: { status: 'failed', expiresOn: null } }, capacity: 1 },
          { currentMentees: 1, closedForConcernWithMember: true },
        ),
      ],
      options,
    );
    expect(codes(ranking, 'a')).toEqual([
      'closed-for-concern',
      'age-band-not-cleared',
      'background-check-failed',
      'training-missing',
      'no-capacity',
      'no-shared-language',
    ]);
  });
});

describe('rankMentors: the explained score', () => {
  const member = request({
    interests: ['football', 'music', 'drawing'],
    helpWith: ['cv writing', 'interview practice'],
    languages: ['cy', 'en-GB'],
    availability: [{ day: 'tue', start: '17:00', end: '20:00' }],
  });

  it('scores each factor as round(weight × part ÷ whole), and sums them', () => {
    const [result] = rankMentors(
      member,
      [
        candidate(
          'a',
          {
            skills: ['cv writing', 'maths'],
            interests: ['music', 'gaming', 'football'],
            languages: ['en'],
            availability: [{ day: 'tue', start: '19:00', end: '22:00' }],
            capacity: 3,
          },
          { currentMentees: 1 },
        ),
      ],
      options,
    ).ranked;
    expect(result).toEqual({
      id: 'a',
      score: 15 + 17 + 5 + 13 + 7,
      reasons: [
        { factor: 'help', points: 15, detail: 'Can help with 1 of 2 things asked for: cv writing' },
        {
          factor: 'interests',
          points: 17,
          detail: 'Shares 2 of 3 interests: football, music',
        },
        { factor: 'language', points: 5, detail: "Speaks en-GB, the member's second choice of 2" },
        {
          factor: 'availability',
          points: 13,
          detail: 'Free at the same time as the member for 1 h a week',
        },
        { factor: 'capacity', points: 7, detail: 'Has room for 2 more of 3 mentees' },
      ],
    });
  });

  it('gives full points for a perfect match', () => {
    const [result] = rankMentors(
      member,
      [
        candidate('a', {
          skills: ['interview practice', 'cv writing'],
          interests: ['drawing', 'music', 'football', 'chess'],
          languages: ['cy'],
          availability: [{ day: 'tue', start: '17:00', end: '19:00' }],
        }),
      ],
      options,
    ).ranked;
    expect(result?.score).toBe(100);
    expect(result?.reasons.map((r) => r.detail)).toEqual([
      'Can help with 2 of 2 things asked for: cv writing, interview practice',
      'Shares 3 of 3 interests: football, music, drawing',
      "Speaks cy, the member's first choice of 2",
      'Free at the same time as the member for 2 h a week',
      'Has room for 2 more of 2 mentees',
    ]);
  });

  it('scores nothing, and says so, for what the member left out or the mentor lacks', () => {
    const [bare] = rankMentors(
      request(),
      [candidate('a', {}, { currentMentees: 1 })],
      options,
    ).ranked;
    expect(bare?.reasons).toEqual([
      {
        factor: 'help',
        points: 0,
        detail: 'The member did not say what they want help with',
      },
      { factor: 'interests', points: 0, detail: 'The member listed no interests' },
      { factor: 'language', points: 0, detail: 'The member gave no language preference' },
      { factor: 'availability', points: 0, detail: 'The member gave no availability' },
      { factor: 'capacity', points: 5, detail: 'Has room for 1 more of 2 mentees' },
    ]);
    const [mismatch] = rankMentors(member, [candidate('b', { languages: ['en'] })], options).ranked;
    expect(mismatch?.reasons.slice(0, 4).map((r) => [r.points, r.detail])).toEqual([
      [0, 'Can help with none of the 2 things asked for'],
      [0, "Shares none of the member's 3 interests"],
      [5, "Speaks en-GB, the member's second choice of 2"],
      [0, 'Not free at any of the times the member is'],
    ]);
  });

  it('caps availability at the full overlap, or at all of the member’s time when less', () => {
    const score = (memberSlots: string[], mentorSlots: string[], full?: number) => {
      const slots = (list: string[]) =>
        list.map((range) => {
          const [start, end] = range.split('-') as [string, string];
          return { day: 'sat' as const, start, end };
        });
      const [result] = rankMentors(
        request({ availability: slots(memberSlots) }),
        [candidate('a', { availability: slots(mentorSlots) })],
        { ...options, fullOverlapMinutes: full },
      ).ranked;
      return result?.reasons.find((r) => r.factor === 'availability')?.points;
    };
    expect(score(['09:00-18:00'], ['09:00-11:00'])).toBe(25);
    expect(score(['09:00-18:00'], ['09:00-18:00'])).toBe(25);
    expect(score(['09:00-18:00'], ['09:00-10:00'])).toBe(13);
    expect(score(['09:00-09:30'], ['09:00-09:30'])).toBe(25);
    expect(score(['09:00-09:30'], ['09:15-12:00'])).toBe(13);
    expect(score(['09:00-18:00'], ['09:00-11:00'], 240)).toBe(13);
    expect(score(['09:00-18:00'], ['09:00-09:15'], 60)).toBe(6);
  });

  it('values a shared language by the member’s order of preference', () => {
    const member3 = request({ languages: ['pl', 'uk', 'en'] });
    const ranking = rankMentors(
      member3,
      [
        candidate('first', { languages: ['pl'] }),
        candidate('second', { languages: ['uk', 'en'] }),
        candidate('third', { languages: ['en'] }),
      ],
      options,
    );
    const languagePoints = ranking.ranked.map((r) => [
      r.id,
      r.reasons.find((reason) => reason.factor === 'language')?.points,
    ]);
    expect(languagePoints).toEqual([
      ['first', 10],
      ['second', 7],
      ['third', 3],
    ]);
  });

  it('applies custom weights, keeping defaults for factors left out', () => {
    const candidates = [
      candidate('skilled', { skills: ['cv writing'] }),
      candidate('free', { availability: [{ day: 'tue', start: '17:00', end: '20:00' }] }),
    ];
    const byDefault = rankMentors(member, candidates, options).ranked;
    expect(byDefault.map((r) => [r.id, r.score])).toEqual([
      ['free', 25 + 5 + 10],
      ['skilled', 15 + 5 + 10],
    ]);
    const helpFirst = rankMentors(member, candidates, {
      ...options,
      weights: { help: 100, availability: 10 },
    }).ranked;
    expect(helpFirst.map((r) => [r.id, r.score])).toEqual([
      ['skilled', 50 + 5 + 10],
      ['free', 10 + 5 + 10],
    ]);
    const onlyHelp = rankMentors(member, candidates, {
      ...options,
      weights: { interests: 0, language: 0, availability: 0, capacity: 0 },
    }).ranked;
    expect(onlyHelp.map((r) => [r.id, r.score, r.reasons.map((x) => x.points)])).toEqual([
      ['skilled', 15, [15, 0, 0, 0, 0]],
      ['free', 0, [0, 0, 0, 0, 0]],
    ]);
  });
});

describe('rankMentors: order', () => {
  it('breaks ties by fewer current mentees, then by id', () => {
    const ranking = rankMentors(
      request(),
      [
        candidate('c', { capacity: 4 }, { currentMentees: 2 }),
        candidate('b', { capacity: 2 }, { currentMentees: 1 }),
        candidate('a', { capacity: 6 }, { currentMentees: 3 }),
        candidate('d', { capacity: 1 }),
        candidate('e', { capacity: 2 }),
      ],
      options,
    );
    expect(ranking.ranked.map((r) => [r.id, r.score])).toEqual([
      ['d', 10],
      ['e', 10],
      ['b', 5],
      ['c', 5],
      ['a', 5],
    ]);
  });

  it('compares ids by code unit, whatever the locale', () => {
    const ranking = rankMentors(
      request(),
      ['b', 'B', 'a', 'é', 'A'].map((id) => candidate(id)),
      options,
    );
    expect(ranking.ranked.map((r) => r.id)).toEqual(['A', 'B', 'a', 'b', 'é']);
  });

  it('handles no candidates', () => {
    expect(rankMentors(request(), [], options)).toEqual({ ranked: [], excluded: [] });
  });
});

describe('rankMentors: mistakes by the caller', () => {
  it('throws on repeated ids or impossible mentee counts', () => {
    expect(() => rankMentors(request(), [candidate('a'), candidate('a')], options)).toThrow(
      'Each candidate needs its own id: "a" is repeated',
    );
    expect(() =>
      rankMentors(request(), [candidate('a', {}, { currentMentees: -1 })], options),
    ).toThrow('currentMentees of a must be a whole number of 0 or more (got -1)');
    expect(() =>
      rankMentors(request(), [candidate('a', {}, { currentMentees: 0.5 })], options),
    ).toThrow('currentMentees of a must be a whole number');
  });

  it.each([
    [{ today: '2026-3-29' }, 'today must be a date written YYYY-MM-DD'],
    [{ trainingValidityMonths: 0 }, 'trainingValidityMonths must be a whole number'],
    [{ defaultCapacity: -1 }, 'defaultCapacity must be a whole number of 0 or more'],
    [{ fullOverlapMinutes: 0 }, 'fullOverlapMinutes must be a whole number of 1 or more'],
    [{ weights: { help: -5 } }, 'The weight for help must be a whole number of 0 or more'],
    [{ weights: { capacity: 2.5 } }, 'The weight for capacity must be a whole number'],
  ])('throws on malformed options %j', (change, message) => {
    expect(() => rankMentors(request(), [candidate('a')], { ...options, ...change })).toThrow(
      message,
    );
  });

  it('changes nothing it is given', () => {
    const member = request({ interests: ['music'], languages: ['en'] });
    const candidates = [candidate('b', { interests: ['music'] }), candidate('a')];
    const before = structuredClone({ member, candidates, options });
    rankMentors(member, candidates, options);
    expect({ member, candidates, options }).toEqual(before);
  });
});

describe('rankMentors on random requests and candidates', () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const some = <T>(list: readonly T[], max: number): T[] =>
    Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(list));
  const tags = ['football', 'music', 'art', 'gaming', 'cv writing', 'maths', 'cooking', 'dance'];
  const languages = ['en', 'en-GB', 'cy', 'pl', 'uk', 'zh-Hant', 'zh-Hans', 'ar'];
  const dates = ['2024-01-01', '2025-05-01', '2026-03-29', '2027-01-01', null];
  const randomSlots = () => {
    const slots = [];
    for (const day of weekdays) {
      if (random() < 0.4) {
        const from = Math.floor(random() * 80);
        const to = from + 1 + Math.floor(random() * (96 - from));
        const time = (q: number) =>
          `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
        slots.push({ day, start: time(from), end: time(to) });
      }
    }
    return slots;
  };
  const randomCandidate = (id: string): MentorCandidate => ({
    id,
    profile: mentorProfileSchema.parse({
      skills: some(tags, 4),
      interests: some(tags, 5),
      languages: [pick(languages), ...some(languages, 3)],
      availability: randomSlots(),
      capacity: random() < 0.3 ? undefined : Math.floor(random() * 6),
      clearedAgeBands: random() < 0.6 ? [...ageBands] : some(ageBands, 4),
      vetting: {
        backgroundCheck: {
          status: random() < 0.85 ? 'clear' : pick(['pending', 'failed'] as const),
          expiresOn: random() < 0.85 ? pick(['2027-01-01', null]) : pick(dates),
        },
        trainingCompletedOn: random() < 0.85 ? pick(['2025-01-01', '2026-01-01']) : pick(dates),
      },
    }),
    currentMentees: Math.floor(random() * 3),
    closedForConcernWithMember: random() < 0.1,
  });

  it('keeps every promise of the ranking', () => {
    let ranked = 0;
    let excluded = 0;
    for (let run = 0; run < 150; run++) {
      const member = mentorRequestSchema.parse({
        ageBand: pick(ageBands),
        interests: some(tags, 4),
        helpWith: some(tags, 3),
        languages: some(languages, 1),
        availability: randomSlots(),
      });
      const ids = ['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11'];
      const candidates = ids
        .slice(0, 1 + Math.floor(random() * ids.length))
        .map((id) => randomCandidate(id));
      const weights =
        random() < 0.5 ? undefined : { help: pick([0, 10, 50]), capacity: pick([0, 3]) };
      const runOptions = { ...options, weights, defaultCapacity: pick([1, 2, 3]) };
      const resolved = { ...defaultMatchWeights, ...weights };

      const result = rankMentors(member, candidates, runOptions);
      ranked += result.ranked.length;
      excluded += result.excluded.length;

      // Excluded and ranked together are exactly the candidates, each once.
      const all = [...result.ranked.map((r) => r.id), ...result.excluded.map((e) => e.id)];
      expect(all.sort()).toEqual(candidates.map((c) => c.id).sort());

      for (const entry of result.excluded) expect(entry.reasons.length).toBeGreaterThan(0);
      expect(result.excluded.map((e) => e.id)).toEqual(result.excluded.map((e) => e.id).sort());

      for (const entry of result.ranked) {
        // The reasons explain the score exactly, one per factor, within each weight.
        expect(entry.reasons.map((r) => r.factor)).toEqual([...matchFactors]);
        expect(entry.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(entry.score);
        for (const reason of entry.reasons) {
          expect(Number.isInteger(reason.points)).toBe(true);
          expect(reason.points).toBeGreaterThanOrEqual(0);
          expect(reason.points).toBeLessThanOrEqual(resolved[reason.factor]);
        }
        // Nobody ranked breaks a hard constraint.
        const c = candidates.find((x) => x.id === entry.id)!;
        expect(c.closedForConcernWithMember).toBe(false);
        expect(c.profile.clearedAgeBands).toContain(member.ageBand);
        expect(c.currentMentees).toBeLessThan(c.profile.capacity ?? runOptions.defaultCapacity);
      }

      // A strict total order: score down, then mentees up, then id.
      for (let i = 1; i < result.ranked.length; i++) {
        const a = result.ranked[i - 1]!;
        const b = result.ranked[i]!;
        const menteesOf = (id: string) => candidates.find((x) => x.id === id)!.currentMentees;
        const key = (r: typeof a) => [-r.score, menteesOf(r.id)] as const;
        const [as, am] = key(a);
        const [bs, bm] = key(b);
        expect(as < bs || (as === bs && (am < bm || (am === bm && a.id < b.id)))).toBe(true);
      }

      // The order of the candidates does not matter, and the same call gives the same answer.
      const shuffled = [...candidates].sort(() => random() - 0.5);
      expect(rankMentors(member, shuffled, runOptions)).toEqual(result);
      expect(rankMentors(member, candidates, runOptions)).toEqual(result);
    }
    expect(ranked).toBeGreaterThan(50);
    expect(excluded).toBeGreaterThan(50);
  });
});
