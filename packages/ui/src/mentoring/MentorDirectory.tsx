import type { HearthOutputs } from '@hearth/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { useHearthClient, useTerm } from '../context.js';
import { ErrorText } from '../errors.js';

export type MentorSummary = HearthOutputs['mentoring']['mentors']['list'][number];

/** Mentors with their standing and caseload: all for org admins, supervisees for senior mentors. */
export function useMentors(flaggedOnly = false) {
  const client = useHearthClient();
  return useQuery({
    queryKey: ['hearth', 'mentoring.mentors.list', flaggedOnly],
    queryFn: () => client.mentoring.mentors.list.query({ flaggedOnly }),
  });
}

const checkLabels: Record<string, string> = {
  clear: 'Clear',
  pending: 'Waiting for the result',
  failed: 'Not cleared',
};

/**
 * The mentor directory for coordinators: each mentor's vetting (check, training, when they stop
 * being matchable), what they offer, their caseload and who they mentor now. Mentors who cannot
 * take new matches are flagged with the reasons, in words.
 */
export function MentorDirectory() {
  const t = useTerm();
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const mentors = useMentors(flaggedOnly);
  const list = mentors.data ?? [];
  return (
    <section className="hearth-stack" aria-labelledby="hearth-mentors-title">
      <h1 id="hearth-mentors-title">{t('mentor', { plural: true, capitalize: true })}</h1>
      <Checkbox className="hearth-checkbox" isSelected={flaggedOnly} onChange={setFlaggedOnly}>
        Only those who need attention
      </Checkbox>
      {mentors.isPending ? <p aria-busy="true">Loading…</p> : null}
      {mentors.data && list.length === 0 ? (
        <p role="status">
          {flaggedOnly
            ? `Every ${t('mentor')} can take new matches.`
            : `No ${t('mentor', { plural: true })} yet.`}
        </p>
      ) : null}
      <ul className="hearth-cards">
        {list.map((m) => (
          <li key={m.mentorId} className="hearth-card">
            <h2>{m.displayName ?? m.username}</h2>
            {m.flagged ? (
              <div className="hearth-notice hearth-notice-blocked">
                <strong>Cannot take new matches.</strong>
                <ul>
                  {[...m.vettingProblems, ...m.setupProblems].map((p) => (
                    <li key={p.code}>{p.message}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p>
                Can take new matches
                {m.eligibleUntil ? ` until ${new Date(m.eligibleUntil).toLocaleDateString()}` : ''}.
              </p>
            )}
            {m.disabled ? <p className="hearth-muted">Account disabled.</p> : null}
            <dl className="hearth-facts">
              <dt>Background check</dt>
              <dd>
                {checkLabels[m.vetting.backgroundCheck.status] ?? m.vetting.backgroundCheck.status}
                {m.vetting.backgroundCheck.expiresOn
                  ? `, valid until ${m.vetting.backgroundCheck.expiresOn}`
                  : ''}
              </dd>
              <dt>Training</dt>
              <dd>
                {m.vetting.trainingCompletedOn
                  ? `Completed ${m.vetting.trainingCompletedOn}`
                  : 'Not completed'}
              </dd>
              <dt>{t('member', { plural: true, capitalize: true })}</dt>
              <dd>
                {m.currentMentees} of {m.effectiveCapacity}
              </dd>
              {m.skills.length > 0 ? (
                <>
                  <dt>Helps with</dt>
                  <dd>{m.skills.join(', ')}</dd>
                </>
              ) : null}
              {m.languages.length > 0 ? (
                <>
                  <dt>Languages</dt>
                  <dd>{m.languages.join(', ')}</dd>
                </>
              ) : null}
            </dl>
            {m.relationships.length > 0 ? (
              <details>
                <summary>Caseload</summary>
                <ul>
                  {m.relationships.map((r) => (
                    <li key={r.id}>
                      {r.member.name} — {r.status}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorText error={mentors.error} />
    </section>
  );
}
