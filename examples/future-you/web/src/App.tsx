import {
  AcceptInvitationForm,
  AppShell,
  BrandingEditor,
  CaseQueue,
  CaseView,
  Conversation,
  ConversationList,
  CrisisPanel,
  hasRole,
  Invitations,
  MatchRequests,
  MentorDirectory,
  MentorFinder,
  ModerationQueue,
  MonitoredNotice,
  SafeLink,
  SignInForm,
  SignUpForm,
  UsersAdmin,
  useBranding,
  useMe,
  useOpenDirect,
  useRelationships,
  useSafeLocation,
  useTerm,
} from '@hearth/ui';
import { useEffect } from 'react';

/**
 * Future You's pages, composed from @hearth/ui. Navigation never adds browser history (see
 * SafeLocationProvider), so Quick Exit leaves no way back.
 */
export function App() {
  const branding = useBranding();
  const { path } = useSafeLocation();
  useEffect(() => {
    document.title = branding.displayName;
  }, [branding.displayName]);
  return (
    <AppShell>
      <Page path={path} />
    </AppShell>
  );
}

function Page({ path }: { path: string }) {
  const me = useMe();
  if (me.isPending) return <p aria-busy="true">Loading…</p>;
  if (path === '/help') return <HelpPage />;
  if (!me.data) return path === '/join' ? <JoinPage /> : <WelcomePage />;
  const [, section, id] = path.split('/');
  switch (section) {
    case '':
      return <HomePage />;
    case 'mentors':
      return <MentorsPage />;
    case 'requests':
      return <MatchRequests />;
    case 'mentor-directory':
      return <MentorDirectory />;
    case 'conversations':
      return id ? <ConversationPage conversationId={id} /> : <ConversationsPage />;
    case 'moderation':
      return <ModerationQueue />;
    case 'cases':
      return id ? <CasePage caseId={id} /> : <CasesPage />;
    case 'admin':
      return id === 'branding' ? <BrandingEditor /> : <PeoplePage />;
    default:
      return <NotFound />;
  }
}

