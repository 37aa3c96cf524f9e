import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTerm } from '../context.js';
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
