/**
 * `@hearth/ui`: React components for a Hearth support service. Wrap your app in
 * `<HearthProvider client={createHearthClient({ url: '/trpc' })}>`, import
 * `@hearth/ui/styles.css` once, and compose the screens you need. Every colour, radius and font
 * comes from the organisation's branding as `--hearth-*` CSS custom properties.
 */
export {
  brandingQueryKey,
  HearthProvider,
  type HearthProviderProps,
  HearthTheme,
  type HearthThemeProps,
  type PublicBranding,
  useBranding,
  useHearthClient,
  useTerm,
} from './context.js';
export { describeError, ErrorText, FormErrorText, fieldErrorsOf } from './errors.js';
export { Field, type FieldProps } from './fields.js';
export {
  AcceptInvitationForm,
  type AcceptInvitationFormProps,
} from './identity/AcceptInvitationForm.js';
export { SignInForm, type SignInFormProps } from './identity/SignInForm.js';
export { SignUpForm, type SignUpFormProps } from './identity/SignUpForm.js';
export {
  type MentorNeeds,
  type Proposal,
  type Relationship,
  relationshipsKey,
  tagsFrom,
  useDecideMatch,
  useProposals,
  useRelationships,
  useRequestMentor,
} from './mentoring/hooks.js';
export { MatchRequests } from './mentoring/MatchRequests.js';
export { MentorDirectory, type MentorSummary, useMentors } from './mentoring/MentorDirectory.js';
export { MentorFinder, type MentorFinderProps } from './mentoring/MentorFinder.js';
export { Conversation, type ConversationProps } from './messaging/Conversation.js';
export { ConversationList, type ConversationListProps } from './messaging/ConversationList.js';
export {
  type ConversationSummary,
  conversationsKey,
  type LiveState,
  type Message,
  useConversations,
  useLiveConversation,
  useOpenDirect,
} from './messaging/hooks.js';
export { type WriterAnswer, WriterAnswerNotice } from './messaging/WriterAnswerNotice.js';
export {
  SafeLink,
  type SafeLinkProps,
  type SafeLocation,
  SafeLocationProvider,
  useSafeLocation,
} from './navigation.js';
export { hasRole, isStaff, type Me, meQueryKey, type Role, useMe } from './queries.js';
export {
  ReportButton,
  type ReportButtonProps,
  type ReportTarget,
  reportReasonLabels,
} from './safeguarding/ReportButton.js';
export { CrisisPanel, type CrisisPanelProps, type Helpline } from './safety/CrisisPanel.js';
export { MonitoredNotice } from './safety/MonitoredNotice.js';
export { QuickExit, type QuickExitProps, quickExit } from './safety/QuickExit.js';
export {
  AppShell,
  type AppShellProps,
  type NavItem,
  navFor,
  useDefaultNav,
} from './shell/AppShell.js';
export * from './staff.js';
