import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useBranding, useTerm } from '../context.js';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { WriterAnswerNotice } from '../messaging/WriterAnswerNotice.js';
import { useMe } from '../queries.js';
import {
  type MentorNeeds,
  type Relationship,
  tagsFrom,
  useProposals,
  useRelationships,
  useRequestMentor,
} from './hooks.js';

const OPEN = new Set(['requested', 'active', 'paused']);

export interface MentorFinderProps {
  /** Called with the relationship's id when the member wants to open its conversation. */
  onOpenConversation?: (relationshipId: string) => void;
  /**
   * `member-chooses` shows mentors to pick from; `coordinator-approves` sends the request.
   * The organisation's setting by default.
   */
  matching?: 'member-chooses' | 'coordinator-approves';
}

/**
 * For a member: where they stand with a mentor, or a way to ask for one — saying what they
 * enjoy and want help with, then (where members choose) picking from mentors ranked with the
 * reasons in plain words.
 */
export function MentorFinder({ onOpenConversation, matching: chosen }: MentorFinderProps) {
  const t = useTerm();
  const branding = useBranding();
  const matching = chosen ?? branding.mentorMatching;
  const me = useMe();
  const relationships = useRelationships();
  const [needs, setNeeds] = useState<MentorNeeds | null>(null);
  const [helpText, setHelpText] = useState('');
  const proposals = useProposals(matching === 'member-chooses' ? needs : null);
  const request = useRequestMentor();

  const mine = relationships.data?.find((r) => r.member.id === me.data?.id && OPEN.has(r.status));
  // What the member is told about their own words stays in view after the request is made.
  const notice = request.data?.help ? <WriterAnswerNotice answer={request.data.help} /> : null;
  if (relationships.isPending) return <p aria-busy="true">Loading…</p>;
  if (mine) {
    return (
      <div className="hearth-stack">
        {notice}
        <MyMentor relationship={mine} onOpenConversation={onOpenConversation} />
      </div>
    );
  }

  const ask = (mentorId?: string) =>
    request.mutate({
      ...(needs ?? {}),
      ...(mentorId ? { mentorId } : {}),
      ...(helpText.trim() ? { helpText } : {}),
    });

  return (
    <section className="hearth-stack" aria-labelledby="hearth-find-title">
      <h1 id="hearth-find-title">Find a {t('mentor')}</h1>
      <p>
        A {t('mentor')} is a trained volunteer who listens and helps you work towards what matters
        to you. Tell us a little about yourself — everything is optional.
      </p>
      <Form
        className="hearth-form"
        validationErrors={fieldErrorsOf(proposals.error ?? request.error)}
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const next: MentorNeeds = {
            interests: tagsFrom(String(data.get('interests') ?? '')),
            helpWith: tagsFrom(String(data.get('helpWith') ?? '')),
          };
          if (matching === 'member-chooses') setNeeds(next);
          else request.mutate({ ...next, ...(helpText.trim() ? { helpText } : {}) });
        }}
      >
        <Field
          label="Things you enjoy"
          name="interests"
          description="Separate them with commas, like: music, gaming, football"
        />
        <Field
          label="What you'd like help with"
          name="helpWith"
          description="For example: confidence, school, friendships"
        />
        <Field
          label={`Anything you'd like your ${t('mentor')} to know (optional)`}
          name="helpText"
          multiline
          value={helpText}
          onChange={setHelpText}
        />
        <Button type="submit" className="hearth-button hearth-button-primary">
          {matching === 'member-chooses'
            ? `Show ${t('mentor', { plural: true })}`
            : `Ask for a ${t('mentor')}`}
        </Button>
      </Form>
      {notice}
      <ErrorText error={request.error} />
      {proposals.isFetching ? (
        <p aria-busy="true">Finding {t('mentor', { plural: true })}…</p>
      ) : null}
      {proposals.data ? (
        proposals.data.proposals.length === 0 ? (
          <p role="status">
            No {t('mentor')} can take you on right now. Please try again in a few days — we'll keep
            looking.
          </p>
        ) : (
          <ul className="hearth-cards" aria-label={`Suggested ${t('mentor', { plural: true })}`}>
            {proposals.data.proposals.map((p) => (
              <li key={p.mentorId} className="hearth-card">
                <h2>{p.name ?? `A ${t('mentor')}`}</h2>
                <ul className="hearth-reasons">
                  {p.reasons
                    .filter((reason) => reason.points > 0)
                    .map((reason) => (
                      <li key={reason.factor}>{reason.detail}</li>
                    ))}
                </ul>
                <Button
                  className="hearth-button hearth-button-primary"
                  onPress={() => ask(p.mentorId)}
                  isPending={request.isPending}
                >
                  Ask {p.name ?? `this ${t('mentor')}`}
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <ErrorText error={proposals.error} />
      )}
    </section>
  );
}

function MyMentor({
  relationship,
  onOpenConversation,
}: {
  relationship: Relationship;
  onOpenConversation?: ((relationshipId: string) => void) | undefined;
}) {
  const t = useTerm();
  const name = relationship.mentor?.name ?? `your ${t('mentor')}`;
  return (
    <section className="hearth-card" aria-labelledby="hearth-my-mentor">
      <h1 id="hearth-my-mentor">Your {t('mentor')}</h1>
      {relationship.status === 'requested' ? (
        <p role="status">
          You've asked {relationship.mentor ? name : `for a ${t('mentor')}`}. We'll let you know
          here as soon as they reply.
        </p>
      ) : relationship.status === 'paused' ? (
        <p>Your time with {name} is paused for now.</p>
      ) : (
        <>
          <p>
            You're matched with <strong>{name}</strong>.
          </p>
          {onOpenConversation ? (
            <Button
              className="hearth-button hearth-button-primary"
              onPress={() => onOpenConversation(relationship.id)}
            >
              Message {name}
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}
