import { describe, expect, it } from 'vitest';
import { addMonths, eligibleUntil, isCalendarDate, mentorEligibility } from './eligibility.js';
import { type MentorVetting, mentorVettingSchema } from './profile.js';

function mentor(vetting: Record<string, unknown>): { vetting: MentorVetting } {
  return { vetting: mentorVettingSchema.parse(vetting) };
}

const vetted = {
  backgroundCheck: { status: 'clear', expiresOn: '2027-06-30' },
  trainingCompletedOn: '2025-01-15',
};
const options = { today: '2026-03-29', trainingValidityMonths: 24 };

describe('mentorEligibility', () => {
  it('passes a mentor whose check is clear and training current', () => {
    expect(mentorEligibility(mentor(vetted), options)).toEqual({ eligible: true, problems: [] });
    expect(
      mentorEligibility(
        mentor({ ...vetted, backgroundCheck: { status: 'clear', expiresOn: null } }),
        options,
      ).eligible,
    ).toBe(true);
  });

  it('refuses a check that is pending or failed, whatever its date', () => {
    expect(
      mentorEligibility(
        mentor({ ...vetted, backgroundCheck: { status: 'pending', expiresOn: '2030-01-01' } }),
        options,
      ),
    ).toEqual({
      eligible: false,
      problems: [
        {
          code: 'background-check-pending',
          message: 'The background check has not come back yet',
        },
      ],
    });
    expect(
      mentorEligibility(
        mentor({ ...vetted, backgroundCheck: { status: 'failed', expiresOn: '2020-01-01' } }),
        options,
      ).problems,
    ).toEqual([
      {
        code: 'background-check-failed',
        message: 'The background check did not come back clear',
      },
    ]);
  });

  it('treats a check as expired from its expiry date', () => {
    const expiring = (expiresOn: string) =>
      mentor({ ...vetted, backgroundCheck: { status: 'clear', expiresOn } });
    expect(mentorEligibility(expiring('2026-03-30'), options).eligible).toBe(true);
    expect(mentorEligibility(expiring('2026-03-29'), options).problems).toEqual([
      {
        code: 'background-check-expired',
        message: 'The background check expired on 2026-03-29',
      },
    ]);
    expect(mentorEligibility(expiring('2025-12-31'), options).problems[0]?.code).toBe(
      'background-check-expired',
    );
  });

  it('needs training, completed no later than today', () => {
    expect(
      mentorEligibility(mentor({ ...vetted, trainingCompletedOn: null }), options).problems,
    ).toEqual([{ code: 'training-missing', message: 'Training has not been completed' }]);
    expect(
      mentorEligibility(mentor({ ...vetted, trainingCompletedOn: '2026-03-30' }), options).problems,
    ).toEqual([
      {
        code: 'training-missing',
        message: 'Training is recorded as completed on 2026-03-30, which is after today',
      },
    ]);
    expect(
      mentorEligibility(mentor({ ...vetted, trainingCompletedOn: '2026-03-29' }), options).eligible,
    ).toBe(true);
  });

  it('lets training lapse on the day its validity runs out', () => {
    const trainedOn = (trainingCompletedOn: string) => mentor({ ...vetted, trainingCompletedOn });
    expect(mentorEligibility(trainedOn('2024-03-30'), options).eligible).toBe(true);
    expect(mentorEligibility(trainedOn('2024-03-29'), options).problems).toEqual([
      {
        code: 'training-lapsed',
        message: 'Training lapsed on 2026-03-29 (it is valid for 24 months)',
      },
    ]);
  });

  it("uses the mentor's own training validity over the tenant's", () => {
    const refresher = mentor({
      ...vetted,
      trainingCompletedOn: '2025-03-01',
      trainingValidForMonths: 12,
    });
    expect(mentorEligibility(refresher, options).problems).toEqual([
      {
        code: 'training-lapsed',
        message: 'Training lapsed on 2026-03-01 (it is valid for 12 months)',
      },
    ]);
    expect(
      mentorEligibility(
        mentor({ ...vetted, trainingCompletedOn: '2026-02-28', trainingValidForMonths: 1 }),
        options,
      ).problems[0]?.message,
    ).toBe('Training lapsed on 2026-03-28 (it is valid for 1 month)');
    expect(
      mentorEligibility(mentor({ ...vetted, trainingCompletedOn: '2025-03-01' }), {
        ...options,
        trainingValidityMonths: 12,
      }).eligible,
    ).toBe(false);
  });

  it('reports every problem at once', () => {
    const result = mentorEligibility(
      mentor({
        backgroundCheck: { status: 'clear', expiresOn: '2026-01-01' },
        trainingCompletedOn: '2020-01-01',
      }),
      options,
    );
    expect(result.eligible).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual([
      'background-check-expired',
      'training-lapsed',
    ]);
  });

  it.each([
    [
      { today: '29/03/2026', trainingValidityMonths: 24 },
      'today must be a date written YYYY-MM-DD',
    ],
    [
      { today: '2026-02-29', trainingValidityMonths: 24 },
      'today must be a date written YYYY-MM-DD',
    ],
    [{ today: '2026-03-29', trainingValidityMonths: 0 }, 'trainingValidityMonths must be'],
    [{ today: '2026-03-29', trainingValidityMonths: 1.5 }, 'trainingValidityMonths must be'],
  ])('throws on malformed options %j', (bad, message) => {
    expect(() => mentorEligibility(mentor(vetted), bad)).toThrow(message);
  });

  it('is pure: the same inputs give the same answer and nothing is changed', () => {
    const input = mentor(vetted);
    const copy = structuredClone(input);
    expect(mentorEligibility(input, options)).toEqual(mentorEligibility(input, options));
    expect(input).toEqual(copy);
  });
});

