import { describe, expect, it } from 'vitest';
import {
  decideModeration,
  type ModerationFinding,
  type ModerationPolicy,
  moderationPolicySchema,
} from './moderation.js';

const policy: ModerationPolicy = moderationPolicySchema.parse({});
const member = { isMember: true, under18: true };
const adultMember = { isMember: true, under18: false };
const staff = { isMember: false, under18: false };
const f = (category: ModerationFinding['category'], severity: ModerationFinding['severity']) => ({
  category,
  severity,
});

describe('decideModeration with the default policy', () => {
  it('publishes text with no findings and shows nothing extra', () => {
    expect(decideModeration([], member, policy)).toEqual({
      action: 'publish',
      opensCases: [],
      explanation: null,
      showHelplines: false,
    });
  });

  it('publishes and flags a medium finding', () => {
    expect(decideModeration([f('bullying_threats', 'medium')], member, policy).action).toBe(
      'publish_and_flag',
    );
  });

  it("holds a member's high-risk words and shows them the helplines at once", () => {
    const decision = decideModeration([f('suicide_self_harm', 'high')], member, policy);
    expect(decision).toEqual({
      action: 'hold',
      opensCases: [f('suicide_self_harm', 'high')],
      explanation:
        'Thanks for writing. A member of our team will read this before anyone else sees it.',
      showHelplines: true,
    });
    expect(
      decideModeration([f('abuse_neglect', 'critical')], adultMember, policy).showHelplines,
    ).toBe(true);
  });

  it('does not show helplines for staff, or for risk that is not about the writer', () => {
    expect(
      decideModeration([f('suicide_self_harm', 'critical')], staff, policy).showHelplines,
    ).toBe(false);
    // Threatening someone else is held, but the writer is not the one at risk.
    const threat = decideModeration([f('bullying_threats', 'high')], member, policy);
    expect(threat.action).toBe('hold');
    expect(threat.showHelplines).toBe(false);
  });

  it('blocks personal details from a member under 18 and says why; others are flagged', () => {
    const young = decideModeration([f('personal_details', 'medium')], member, policy);
    expect(young.action).toBe('block');
    expect(young.explanation).toMatch(/don't share contact details/);
    expect(decideModeration([f('personal_details', 'medium')], adultMember, policy).action).toBe(
      'publish_and_flag',
    );
    expect(decideModeration([f('personal_details', 'medium')], staff, policy).action).toBe(
      'publish_and_flag',
    );
  });

  it('takes the most restrictive action over all findings, helplines included', () => {
    const decision = decideModeration(
      [
        f('offensive_language', 'low'),
        f('personal_details', 'medium'),
        f('suicide_self_harm', 'high'),
      ],
      member,
      policy,
    );
    expect(decision.action).toBe('block');
    expect(decision.showHelplines).toBe(true);
  });
});

describe('opening safeguarding cases', () => {
  it('opens a case for each finding at or above the case severity, whoever wrote it', () => {
    const findings = [
      { ...f('offensive_language', 'low'), ruleId: 'a' },
      { ...f('suicide_self_harm', 'high'), ruleId: 'b' },
      { ...f('bullying_threats', 'medium'), ruleId: 'c' },
      { ...f('sexual_exploitation_grooming', 'critical'), ruleId: 'd' },
    ];
    for (const writer of [member, adultMember, staff]) {
      expect(decideModeration(findings, writer, policy).opensCases.map((x) => x.ruleId)).toEqual([
        'b',
        'd',
      ]);
    }
    const early = moderationPolicySchema.parse({ caseSeverity: 'medium' });
    expect(decideModeration(findings, staff, early).opensCases.map((x) => x.ruleId)).toEqual([
      'b',
      'c',
      'd',
    ]);
    // A case opens even when the text is published, and even when it is blocked.
    const published = moderationPolicySchema.parse({ bySeverity: { critical: 'publish' } });
    const kept = decideModeration([f('suicide_self_harm', 'critical')], member, published);
    expect(kept.action).toBe('publish');
    expect(kept.opensCases).toHaveLength(1);
  });
});

describe('a tenant policy', () => {
  it('can change actions by severity, add rules and lower the crisis threshold', () => {
    const strict = moderationPolicySchema.parse({
      bySeverity: { low: 'publish_and_flag' },
      rules: [
        {
          category: 'offensive_language',
          minSeverity: 'low',
          action: 'hold',
          explanation: 'Please keep it kind.',
        },
      ],
      crisisSeverity: 'medium',
    });
    expect(strict.bySeverity).toEqual({
      info: 'publish',
      low: 'publish_and_flag',
      medium: 'publish_and_flag',
      high: 'hold',
      critical: 'hold',
    });
    expect(decideModeration([f('offensive_language', 'low')], staff, strict)).toEqual({
      action: 'hold',
      opensCases: [],
      explanation: 'Please keep it kind.',
      showHelplines: false,
    });
    expect(decideModeration([f('bullying_threats', 'low')], staff, strict).action).toBe(
      'publish_and_flag',
    );
    expect(decideModeration([f('suicide_self_harm', 'medium')], member, strict).showHelplines).toBe(
      true,
    );
    // A tenant that replaces the rules loses the default under-18 block, as it asked.
    expect(decideModeration([f('personal_details', 'medium')], member, strict).action).toBe(
      'publish_and_flag',
    );
  });

  it('refuses unknown actions, categories and keys with clear messages', () => {
    const bad = moderationPolicySchema.safeParse({
      bySeverity: { high: 'delete' },
      rules: [{ category: 'spam', action: 'hold' }],
      shadowBan: true,
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain(
      'bySeverity.high: Must be one of publish, publish_and_flag, hold, block',
    );
    expect(
      messages.some((m) => m.startsWith('rules.0.category: Must be one of suicide_self_harm')),
    ).toBe(true);
    expect(messages.some((m) => m.includes('shadowBan'))).toBe(true);
  });

  it('gives every parse its own default rules', () => {
    const first = moderationPolicySchema.parse({});
    first.rules.pop();
    expect(moderationPolicySchema.parse({}).rules).toHaveLength(1);
  });
});
