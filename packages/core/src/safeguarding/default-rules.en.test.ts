import { afterAll, describe, expect, it } from 'vitest';
import { ordinaryMessages } from './corpus/ordinary.en.js';
import { riskyMessages } from './corpus/risky.en.js';
import { defaultEnglishRiskRules } from './default-rules.en.js';
import { createRiskEngine } from './engine.js';
import { buildRuleSet, type RiskSeverity, riskSeverities, severityRank } from './rules.js';

const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules));
const medium = severityRank('medium');

const flaggedAt = (text: string): RiskSeverity | null => engine.assess(text).maxSeverity;

describe('default English rules on the ordinary corpus', () => {
  it('has at least 300 distinct ordinary messages', () => {
    expect(new Set(ordinaryMessages).size).toBe(ordinaryMessages.length);
    expect(ordinaryMessages.length).toBeGreaterThanOrEqual(300);
  });

  it('flags none of them at medium or above', () => {
    const flagged = ordinaryMessages
      .map((text) => ({ text, result: engine.assess(text) }))
      .filter(({ result }) => result.maxSeverity && severityRank(result.maxSeverity) >= medium)
      .map(({ text, result }) => `${text} → ${result.matches.map((m) => m.ruleId).join(', ')}`);
    expect(flagged).toEqual([]);
  });
});

describe('default English rules on the risky corpus', () => {
  it('has at least 200 risky messages', () => {
    expect(riskyMessages.length).toBeGreaterThanOrEqual(200);
  });

  it.each(
    riskyMessages.map((message) => [message.text, message] as const),
  )('flags %j', (_, message) => {
    const { matches } = engine.assess(message.text);
    const expected = matches.filter(
      (m) =>
        m.category === message.category &&
        severityRank(m.severity) >= severityRank(message.severity),
    );
    expect(
      expected.map((m) => m.ruleId),
      `${message.category} at ${message.severity} or above; found ${JSON.stringify(
        matches.map((m) => [m.ruleId, m.severity, m.excerpt]),
      )}`,
    ).not.toEqual([]);
    for (const match of matches) {
      expect(message.text.slice(match.span.start, match.span.end)).toBe(match.excerpt);
    }
    if (message.excerpt !== undefined) {
      expect(expected.map((m) => m.excerpt)).toContain(message.excerpt);
    }
  });
});

// Precision and recall, printed for the report. Risky messages are the positives, ordinary
// ones the negatives; a message counts as flagged at a threshold when its highest severity
// reaches it.
afterAll(() => {
  const ordinaryBySeverity = new Map<string, number>();
  for (const text of ordinaryMessages) {
    const severity = flaggedAt(text) ?? 'none';
    ordinaryBySeverity.set(severity, (ordinaryBySeverity.get(severity) ?? 0) + 1);
  }
  const detected = riskyMessages.filter((message) =>
    engine
      .assess(message.text)
      .matches.some(
        (m) =>
          m.category === message.category &&
          severityRank(m.severity) >= severityRank(message.severity),
      ),
  ).length;
  const lines = [
    `risk engine corpus: ${ordinaryMessages.length} ordinary, ${riskyMessages.length} risky messages`,
    `  ordinary flagged by highest severity: ${['none', ...riskSeverities]
      .map((severity) => `${severity} ${ordinaryBySeverity.get(severity) ?? 0}`)
      .join(', ')}`,
    `  risky flagged with the expected category and severity: ${detected}/${riskyMessages.length} (recall ${(
      (100 * detected) / riskyMessages.length
    ).toFixed(1)}%)`,
  ];
  for (const threshold of ['low', 'medium'] as const) {
    const rank = severityRank(threshold);
    const isFlagged = (text: string) => {
      const severity = flaggedAt(text);
      return severity !== null && severityRank(severity) >= rank;
    };
    const positives = riskyMessages.filter((m) => severityRank(m.severity) >= rank);
    const truePositives = positives.filter((m) => isFlagged(m.text)).length;
    const falsePositives = ordinaryMessages.filter(isFlagged).length;
    const precision = truePositives / (truePositives + falsePositives);
    lines.push(
      `  at ${threshold} or above: precision ${(100 * precision).toFixed(1)}% (${falsePositives} ordinary flagged), recall ${(
        (100 * truePositives) / positives.length
      ).toFixed(1)}% of ${positives.length} risky messages graded ${threshold} or above`,
    );
  }
  console.log(lines.join('\n'));
});