function WelcomePage() {
  const branding = useBranding();
  const t = useTerm();
  const { navigate } = useSafeLocation();
  return (
    <div className="hearth-stack">
      <h1>Welcome to {branding.displayName}</h1>
      <p>
        Talk to a trained {t('mentor')} who is on your side. It's free, and you choose what to
        share.
      </p>
      <MonitoredNotice />
      <div className="fy-hero">
        <div className="hearth-card">
          <SignInForm onSignedIn={() => navigate('/')} />
        </div>
        {branding.allowMemberSignUp ? (
          <div className="hearth-card hearth-stack">
            <h2>New here?</h2>
            <p>Join in a minute — no real name or email needed.</p>
            <SafeLink to="/join" className="hearth-button hearth-button-primary">
              Join {branding.shortName ?? branding.displayName}
            </SafeLink>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function JoinPage() {
  const { navigate } = useSafeLocation();
  // Staff arrive from an invitation link: /join#invitation=… (after the #, so the code never
  // reaches a server log or another site as a referrer).
  const invitation = new URLSearchParams(window.location.hash.slice(1)).get('invitation');
  if (invitation) {
    return <AcceptInvitationForm token={invitation} onAccepted={() => navigate('/')} />;
  }
  return (
    <div className="hearth-stack">
      <SignUpForm headingLevel={1} onSignedUp={() => navigate('/mentors')} />
      <p>
        Already joined? <SafeLink to="/">Sign in</SafeLink>
      </p>
    </div>
  );
}

function HelpPage() {
  return (
    <div className="hearth-stack">
      <CrisisPanel headingLevel={1} />
    </div>
  );
}

function HomePage() {
  const me = useMe();
  const t = useTerm();
  const roles = me.data!;
  const links: [string, string][] = [];
  if (hasRole(roles, 'member'))
    links.push(['/mentors', `Your ${t('mentor')}`], ['/conversations', 'Conversations']);
  if (hasRole(roles, 'mentor', 'senior_mentor'))
    links.push(['/requests', 'Match requests'], ['/conversations', 'Conversations']);
  if (hasRole(roles, 'moderator', 'safeguarding_lead'))
    links.push(['/moderation', 'Moderation queue']);
  if (hasRole(roles, 'safeguarding_lead', 'mentor', 'senior_mentor'))
    links.push(['/cases', 'Safeguarding cases']);
  if (hasRole(roles, 'org_admin'))
    links.push(
      ['/admin/users', 'People and invitations'],
      ['/admin/branding', 'Branding and words'],
    );
  const unique = [...new Map(links).entries()];
  return (
    <div className="hearth-stack">
      <h1>Hello, {me.data!.displayName ?? me.data!.username}</h1>
      <ul className="hearth-cards">
        {unique.map(([to, label]) => (
          <li key={to} className="hearth-card">
            <SafeLink to={to}>{label}</SafeLink>
          </li>
        ))}
      </ul>
      <MonitoredNotice />
    </div>
  );
}

function MentorsPage() {
  const { navigate } = useSafeLocation();
  const open = useOpenDirect();
  return (
    <MentorFinder
      onOpenConversation={(relationshipId) =>
        open.mutate(relationshipId, {
          onSuccess: ({ conversationId }) => navigate(`/conversations/${conversationId}`),
        })
      }
    />
  );
}

function ConversationsPage() {
  const { navigate } = useSafeLocation();
  const me = useMe();
  const relationships = useRelationships();
  const open = useOpenDirect();
  // A mentor's active matches without a conversation yet can be started from here.
  const active = (relationships.data ?? []).filter((r) => r.status === 'active');
  return (
    <div className="hearth-stack">
      <ConversationList onOpen={(id) => navigate(`/conversations/${id}`)} />
      {active.length > 0 ? (
        <section className="hearth-stack" aria-labelledby="fy-matches">
          <h2 id="fy-matches">Your matches</h2>
          <ul className="hearth-list">
            {active.map((r) => {
              const other = r.member.id === me.data?.id ? r.mentor : r.member;
              return (
                <li key={r.id}>
                  <button
                    type="button"
                    className="hearth-list-item"
                    onClick={() =>
                      open.mutate(r.id, {
                        onSuccess: ({ conversationId }) =>
                          navigate(`/conversations/${conversationId}`),
                      })
                    }
                  >
                    Message {other?.name ?? 'your match'}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function ConversationPage({ conversationId }: { conversationId: string }) {
  const me = useMe();
  const relationships = useRelationships();
  const names: Record<string, string> = {};
  for (const r of relationships.data ?? []) {
    if (r.member.name) names[r.member.id] = r.member.name;
    if (r.mentor?.name) names[r.mentor.id] = r.mentor.name;
  }
  const match = relationships.data?.find(
    (r) => r.status === 'active' && (r.member.id === me.data?.id || r.mentor?.id === me.data?.id),
  );
  const other = match ? (match.member.id === me.data?.id ? match.mentor : match.member) : null;
  return (
    <Conversation
      conversationId={conversationId}
      title={other?.name ? `You and ${other.name}` : 'Conversation'}
      names={names}
      reportable={other?.name ? [{ id: other.id, name: other.name }] : []}
    />
  );
}

function CasesPage() {
  const { navigate } = useSafeLocation();
  return <CaseQueue onOpen={(caseId: string) => navigate(`/cases/${caseId}`)} />;
}

function CasePage({ caseId }: { caseId: string }) {
  const { navigate } = useSafeLocation();
  return <CaseView caseId={caseId} onBack={() => navigate('/cases')} />;
}

function PeoplePage() {
  return (
    <div className="hearth-stack">
      <UsersAdmin />
      <Invitations
        invitationLink={(token) =>
          `${window.location.origin}/join#invitation=${encodeURIComponent(token)}`
        }
      />
    </div>
  );
}

function NotFound() {
  return (
    <div className="hearth-stack">
      <h1>Page not found</h1>
      <p>
        <SafeLink to="/">Go to the start</SafeLink>
      </p>
    </div>
  );
}
