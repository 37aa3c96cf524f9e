import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useHearthClient, useTerm } from '../context.js';
import { ErrorText } from '../errors.js';
import { Field } from '../fields.js';
import { useMe } from '../queries.js';
import { type Relationship, useDecideMatch, useRelationships } from './hooks.js';

/**
 * For a mentor: requests from members who chose them, to accept or decline (kindly — the
 * member reads the reason). Coordinators see the requests they may decide.
 */
export function MatchRequests() {
  const t = useTerm();
  const me = useMe();
  const relationships = useRelationships();
  const waiting = (relationships.data ?? []).filter(
    (r) => r.status === 'requested' && r.member.id !== me.data?.id,
  );
  return (
    <section className="hearth-stack" aria-labelledby="hearth-requests-title">
      <h1 id="hearth-requests-title">Match requests</h1>
      {relationships.isPending ? <p aria-busy="true">Loading…</p> : null}
      {relationships.data && waiting.length === 0 ? (
        <p role="status">No {t('member', { plural: true })} are waiting for you right now.</p>
      ) : null}
      <ul className="hearth-cards">
        {waiting.map((r) => (
          <RequestCard key={r.id} relationship={r} />
        ))}
      </ul>
      <ErrorText error={relationships.error} />
    </section>
  );
}

function RequestCard({ relationship: r }: { relationship: Relationship }) {
  const t = useTerm();
  const decide = useDecideMatch();
  const [declining, setDeclining] = useState(false);
  const name = r.member.name ?? `A ${t('member')}`;
  return (
    <li className="hearth-card">
      <h2>{name}</h2>
      <p className="hearth-muted">Asked {new Date(r.requestedAt).toLocaleDateString()}</p>
      {(r.request.interests ?? []).length > 0 ? (
        <p>Enjoys: {(r.request.interests ?? []).join(', ')}</p>
      ) : null}
      {(r.request.helpWith ?? []).length > 0 ? (
        <p>Would like help with: {(r.request.helpWith ?? []).join(', ')}</p>
      ) : null}
      {r.helpText ? <blockquote className="hearth-quote">{r.helpText}</blockquote> : null}
      {declining ? (
        <Form
          className="hearth-form"
          onSubmit={(event) => {
            event.preventDefault();
            const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
            decide.mutate({
              decision: 'decline',
              relationshipId: r.id,
              expectedVersion: r.version,
              ...(reason ? { reason } : {}),
            });
          }}
        >
          <Field
            label={`Why? ${name} will read this`}
            name="reason"
            multiline
            rows={2}
            description="Be kind: for example, that you don't have room right now."
          />
          <div className="hearth-row">
            <Button
              type="submit"
              className="hearth-button hearth-button-danger"
              isPending={decide.isPending}
            >
              Decline
            </Button>
            <Button
              className="hearth-button hearth-button-quiet"
              onPress={() => setDeclining(false)}
            >
              Back
            </Button>
          </div>
        </Form>
      ) : !r.mentor ? (
        <ChooseMentor relationship={r} onDecline={() => setDeclining(true)} />
      ) : (
        <div className="hearth-row">
          <Button
            className="hearth-button hearth-button-primary"
            isPending={decide.isPending}
            onPress={() =>
              decide.mutate({
                decision: 'approve',
                relationshipId: r.id,
                expectedVersion: r.version,
              })
            }
          >
            Accept {name}
          </Button>
          <Button className="hearth-button hearth-button-quiet" onPress={() => setDeclining(true)}>
            Decline…
          </Button>
        </div>
      )}
      <ErrorText error={decide.error} />
    </li>
  );
}

/**
 * Where a coordinator makes the match: every mentor for this request, ranked with the reasons
 * for each score, and those who cannot take it with every reason why.
 */
function ChooseMentor({
  relationship: r,
  onDecline,
}: {
  relationship: Relationship;
  onDecline: () => void;
}) {
  const t = useTerm();
  const client = useHearthClient();
  const decide = useDecideMatch();
  const [chosen, setChosen] = useState<string | null>(null);
  const candidates = useQuery({
    queryKey: ['hearth', 'mentoring.match.candidates', r.id],
    queryFn: () => client.mentoring.match.candidates.query({ relationshipId: r.id }),
  });
  if (candidates.isPending) return <p aria-busy="true">Finding {t('mentor', { plural: true })}…</p>;
  if (candidates.error) return <ErrorText error={candidates.error} />;
  const { ranked, excluded } = candidates.data;
  return (
    <Form
      className="hearth-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) {
          decide.mutate({
            decision: 'approve',
            relationshipId: r.id,
            expectedVersion: r.version,
            mentorId: chosen,
          });
        }
      }}
    >
      <RadioGroup
        className="hearth-field hearth-radio-group"
        value={chosen}
        onChange={setChosen}
        isRequired
      >
        <Label>Choose their {t('mentor')}</Label>
        {ranked.length === 0 ? <p>No {t('mentor')} can take this request right now.</p> : null}
        {ranked.map((m) => (
          <Radio key={m.mentorId} value={m.mentorId}>
            {m.name ?? t('mentor', { capitalize: true })} — score {m.score}:{' '}
            {m.reasons
              .filter((reason) => reason.points > 0)
              .map((reason) => reason.detail)
              .join('; ') || 'no shared interests or goals'}
          </Radio>
        ))}
        <FieldError />
      </RadioGroup>
      {excluded.length > 0 ? (
        <details>
          <summary>
            {excluded.length} {t('mentor', { plural: excluded.length !== 1 })} left out, and why
          </summary>
          <ul>
            {excluded.map((m) => (
              <li key={m.mentorId}>
                {m.name ?? t('mentor', { capitalize: true })}:{' '}
                {m.reasons.map((reason) => reason.message).join('; ')}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="hearth-row">
        <Button
          type="submit"
          className="hearth-button hearth-button-primary"
          isPending={decide.isPending}
          isDisabled={ranked.length === 0}
        >
          Make the match
        </Button>
        <Button className="hearth-button hearth-button-quiet" onPress={onDecline}>
          Decline…
        </Button>
      </div>
      <ErrorText error={decide.error} />
    </Form>
  );
}
