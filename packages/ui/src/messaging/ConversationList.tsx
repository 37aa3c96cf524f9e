import { useTerm } from '../context.js';
import { ErrorText } from '../errors.js';
import { useRelationships } from '../mentoring/hooks.js';
import { useMe } from '../queries.js';
import { useConversations } from './hooks.js';

export interface ConversationListProps {
  /** Called when a conversation is chosen. */
  onOpen: (conversationId: string) => void;
}

/** The signed-in person's conversations, each named after the other person, with unread counts. */
export function ConversationList({ onOpen }: ConversationListProps) {
  const t = useTerm();
  const me = useMe();
  const conversations = useConversations();
  const relationships = useRelationships();
  const titleOf = (c: NonNullable<typeof conversations.data>[number]) => {
    if (c.title) return c.title;
    const r = relationships.data?.find((rel) => rel.id === c.relationshipId);
    if (!r) return 'Conversation';
    const other = r.member.id === me.data?.id ? r.mentor : r.member;
    return `You and ${other?.name ?? (r.member.id === me.data?.id ? `your ${t('mentor')}` : `your ${t('member')}`)}`;
  };
  return (
    <section className="hearth-stack" aria-labelledby="hearth-conversations-title">
      <h1 id="hearth-conversations-title">Conversations</h1>
      {conversations.isPending ? <p aria-busy="true">Loading…</p> : null}
      {conversations.data?.length === 0 ? <p>No conversations yet.</p> : null}
      <ul className="hearth-list">
        {conversations.data?.map((c) => (
          <li key={c.id}>
            <button type="button" className="hearth-list-item" onClick={() => onOpen(c.id)}>
              <span>{titleOf(c)}</span>
              {c.unread ? <span className="hearth-badge">New messages</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <ErrorText error={conversations.error} />
    </section>
  );
}
