import { z } from 'zod';
import { safeText } from '../text.js';
import {
  type RiskCategory,
  type RiskSeverity,
  riskCategories,
  riskSeverities,
  severityRank,
} from './rules.js';

/**
 * What happens to a piece of user text, from least to most restrictive:
 * - `publish`: others see it at once;
 * - `publish_and_flag`: others see it, and it goes to the moderation queue;
 * - `hold`: nobody else sees it until a moderator releases it;
 * - `block`: it is refused, and the writer is told why, kindly.
 */
export const moderationActions = ['publish', 'publish_and_flag', 'hold', 'block'] as const;
export type ModerationAction = (typeof moderationActions)[number];

const actionSchema = z.enum(moderationActions, {
  error: `Must be one of ${moderationActions.join(', ')}`,
});
const severitySchema = z.enum(riskSeverities, {
  error: `Must be one of ${riskSeverities.join(', ')}`,
});
const categorySchema = z.enum(riskCategories, {
  error: `Must be one of ${riskCategories.join(', ')}`,
});

/**
 * A rule that decides more precisely than severity alone. The first rule that matches a
 * finding applies to it.
 */
export const moderationRuleSchema = z.strictObject({
  /** Only findings in this category. */
  category: categorySchema.optional(),
  /** Only findings at or above this severity. */
  minSeverity: severitySchema.optional(),
  /** Only when the writer is a member under 18. */
  under18: z.boolean().optional(),
  action: actionSchema,
  /** Shown to the writer when their text is blocked or held: plain, kind words. */
  explanation: safeText({ max: 300 }).optional(),
});
export type ModerationRule = z.output<typeof moderationRuleSchema>;

const defaultBySeverity: Record<RiskSeverity, ModerationAction> = {
  info: 'publish',
  low: 'publish',
  medium: 'publish_and_flag',
  high: 'hold',
  critical: 'hold',
};

export const defaultModerationRules: ModerationRule[] = [
  {
    category: 'personal_details',
    under18: true,
    action: 'block',
    explanation:
      "To keep you safe, please don't share contact details here — like phone numbers, addresses, your school or social media names.",
  },
];

/** A tenant's moderation policy: an action per severity, refined by rules. */
export const moderationPolicySchema = z.strictObject({
  /** @default { info: 'publish', low: 'publish', medium: 'publish_and_flag', high: 'hold', critical: 'hold' } */
  bySeverity: z
    .strictObject({
      info: actionSchema.default(defaultBySeverity.info),
      low: actionSchema.default(defaultBySeverity.low),
      medium: actionSchema.default(defaultBySeverity.medium),
      high: actionSchema.default(defaultBySeverity.high),
      critical: actionSchema.default(defaultBySeverity.critical),
    })
    .prefault({}),
  /** @default a member under 18 sharing personal details is blocked and told why */
  rules: z
    .array(moderationRuleSchema)
    .max(100)
    .default(() => defaultModerationRules.map((rule) => ({ ...rule }))),
  /**
   * From this severity on, a member whose own words show risk in a crisis category sees the
   * tenant's helplines in the answer to that very action, whatever else happens.
   * @default 'high'
   */
  crisisSeverity: severitySchema.default('high'),
  /**
   * From this severity on, a finding in anyone's words opens a safeguarding case — one per
   * piece of text and rule, however often the text is processed.
   * @default 'high'
   */
  caseSeverity: severitySchema.default('high'),
});
export type ModerationPolicy = z.output<typeof moderationPolicySchema>;

/** The categories where a member's own words are about their own safety. */
const crisisCategories: readonly RiskCategory[] = [
  'suicide_self_harm',
  'abuse_neglect',
  'sexual_exploitation_grooming',
];

export interface ModerationFinding {
  category: RiskCategory;
  severity: RiskSeverity;
}

export interface ModerationDecision<F extends ModerationFinding = ModerationFinding> {
  action: ModerationAction;
  /** The findings severe enough to open a safeguarding case, in the order given. */
  opensCases: F[];
  /** For the writer, when the action is `block` or `hold`. */
  explanation: string | null;
  /** Show the tenant's helplines to the writer now. */
  showHelplines: boolean;
}

const strictness = (action: ModerationAction) => moderationActions.indexOf(action);

const DEFAULT_HOLD_EXPLANATION =
  'Thanks for writing. A member of our team will read this before anyone else sees it.';

/**
 * Decides what to do with a piece of text from the findings of the risk engine. The most
 * restrictive action over all findings wins. Pure: the same inputs always give the same answer.
 */
export function decideModeration<F extends ModerationFinding>(
  findings: readonly F[],
  writer: { isMember: boolean; under18: boolean },
  policy: ModerationPolicy,
): ModerationDecision<F> {
  let action: ModerationAction = 'publish';
  let explanation: string | null = null;
  let showHelplines = false;
  for (const finding of findings) {
    const rule = policy.rules.find(
      (r) =>
        (r.category === undefined || r.category === finding.category) &&
        (r.minSeverity === undefined ||
          severityRank(finding.severity) >= severityRank(r.minSeverity)) &&
        (r.under18 === undefined || r.under18 === (writer.isMember && writer.under18)),
    );
    const chosen = rule?.action ?? policy.bySeverity[finding.severity];
    if (strictness(chosen) > strictness(action)) {
      action = chosen;
      explanation = rule?.explanation ?? null;
    }
    if (
      writer.isMember &&
      crisisCategories.includes(finding.category) &&
      severityRank(finding.severity) >= severityRank(policy.crisisSeverity)
    ) {
      showHelplines = true;
    }
  }
  if (action === 'hold' && explanation === null) explanation = DEFAULT_HOLD_EXPLANATION;
  if (action === 'block' && explanation === null) {
    explanation = "This message can't be sent as it is. Please change it and try again.";
  }
  const caseRank = severityRank(policy.caseSeverity);
  return {
    action,
    opensCases: findings.filter((finding) => severityRank(finding.severity) >= caseRank),
    explanation: action === 'block' || action === 'hold' ? explanation : null,
    showHelplines,
  };
}
