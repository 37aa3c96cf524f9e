export {
  displayNameSchema,
  emailSchema,
  passwordSchema,
  usernameSchema,
} from './identity/fields.js';
export {
  type AgeBand,
  ageBandSchema,
  ageBands,
  isUnder18,
  type Role,
  roleSchema,
  roles,
  type StaffRole,
  staffRoleSchema,
  staffRoles,
} from './identity/roles.js';
export {
  availabilitySchema,
  maxAvailabilitySlots,
  overlapMinutes,
  timeOfDaySchema,
  type Weekday,
  type WeeklySlot,
  weekdays,
  weeklyMinutes,
  weeklySlotSchema,
} from './mentoring/availability.js';
export {
  type Eligibility,
  type EligibilityOptions,
  type EligibilityProblem,
  type EligibilityProblemCode,
  eligibilityProblemCodes,
  eligibleUntil,
  mentorEligibility,
} from './mentoring/eligibility.js';
export {
  defaultMatchWeights,
  type ExcludedMentor,
  type ExclusionCode,
  type ExclusionReason,
  type MatchFactor,
  type MatchWeights,
  type MentorCandidate,
  type MentorRanking,
  type MentorRequest,
  type MentorRequestInput,
  matchFactors,
  matchWeightsSchema,
  mentorRequestSchema,
  type RankedMentor,
  type RankMentorsOptions,
  rankMentors,
  type ScoreReason,
} from './mentoring/matching.js';
export {
  type BackgroundCheckStatus,
  backgroundCheckStatuses,
  type MentorProfile,
  type MentorProfileInput,
  type MentorVetting,
  mentoringTagSchema,
  mentorProfileSchema,
  mentorVettingSchema,
} from './mentoring/profile.js';
export {
  isQuietTime,
  type QuietHours,
  quietHoursEnd,
  quietHoursSchema,
} from './mentoring/quiet-hours.js';
export {
  allowedRelationshipEvents,
  type CloseReason,
  closeReasons,
  type RelationshipEvent,
  type RelationshipEventType,
  type RelationshipState,
  type RelationshipStatus,
  relationshipEventSchema,
  relationshipEventTypes,
  relationshipStatuses,
  relationshipTransitions,
  type TransitionError,
  type TransitionErrorCode,
  type TransitionResult,
  transitionRelationship,
} from './mentoring/relationship.js';
export {
  type MatchingMode,
  type MentoringSettings,
  type MentoringSettingsInput,
  matchingModes,
  mentoringSettingsSchema,
} from './mentoring/settings.js';
export { dateInTimeZone } from './mentoring/zoned-time.js';
export { type HearthAction, hearthPolicy } from './policy/hearth-policy.js';
export {
  type ActionOf,
  type Actor,
  type Alternative,
  type Condition,
  can,
  type Decision,
  definePolicy,
  type EvaluateOptions,
  evaluate,
  mergePolicies,
  type Policy,
  type PolicyContext,
  type Rule,
} from './policy/policy.js';
export { defaultEnglishRiskRules } from './safeguarding/default-rules.en.js';
export {
  type AssessOptions,
  createRiskEngine,
  type RiskAssessment,
  type RiskEngine,
  type RiskEngineStats,
  type RiskMatch,
} from './safeguarding/engine.js';
export {
  acknowledgeDeadline,
  defaultEscalationLadder,
  type EscalationStep,
  escalationLadderSchema,
  escalationStepSchema,
  rolesAtStep,
} from './safeguarding/escalation.js';
export {
  decideModeration,
  defaultModerationRules,
  type ModerationAction,
  type ModerationDecision,
  type ModerationFinding,
  type ModerationPolicy,
  type ModerationRule,
  moderationActions,
  moderationPolicySchema,
  moderationRuleSchema,
} from './safeguarding/moderation.js';
export { type NormalizedText, normalizeForMatching } from './safeguarding/normalize.js';
export { expandPhrase } from './safeguarding/phrases.js';
export {
  buildRuleSet,
  type RiskCategory,
  type RiskDetector,
  type RiskRule,
  type RiskRuleInput,
  type RiskRuleOverrides,
  type RiskRuleSet,
  type RiskSeverity,
  riskCategories,
  riskDetectors,
  riskRuleOverridesSchema,
  riskRuleSchema,
  riskSeverities,
  severityRank,
} from './safeguarding/rules.js';
export { httpsUrlSchema, phoneNumberSchema } from './tenancy/addresses.js';
export {
  type Branding,
  type BrandingInput,
  brandingSchema,
  brandingToCssVariables,
  cssVariablesToStyleText,
  defaultFontFamily,
} from './tenancy/branding.js';
export {
  type CapabilityId,
  capabilityIdSchema,
  capabilityIds,
  getSetting,
  type Helpline,
  parseTenantConfig,
  type SafeguardingContact,
  type TenantConfig,
  type TenantConfigInput,
  tenantConfigSchema,
} from './tenancy/config.js';
export {
  defaultTerminology,
  type Term,
  type TermKey,
  type TermOptions,
  term,
  termKeys,
} from './tenancy/terms.js';
export { countCharacters, type SafeTextOptions, safeText } from './text.js';
