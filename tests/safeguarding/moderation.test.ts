import { parseTenantConfig } from '@hearth/core';
import { moderateText, RiskEngineCache } from '@hearth/server';
import { describe, expect, test } from 'vitest';
import { tenantConfig } from '../support/platform.js';

// The hook every capability that stores user text goes through (messages, posts, shared diary
// entries, profile fields), with the real engine and default rules.
const engines = new RiskEngineCache();
const config = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
const youngMember = { isMember: true, under18: true };
const adultMember = { isMember: true, under18: false };
const mentor = { isMember: false, under18: false };

describe('moderateText', () => {
  test('ordinary words are published with nothing found', () => {
    expect(
      moderateText(engines, config, 'see you at football later, bring your boots', youngMember),
    ).toEqual({
      action: 'publish',
      explanation: null,
      helplines: [],
      maxSeverity: null,
      findings: [],
      opensCases: [],
    });
  });

  test("a member's own words of suicide are held and the helplines come back at once", () => {
    for (const text of [
      'I want to kill myself',
      'i w4nt t0 k i l l  m y s e l f',
      'honestly kms',
    ]) {
      const outcome = moderateText(engines, config, text, adultMember);
      expect(outcome.action, text).toBe('hold');
      expect(outcome.helplines, text).toEqual(config.helplines);
      expect(['high', 'critical'], text).toContain(outcome.maxSeverity);
      expect(
        outcome.findings.map((f) => f.category),
        text,
      ).toContain('suicide_self_harm');
      expect(outcome.opensCases.length, text).toBeGreaterThan(0);
      expect(
        outcome.opensCases.every((f) => f.severity === 'high' || f.severity === 'critical'),
        text,
      ).toBe(true);
    }
  });

  test('the same words from a mentor are held without helplines', () => {
    const outcome = moderateText(engines, config, 'I want to kill myself', mentor);
    expect(outcome.action).toBe('hold');
    expect(outcome.helplines).toEqual([]);
  });

  test('a member under 18 sharing a phone number is blocked and told why; an adult is flagged', () => {
    const text = 'text me on 07700 900123';
    const young = moderateText(engines, config, text, youngMember);
    expect(young.action).toBe('block');
    expect(young.explanation).toMatch(/don't share contact details/);
    expect(young.findings.map((f) => f.category)).toEqual(['personal_details']);
    expect(moderateText(engines, config, text, adultMember).action).toBe('publish_and_flag');
  });

  test("a tenant's re-graded rule changes the outcome, and tenants with the same rules share an engine", () => {
    const [finding] = moderateText(engines, config, 'I want to kill myself', adultMember).findings;
    const relaxed = parseTenantConfig(
      tenantConfig('Beta Mentoring', {
        safeguarding: { rules: { regrade: { [finding!.ruleId]: 'low' } } },
      }),
    );
    const outcome = moderateText(engines, relaxed, 'I want to kill myself', adultMember);
    expect(outcome.findings.find((f) => f.ruleId === finding!.ruleId)?.severity).toBe('low');
    expect(engines.forConfig(relaxed)).not.toBe(engines.forConfig(config));
    expect(engines.forConfig(parseTenantConfig(tenantConfig('Gamma Trust')))).toBe(
      engines.forConfig(config),
    );
  });
});
