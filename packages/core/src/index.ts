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
  defaultTerminology,
  getSetting,
  type Helpline,
  parseTenantConfig,
  type SafeguardingContact,
  type TenantConfig,
  type TenantConfigInput,
  type Term,
  type TermKey,
  type TermOptions,
  tenantConfigSchema,
  term,
  termKeys,
} from './tenancy/config.js';
export { countCharacters, type SafeTextOptions, safeText } from './text.js';