describe('addMonths', () => {
  it('adds calendar months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-12-31', 24)).toBe('2027-12-31');
    expect(addMonths('2026-03-29', 0)).toBe('2026-03-29');
  });

  it('never goes backwards, and stays a real date, over many starting days', () => {
    for (let day = 0; day < 1500; day += 7) {
      const start = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
      for (const months of [1, 6, 12, 24, 120]) {
        const end = addMonths(start, months);
        expect(isCalendarDate(end), `${start} + ${months}`).toBe(true);
        expect(end > start).toBe(true);
      }
    }
  });
});

describe('isCalendarDate', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-00-10')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
  });
});

describe('eligibleUntil', () => {
  it('is the earlier of the check expiring and training lapsing', () => {
    // Training of 2025-01-15 lapses on 2027-01-15; the check expires later.
    expect(eligibleUntil(mentor(vetted), options)).toBe('2027-01-15');
    const soonExpiring = {
      ...vetted,
      backgroundCheck: { status: 'clear', expiresOn: '2026-05-01' },
    };
    expect(eligibleUntil(mentor(soonExpiring), options)).toBe('2026-05-01');
    expect(
      eligibleUntil(mentor({ ...vetted, trainingValidForMonths: 12 }), {
        ...options,
        today: '2025-06-01',
      }),
    ).toBe('2026-01-15');
  });

  it('is the first day the mentor is no longer eligible', () => {
    const until = eligibleUntil(mentor(vetted), options)!;
    const dayBefore = new Date(Date.parse(`${until}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(mentorEligibility(mentor(vetted), { ...options, today: dayBefore }).eligible).toBe(true);
    expect(mentorEligibility(mentor(vetted), { ...options, today: until })).toEqual({
      eligible: false,
      problems: [expect.objectContaining({ code: 'training-lapsed' })],
    });
  });

  it('follows training alone when the check never expires', () => {
    const noExpiry = { ...vetted, backgroundCheck: { status: 'clear', expiresOn: null } };
    expect(eligibleUntil(mentor(noExpiry), options)).toBe('2027-01-15');
  });

  it('is null for a mentor who may not be matched today', () => {
    expect(
      eligibleUntil(
        mentor({ ...vetted, backgroundCheck: { status: 'pending', expiresOn: null } }),
        options,
      ),
    ).toBeNull();
    expect(eligibleUntil(mentor({ ...vetted, trainingCompletedOn: null }), options)).toBeNull();
    expect(eligibleUntil(mentor(vetted), { ...options, today: '2027-01-15' })).toBeNull();
  });

  it('refuses malformed options like mentorEligibility', () => {
    expect(() => eligibleUntil(mentor(vetted), { ...options, today: '2026-02-30' })).toThrow(
      'today must be a date written YYYY-MM-DD',
    );
  });
});
