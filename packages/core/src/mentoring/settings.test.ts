import { describe, expect, it } from 'vitest';
import { defaultMatchWeights } from './matching.js';
import { matchingModes, mentoringSettingsSchema } from './settings.js';

function problemsWith(input: unknown): string[] {
  const result = mentoringSettingsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('mentoringSettingsSchema', () => {
  it('has a default for everything', () => {
    expect(mentoringSettingsSchema.parse({})).toEqual({
      matching: 'coordinator-approves',
      proposals: 5,
      trainingValidityMonths: 24,
      quietHours: { start: '21:00', end: '08:00' },
      maxMenteesDefault: 2,
      weights: defaultMatchWeights,
    });
  });

  it('accepts every matching mode', () => {
    for (const matching of matchingModes) {
      expect(mentoringSettingsSchema.parse({ matching }).matching).toBe(matching);
    }
  });

  it('does not share default objects between parses', () => {
    const first = mentoringSettingsSchema.parse({});
    first.weights.help = 0;
    first.quietHours.start = '20:00';
    const second = mentoringSettingsSchema.parse({});
    expect(second.weights.help).toBe(30);
    expect(second.quietHours.start).toBe('21:00');
  });

  it.each([
    [{ proposals: 21 }, 'proposals: Must be a whole number from 1 to 20'],
    [
      { trainingValidityMonths: 121 },
      'trainingValidityMonths: Must be a whole number from 1 to 120',
    ],
    [{ maxMenteesDefault: 0 }, 'maxMenteesDefault: Must be a whole number from 1 to 20'],
    [{ weights: { language: 101 } }, 'weights.language: Must be a whole number from 0 to 100'],
    [{ quietHours: { end: '8:00' } }, 'quietHours.end: Use a 24-hour time like 08:00 or 21:30'],
    [{ matchng: 'member-chooses' }, ': Unrecognized key: "matchng"'],
  ])('refuses %j', (input, message) => {
    expect(problemsWith(input)).toEqual([message]);
  });
});
