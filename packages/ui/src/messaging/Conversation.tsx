import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useHearthClient } from '../context.js';
import { ErrorText, FormErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { useMe } from '../queries.js';
import { ReportButton } from '../safeguarding/ReportButton.js';
import { MonitoredNotice } from '../safety/MonitoredNotice.js';
import { type Message, useLiveConversation } from './hooks.js';
import { type WriterAnswer, WriterAnswerNotice } from './WriterAnswerNotice.js';

export interface ConversationProps {
  conversationId: string;
  /** The heading, e.g. "You and Jo". */
  title: string;
  /** Names of the people in the conversation by user id; the signed-in person is "You". */
  names?: Record<string, string>;
  /**
   * People in the conversation who can be reported as a person (not just a message), by user id
   * and name — usually the other person of a one-to-one conversation.
   */
  reportable?: { id: string; name: string }[];
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});

/**
 * A live conversation: history, new messages as they are sent, a composer, and kind words when
 * something is held for a moderator or cannot be shared. Says plainly that it is monitored.
 */
export function Conversation({
  conversationId,
  title,
  names = {},
  reportable = [],
}: ConversationProps) {
  const client = useHearthClient();
  const me = useMe();
  const live = useLiveConversation(conversationId);
  const [draft, setDraft] = useState('');
  const [answer, setAnswer] = useState<WriterAnswer | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const send = useMutation({
    mutationFn: (body: string) => client.messaging.messages.send.mutate({ conversationId, body }),
    onSuccess: (result) => {
      const { message, ...writer } = result;
      setAnswer(writer.status === 'published' && writer.helplines.length === 0 ? null : writer);
      if (message) live.addOwn(message);
      if (writer.status !== 'blocked') setDraft('');
    },
  });
  const last = live.messages.at(-1);
  const lastSeq = last?.seq;
  const markRead = useMutation({
    mutationFn: (seq: number) => client.messaging.messages.markRead.mutate({ conversationId, seq }),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: mark each newest message once
  useEffect(() => {
    if (lastSeq !== undefined && lastSeq > 0) markRead.mutate(lastSeq);
    const box = list.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [lastSeq]);

  const nameOf = (m: Message) =>
    m.authorId === me.data?.id ? 'You' : (names[m.authorId] ?? 'Them');

  return (
    <section className="hearth-conversation" aria-labelledby="hearth-conversation-title">
      <header className="hearth-conversation-header">
        <h1 id="hearth-conversation-title">{title}</h1>
        <p className="hearth-live-state" role="status">
          {live.state === 'live'
            ? 'Connected'
            : live.state === 'reconnecting'
              ? 'Reconnecting…'
              : 'Connecting…'}
        </p>
        {reportable
          .filter((person) => person.id !== me.data?.id)
          .map((person) => (
            <ReportButton
              key={person.id}
              target={{ kind: 'user', userId: person.id }}
              subject={person.name}
              label={`Report ${person.name}`}
            />
          ))}
      </header>
      <MonitoredNotice compact />
      {live.hasOlder ? (
        <Button className="hearth-button hearth-button-quiet" onPress={() => void live.loadOlder()}>
          Show earlier messages
        </Button>
      ) : null}
      <ol
        className="hearth-messages"
        ref={list}
        aria-label="Messages"
        aria-live="polite"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling list must be reachable by keyboard to scroll it
        tabIndex={0}
      >
        {live.messages.length === 0 ? (
          <li className="hearth-muted">No messages yet. Say hello!</li>
        ) : null}
        {live.messages.map((m) => {
          const mine = m.authorId === me.data?.id;
          const sent = new Date(m.sentAt);
          return (
            <li
              key={m.seq}
              className={mine ? 'hearth-message hearth-message-mine' : 'hearth-message'}
            >
              <p className="hearth-message-meta">
                <span>{nameOf(m)}</span>{' '}
                <time dateTime={m.sentAt} title={day.format(sent)}>
                  {time.format(sent)}
                </time>
              </p>
              {m.state === 'removed' || m.body === null ? (
                <p className="hearth-muted">This message was removed by a moderator.</p>
              ) : (
                <p className="hearth-message-body">{m.body}</p>
              )}
              {m.state === 'held' ? (
                <p className="hearth-message-note">
                  Only you can see this for now: our team is checking it first.
                </p>
              ) : null}
              {!mine && m.state === 'visible' ? (
                <ReportButton
                  target={{ kind: 'content', contentKind: 'messaging.message', contentId: m.id }}
                  subject={`message from ${nameOf(m)} at ${time.format(sent)}`}
                />
              ) : null}
            </li>
          );
        })}
      </ol>
      {answer ? <WriterAnswerNotice answer={answer} /> : null}
      <ErrorText error={live.error} />
      <Form
        className="hearth-composer"
        validationErrors={fieldErrorsOf(send.error)}
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) send.mutate(draft);
        }}
      >
        <Field
          label="Your message"
          name="body"
          multiline
          rows={3}
          value={draft}
          onChange={setDraft}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              if (draft.trim() && !send.isPending) send.mutate(draft);
            }
          }}
        />
        <FormErrorText error={send.error} />
        <Button
          type="submit"
          className="hearth-button hearth-button-primary"
          isPending={send.isPending}
        >
          Send
        </Button>
      </Form>
    </section>
  );
}
