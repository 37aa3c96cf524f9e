export type { PasswordHashing } from './capabilities/identity/passwords.js';
export { PROFILE_ABOUT, type Profile } from './capabilities/identity/profile.js';
export { provisionUser } from './capabilities/identity/provision.js';
export { SIGN_IN_LIMITS } from './capabilities/identity/rate-limit.js';
export type {
  InvitationSummary,
  Me,
  UserSummary,
} from './capabilities/identity/service.js';
export {
  MENTORING_REQUEST,
  type RequestNeeds,
} from './capabilities/mentoring/matching.js';
export {
  type MentorProblem,
  type MentorProblemCode,
  type MentorProfileView,
  type MentorStanding,
  type SetupProblemCode,
  VETTING_LAPSE,
} from './capabilities/mentoring/profiles.js';
export {
  MATCH_REQUESTED,
  RELATIONSHIP_CHANGED,
  type RelationshipView,
} from './capabilities/mentoring/relationships.js';
export {
  MESSAGE_CONTENT,
  MESSAGE_NOTIFY,
  type MessageView,
} from './capabilities/messaging/service.js';
export { type AuditEntry, recordAudit } from './capabilities/privacy/audit.js';
export {
  CASE_ALERT,
  CASE_ASSIGNED,
  CASE_DEADLINE,
  type CaseOutcome,
  type CaseSummary,
  caseOutcomes,
  createSafeguardingHandlers,
  type OpenCase,
  openCase,
  referralAgencies,
  type SafeguardingHandlerOptions,
  sharingRecipients,
  toldMethods,
} from './capabilities/safeguarding/cases.js';
export {
  type ContentKind,
  type LoadedContent,
  type Screened,
  type ScreenInput,
  screenText,
  USER_TARGET,
  type Visibility,
  type WriterAnswer,
} from './capabilities/safeguarding/content.js';
export {
  createKeyring,
  DecryptionError,
  type EncryptionOptions,
  type FieldCipher,
  type FieldRef,
  type Keyring,
} from './capabilities/safeguarding/encryption.js';
export {
  type ModerationOutcome,
  moderateText,
  RiskEngineCache,
  type Writer,
} from './capabilities/safeguarding/moderation.js';
export {
  MODERATION_WARNING,
  type QueueAction,
  type QueueItemSummary,
  queueActions,
  type ReportReason,
  type ReportTarget,
  reportReasons,
} from './capabilities/safeguarding/queue.js';
export {
  findTenantByDomain,
  type NewTenant,
  provisionTenant,
} from './capabilities/tenancy/service.js';
export type {
  AuthedContext,
  Context,
  PlatformRuntime,
  SessionScope,
  TenantContext,
  TenantScope,
} from './context.js';
export { CommitThenFail, type FieldErrors, fieldError, notFound } from './errors.js';
export { CLIENT_HEADER, type RequestInfo } from './http/request.js';
export {
  createDispatcher,
  type Dispatcher,
  type DispatcherContext,
  type DispatcherOptions,
  type DispatchReport,
  idempotencyKeyOf,
  type OutboxEvent,
  type OutboxHandler,
  type PlannedDelivery,
  type RetryOptions,
} from './outbox/dispatcher.js';
export {
  type ConsoleEmailOptions,
  consoleEmailTransport,
  type EmailChannelOptions,
  type EmailContent,
  type EmailTransport,
  emailChannel,
  IDEMPOTENCY_HEADER,
  type OutgoingEmail,
  smtpEmailTransport,
} from './outbox/email.js';
export { enqueue, OUTBOX_NOTIFY_CHANNEL, type OutboxMessage } from './outbox/enqueue.js';
export {
  type Delivery,
  type ExternalTransport,
  type InAppTransportOptions,
  inAppTransport,
  type TransactionalTransport,
  type Transport,
} from './outbox/transports.js';
export {
  createPlatform,
  type HearthRouter,
  hearthRouter,
  listProcedureActions,
  type Platform,
  type PlatformOptions,
} from './platform.js';
export {
  createRealtimeHub,
  type LiveOptions,
  live,
  notifyChange,
  REALTIME_CHANNEL,
  type RealtimeHub,
} from './realtime/hub.js';
export {
  authedProcedure,
  createCallerFactory,
  type HearthErrorData,
  type HearthMeta,
  mergeRouters,
  router,
  tenantProcedure,
} from './trpc.js';
