// Staff screens: moderation, safeguarding cases and organisation admin.
export { BrandingEditor, type BrandingEditorProps } from './admin/BrandingEditor.js';
export {
  type ConfigVersion,
  configKey,
  type InvitableRole,
  type Invitation,
  invitationsKey,
  type NewInvitation,
  type TenantConfigState,
  type TenantConfigValue,
  type UserSummary,
  useConfigHistory,
  useCreateInvitation,
  useDisableUser,
  useInvitations,
  useRevokeInvitation,
  usersKey,
  useTenantConfig,
  useUpdateConfig,
  useUsers,
} from './admin/hooks.js';
export { Invitations, type InvitationsProps } from './admin/Invitations.js';
export { UsersAdmin } from './admin/UsersAdmin.js';
export { CaseQueue, type CaseQueueProps, isOverdue } from './safeguarding/CaseQueue.js';
export { type Assignee, CaseView, type CaseViewProps } from './safeguarding/CaseView.js';
export {
  ModerationItemReview,
  type ModerationItemReviewProps,
  ModerationQueue,
  type ModerationQueueProps,
  possibleActions,
  Severity,
} from './safeguarding/ModerationQueue.js';
export {
  type CaseDetail,
  type CaseEvent,
  type CaseSummary,
  caseKey,
  casesKey,
  findingsOf,
  type ModerationActInput,
  moderationItemKey,
  moderationKey,
  type QueueFinding,
  type QueueItem,
  type QueueItemDetail,
  type QueueStatus,
  useAcknowledgeCase,
  useAddCaseNote,
  useCase,
  useCases,
  useCloseCase,
  useEscalateCase,
  useModerationAct,
  useModerationItem,
  useModerationQueue,
  usePerson,
  useRecordReferral,
  useRecordSharing,
  useRecordToldYoungPerson,
  useTriageCase,
} from './safeguarding/staff-hooks.js';
export {
  ActionDialog,
  type ActionDialogProps,
  Choice,
  type ChoiceProps,
  isConflict,
  PersonName,
} from './safeguarding/staff-parts.js';
