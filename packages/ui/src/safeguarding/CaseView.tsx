import { getErrorCode } from '@hearth/client';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button, Label, Radio, RadioGroup } from 'react-aria-components';
import { useTerm } from '../context.js';
import { ErrorText } from '../errors.js';
import { Field } from '../fields.js';
import { isStaff, useMe } from '../queries.js';
import { isOverdue } from './CaseQueue.js';
import { caseRights } from './case-rights.js';
import { Severity } from './ModerationQueue.js';
import {
  type CaseDetail,
  type CaseEvent,
  useAcknowledgeCase,
  useAddCaseNote,
  useCase,
  useCloseCase,
  useEscalateCase,
  useRecordReferral,
  useRecordSharing,
  useRecordToldYoungPerson,
  useTriageCase,
} from './staff-hooks.js';
import {
  caseOutcomeLabels,
  caseSourceLabels,
  caseStatusLabels,
  categoryLabels,
  labelOf,
  referralAgencyLabels,
  severityLabels,
  sharingRecipientLabels,
  toldMethodLabels,
} from './staff-labels.js';
import {
  ActionDialog,
  Choice,
  formatOverdue,
  formatRelative,
  formatWhen,
  PersonName,
  textOf,
  useNow,
} from './staff-parts.js';

/** Someone a lead may assign a case to, for the triage form. */
export interface Assignee {
  id: string;
  name: string;
}

export interface CaseViewProps {
  caseId: string;
  /** Back to wherever the case was opened from. */
  onBack?: () => void;
  /**
   * Staff and mentors a lead may assign the case to. Hearth's API gives leads no list of staff,
   * so the triage form offers only "me", "nobody", the current assignee and whoever raised the
   * case unless the app passes people here.
   */
  assignees?: Assignee[];
}

/**
 * One safeguarding case for a lead or its assignee: what it is about, where it is on the
 * ladder, everything that happened to it, and the actions this person may take. Someone who was
 * alerted at the case's step but may not read it can still say they are on it.
 */
export function CaseView({ caseId, onBack, assignees }: CaseViewProps) {
  const me = useMe();
  const found = useCase(caseId);
  const [said, setSaid] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus the heading for each new case
  useEffect(() => {
    heading.current?.focus();
  }, [caseId]);
  const c = found.data;
  const hidden = !c && getErrorCode(found.error) === 'NOT_FOUND';

  return (
    <section className="hearth-stack" aria-labelledby="hearth-case-title">
      {onBack ? (
        <Button className="hearth-button hearth-button-quiet" onPress={onBack}>
          ← Back to cases
        </Button>
      ) : null}
      <h1 id="hearth-case-title" ref={heading} tabIndex={-1}>
        {c ? `Case: ${labelOf(categoryLabels, c.category)}` : 'Safeguarding case'}
      </h1>
      {found.isPending ? <p aria-busy="true">Loading…</p> : null}
      {hidden ? (
        isStaff(me.data ?? undefined) ? (
          <AlertedOnly caseId={caseId} onTakenOn={() => found.refetch()} />
        ) : (
          <p>This case can't be found, or it isn't one you can see.</p>
        )
      ) : (
        <ErrorText error={c ? null : found.error} />
      )}
      {said ? (
        <p className="hearth-notice" role="status">
          {said}
        </p>
      ) : null}
      {c ? (
        <>
          <CaseFacts c={c} />
          <CaseActions
            c={c}
            assignees={assignees ?? []}
            onDone={setSaid}
            onReload={() => {
              setSaid(null);
              found.refetch();
            }}
          />
          <Timeline c={c} />
        </>
      ) : null}
    </section>
  );
}

/**
 * For someone alerted at the case's step who may not read it yet: acknowledging takes it on
 * (when nobody has it), after which they can read it.
 */
function AlertedOnly({ caseId, onTakenOn }: { caseId: string; onTakenOn: () => void }) {
  const acknowledge = useAcknowledgeCase();
  const refused = getErrorCode(acknowledge.error) === 'NOT_FOUND';
  if (acknowledge.isSuccess) {
    return (
      <p role="status">
        Thank you — the case is marked as picked up, so it stops moving up by itself. Someone else
        is already looking after it, so you can't read it; your safeguarding lead can assign it to
        you if you need to.
      </p>
    );
  }
  if (refused) {
    return (
      <p role="status">
        This case doesn't need you: someone else has it, or it has moved on. If you are still
        worried, raise a new concern or talk to your safeguarding lead.
      </p>
    );
  }
  return (
    <div className="hearth-card hearth-stack">
      <p>
        You can't read this case yet. If you were alerted about it, tell the team you're on it: the
        case stops moving up the ladder and, if nobody has it yet, it becomes yours to read.
      </p>
      <Button
        className="hearth-button hearth-button-primary"
        isPending={acknowledge.isPending}
        onPress={() => acknowledge.mutate({ caseId }, { onSuccess: onTakenOn })}
      >
        I'm on it
      </Button>
      <ErrorText error={acknowledge.error} />
    </div>
  );
}

function CaseFacts({ c }: { c: CaseDetail }) {
  const now = useNow();
  const late = isOverdue(c, now);
  return (
    <dl className="hearth-facts">
      <dt>Severity</dt>
      <dd>
        <Severity severity={c.severity} />
      </dd>
      <dt>Status</dt>
      <dd>
        {labelOf(caseStatusLabels, c.status)}
        {c.outcome ? ` — ${labelOf(caseOutcomeLabels, c.outcome)}` : ''}
      </dd>
      <dt>Step</dt>
      <dd>{c.stepName}</dd>
      {c.deadlineAt ? (
        <>
          <dt>Deadline</dt>
          <dd className={late ? 'hearth-overdue' : undefined}>
            <time dateTime={c.deadlineAt}>
              {late ? (
                <strong className="hearth-overdue-label">
                  Overdue by {formatOverdue(c.deadlineAt, now)}
                </strong>
              ) : (
                formatRelative(c.deadlineAt, now)
              )}{' '}
              ({formatWhen(c.deadlineAt)})
            </time>
            {late
              ? '. It moves up to the next step by itself, unless someone picks it up first.'
              : '. If nobody picks it up by then, it moves up by itself.'}
          </dd>
        </>
      ) : null}
      <dt>About</dt>
      <dd>
        <PersonName userId={c.subjectUserId} nobody="Not known" />
      </dd>
      <dt>Assigned to</dt>
      <dd>
        <PersonName userId={c.assigneeId} nobody="Nobody yet" />
      </dd>
      <dt>Opened</dt>
      <dd>
        {formatWhen(c.openedAt)}, from {labelOf(caseSourceLabels, c.sourceKind)}
        {c.raisedBy ? (
          <>
            {' '}
            (raised by <PersonName userId={c.raisedBy} />)
          </>
        ) : null}
      </dd>
      {c.acknowledgedAt ? (
        <>
          <dt>Picked up</dt>
          <dd>{formatWhen(c.acknowledgedAt)}</dd>
        </>
      ) : null}
      {c.closedAt ? (
        <>
          <dt>Closed</dt>
          <dd>{formatWhen(c.closedAt)}</dd>
        </>
      ) : null}
    </dl>
  );
}

interface ActionProps {
  c: CaseDetail;
  onDone: (message: string) => void;
  onReload: () => void;
}

/** The actions the signed-in person may take on this case now, by Hearth's policy and its state. */
function CaseActions({ c, assignees, onDone, onReload }: ActionProps & { assignees: Assignee[] }) {
  const t = useTerm();
  const me = useMe();
  const rights = caseRights(me.data, c);
  const closed = c.status === 'closed';
  const props = { c, onDone, onReload };
  const toldRecorded = c.timeline.some((e) => e.kind === 'told_young_person');
  const actions: ReactNode[] = [];
  if (c.status === 'open' && rights.acknowledge) {
    actions.push(<Acknowledge key="acknowledge" {...props} />);
  }
  if (rights.addNote) actions.push(<AddNote key="note" {...props} />);
  if (!closed && rights.triage) {
    actions.push(<Triage key="triage" {...props} me={me.data?.id ?? null} assignees={assignees} />);
  }
  if (!closed && rights.escalate) {
    actions.push(<Escalate key="escalate" {...props} />);
  }
  if (rights.recordToldYoungPerson) {
    actions.push(<RecordTold key="told" {...props} />);
  }
  if (rights.recordSharing) actions.push(<RecordSharing key="share" {...props} />);
  if (rights.recordReferral && toldRecorded) {
    actions.push(<RecordReferral key="refer" {...props} />);
  }
  if (!closed && rights.close) actions.push(<Close key="close" {...props} />);

  return (
    <section className="hearth-stack" aria-labelledby="hearth-case-actions">
      <h2 id="hearth-case-actions">What you can do</h2>
      {actions.length > 0 ? (
        <div className="hearth-row">{actions}</div>
      ) : (
        <p>There is nothing you can change on this case.</p>
      )}
      {rights.recordReferral && !toldRecorded ? (
        <p className="hearth-muted">
          Before recording a referral, record whether the {t('member')} was told about it — or why
          not.
        </p>
      ) : null}
      {closed ? (
        <p className="hearth-muted">
          This case is closed. You can still add notes and records to it.
        </p>
      ) : null}
    </section>
  );
}

function Acknowledge({ c, onDone, onReload }: ActionProps) {
  const acknowledge = useAcknowledgeCase();
  return (
    <>
      <Button
        className="hearth-button hearth-button-primary"
        isPending={acknowledge.isPending}
        onPress={() =>
          acknowledge.mutate(
            { caseId: c.id },
            {
              onSuccess: () =>
                onDone('You have picked this case up. It stops moving up by itself.'),
            },
          )
        }
      >
        I'm on it
      </Button>
      {acknowledge.error ? <ErrorText error={acknowledge.error} /> : null}
      {getErrorCode(acknowledge.error) === 'NOT_FOUND' ? (
        <Button className="hearth-button hearth-button-quiet" onPress={onReload}>
          Reload
        </Button>
      ) : null}
    </>
  );
}

function AddNote({ c, onDone, onReload }: ActionProps) {
  const m = useAddCaseNote();
  return (
    <ActionDialog
      label="Add a note"
      title="Add a note"
      submitLabel="Add note"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) =>
        m.mutate(
          { caseId: c.id, note: textOf(data, 'note') ?? '' },
          {
            onSuccess: () => {
              close();
              onDone('Your note is on the case.');
            },
          },
        )
      }
    >
      <Field label="Note" name="note" multiline rows={5} isRequired maxLength={5000} />
    </ActionDialog>
  );
}

const NOBODY = '__nobody';

function Triage({
  c,
  onDone,
  onReload,
  me,
  assignees,
}: ActionProps & { me: string | null; assignees: Assignee[] }) {
  const m = useTriageCase();
  const options: Record<string, string> = {};
  if (c.assigneeId) options[c.assigneeId] = 'Keep the current assignee';
  if (me && me !== c.assigneeId) options[me] = 'Me';
  // Only a concern is raised by staff; a report's first reporter may be a member.
  if (
    c.sourceKind === 'concern' &&
    c.raisedBy &&
    c.raisedBy !== c.subjectUserId &&
    !(c.raisedBy in options)
  ) {
    options[c.raisedBy] = 'Whoever raised it';
  }
  for (const person of assignees) {
    if (person.id !== c.subjectUserId && !(person.id in options)) options[person.id] = person.name;
  }
  options[NOBODY] = 'Nobody';
  return (
    <ActionDialog
      label="Triage"
      title="Triage this case"
      intro="Set how serious it is and who looks after it. A new severity restarts the time limit of the current step from now. The person you assign is alerted and can then read it."
      submitLabel="Save"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) => {
        const severity = String(data.get('severity') ?? '') as CaseDetail['severity'];
        const chosen = String(data.get('assigneeId') ?? '');
        const assigneeId = chosen === NOBODY ? null : chosen || undefined;
        const note = textOf(data, 'note');
        m.mutate(
          {
            caseId: c.id,
            expectedVersion: c.version,
            ...(severity ? { severity } : {}),
            ...(assigneeId !== undefined && assigneeId !== c.assigneeId ? { assigneeId } : {}),
            ...(note ? { note } : {}),
          },
          {
            onSuccess: () => {
              close();
              onDone('The case is triaged.');
            },
          },
        );
      }}
    >
      <Choice
        label="Severity"
        name="severity"
        options={severityLabels}
        defaultValue={c.severity}
        isRequired
      />
      <Choice
        label="Who looks after it"
        name="assigneeId"
        options={options}
        defaultValue={c.assigneeId ?? NOBODY}
      />
      <Field label="Note (optional)" name="note" multiline rows={3} maxLength={5000} />
    </ActionDialog>
  );
}

function Escalate({ c, onDone, onReload }: ActionProps) {
  const m = useEscalateCase();
  return (
    <ActionDialog
      label="Escalate"
      title="Escalate this case"
      intro={`Moves the case on from “${c.stepName}” to the next step of the ladder. The people there are alerted now and must pick it up within their own time limit.`}
      submitLabel="Escalate"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) =>
        m.mutate(
          { caseId: c.id, expectedVersion: c.version, note: textOf(data, 'note') ?? '' },
          {
            onSuccess: (updated) => {
              close();
              onDone(`The case has moved to “${updated.stepName}”, whose people are alerted.`);
            },
          },
        )
      }
    >
      <Field
        label="Why does it need to move on?"
        name="note"
        multiline
        rows={4}
        isRequired
        maxLength={5000}
      />
    </ActionDialog>
  );
}

function RecordTold({ c, onDone, onReload }: ActionProps) {
  const t = useTerm();
  const m = useRecordToldYoungPerson();
  const [told, setTold] = useState<'yes' | 'no' | ''>('');
  return (
    <ActionDialog
      label={`Record telling the ${t('member')}`}
      title={`Was the ${t('member')} told?`}
      intro="Record whether they were told before anything is passed on — and if not, why not."
      submitLabel="Save"
      isPending={m.isPending}
      error={m.error}
      onReset={() => {
        m.reset();
        setTold('');
      }}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) => {
        if (!told) return;
        const how = String(data.get('how') ?? '') as keyof typeof toldMethodLabels | '';
        m.mutate(
          {
            caseId: c.id,
            told: told === 'yes',
            ...(told === 'yes' && how ? { how } : {}),
            note: textOf(data, 'note') ?? '',
          },
          {
            onSuccess: () => {
              close();
              setTold('');
              onDone('Recorded.');
            },
          },
        );
      }}
    >
      <RadioGroup
        name="told"
        className="hearth-field hearth-radio-group"
        value={told}
        onChange={(value) => setTold(value as 'yes' | 'no')}
        isRequired
      >
        <Label>Were they told?</Label>
        <Radio value="yes">Yes</Radio>
        <Radio value="no">No</Radio>
      </RadioGroup>
      {told === 'yes' ? (
        <Choice label="How?" name="how" options={toldMethodLabels} isRequired />
      ) : null}
      <Field
        label={
          told === 'no'
            ? 'Why were they not told?'
            : 'What were they told, and how did they respond?'
        }
        name="note"
        multiline
        rows={4}
        isRequired
        maxLength={5000}
      />
    </ActionDialog>
  );
}

function RecordSharing({ c, onDone, onReload }: ActionProps) {
  const m = useRecordSharing();
  return (
    <ActionDialog
      label="Record a sharing decision"
      title="Record a decision about sharing information"
      intro="Record every decision to share information — and every decision not to — with the reason and its lawful basis. Consent is often not the basis for safeguarding sharing."
      submitLabel="Save"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) =>
        m.mutate(
          {
            caseId: c.id,
            shared: data.get('shared') === 'yes',
            recipient: String(data.get('recipient') ?? '') as keyof typeof sharingRecipientLabels,
            reason: textOf(data, 'reason') ?? '',
          },
          {
            onSuccess: () => {
              close();
              onDone('The decision is recorded.');
            },
          },
        )
      }
    >
      <RadioGroup name="shared" className="hearth-field hearth-radio-group" isRequired>
        <Label>Was information shared?</Label>
        <Radio value="yes">Yes, it was shared</Radio>
        <Radio value="no">No, we decided not to share it</Radio>
      </RadioGroup>
      <Choice label="With whom" name="recipient" options={sharingRecipientLabels} isRequired />
      <Field
        label="Why, and on what basis?"
        name="reason"
        multiline
        rows={4}
        isRequired
        maxLength={5000}
      />
    </ActionDialog>
  );
}

function RecordReferral({ c, onDone, onReload }: ActionProps) {
  const m = useRecordReferral();
  return (
    <ActionDialog
      label="Record a referral"
      title="Record a referral"
      submitLabel="Save"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) => {
        const reference = textOf(data, 'reference');
        m.mutate(
          {
            caseId: c.id,
            agency: String(data.get('agency') ?? '') as keyof typeof referralAgencyLabels,
            ...(reference ? { reference } : {}),
            note: textOf(data, 'note') ?? '',
          },
          {
            onSuccess: () => {
              close();
              onDone('The referral is recorded.');
            },
          },
        );
      }}
    >
      <Choice label="Referred to" name="agency" options={referralAgencyLabels} isRequired />
      <Field
        label="Their reference (optional)"
        name="reference"
        maxLength={100}
        description="Not encrypted: keep names and circumstances out of it."
      />
      <Field label="Note" name="note" multiline rows={4} isRequired maxLength={5000} />
    </ActionDialog>
  );
}

function Close({ c, onDone, onReload }: ActionProps) {
  const m = useCloseCase();
  return (
    <ActionDialog
      label="Close the case"
      title="Close this case"
      intro="A closed case stops moving up the ladder and leaves the list. You can still add notes and records to it."
      submitLabel="Close the case"
      isPending={m.isPending}
      error={m.error}
      onReset={m.reset}
      onReload={onReload}
      what="this case"
      onSubmit={(data, close) =>
        m.mutate(
          {
            caseId: c.id,
            expectedVersion: c.version,
            outcome: String(data.get('outcome') ?? '') as keyof typeof caseOutcomeLabels,
            note: textOf(data, 'note') ?? '',
          },
          {
            onSuccess: () => {
              close();
              onDone('The case is closed.');
            },
          },
        )
      }
    >
      <Choice label="Outcome" name="outcome" options={caseOutcomeLabels} isRequired />
      <Field label="Closing note" name="note" multiline rows={4} isRequired maxLength={5000} />
    </ActionDialog>
  );
}

function Timeline({ c }: { c: CaseDetail }) {
  return (
    <section className="hearth-stack" aria-labelledby="hearth-case-timeline">
      <h2 id="hearth-case-timeline">What has happened</h2>
      <ol className="hearth-timeline">
        {c.timeline.map((e) => (
          <li key={e.id}>
            <TimelineEntry event={e} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Step ids in the timeline ("senior-mentor") as words. */
function stepWords(id: unknown): string {
  return str(id).replaceAll('-', ' ') || 'the next step';
}

function TimelineEntry({ event: e }: { event: CaseEvent }) {
  const t = useTerm();
  const d = e.detail;
  let title: string;
  const lines: ReactNode[] = [];
  switch (e.kind) {
    case 'opened':
      title = `Case opened from ${labelOf(caseSourceLabels, str(d.sourceKind))}`;
      lines.push(
        `${labelOf(categoryLabels, str(d.category))}, severity ${labelOf(severityLabels, str(d.severity)).toLowerCase()}`,
      );
      break;
    case 'note':
      title = 'Note';
      break;
    case 'evidence':
      title = 'The words that opened this case';
      if (d.moderation) {
        lines.push(
          `Matched rule ${str(d.ruleId)}; the safety rules decided: ${str(d.moderation).replaceAll('_', ' ')}.`,
        );
      }
      if (d.text) lines.push(str(d.text));
      break;
    case 'acknowledged':
      title = d.assignee ? 'Picked up, and taken on' : 'Picked up';
      break;
    case 'triaged': {
      title = 'Triaged';
      const severity = d.severity as { from?: unknown; to?: unknown } | undefined;
      const assignee = d.assignee as { from?: unknown; to?: unknown } | undefined;
      if (severity) {
        lines.push(
          `Severity: ${labelOf(severityLabels, str(severity.from))} → ${labelOf(severityLabels, str(severity.to))}`,
        );
      }
      if (assignee) {
        lines.push(
          <>
            Assigned to: <PersonName userId={str(assignee.to) || null} />
            {assignee.from ? (
              <>
                {' '}
                (was <PersonName userId={str(assignee.from)} />)
              </>
            ) : null}
          </>,
        );
      }
      break;
    }
    case 'escalated':
      title =
        d.reason === 'time limit passed'
          ? 'Moved up by itself: nobody picked it up in time'
          : 'Escalated by hand';
      lines.push(`From ${stepWords(d.from)} to ${stepWords(d.to)}`);
      break;
    case 'sharing':
      title = d.shared
        ? `Information shared with: ${labelOf(sharingRecipientLabels, str(d.recipient))}`
        : `Decided not to share with: ${labelOf(sharingRecipientLabels, str(d.recipient))}`;
      break;
    case 'told_young_person':
      title = d.told
        ? `The ${t('member')} was told (${labelOf(toldMethodLabels, str(d.how)).toLowerCase()})`
        : `The ${t('member')} was not told`;
      break;
    case 'referral':
      title = `Referred to: ${labelOf(referralAgencyLabels, str(d.agency))}`;
      if (d.reference) lines.push(`Their reference: ${str(d.reference)}`);
      break;
    case 'closed':
      title = `Closed: ${labelOf(caseOutcomeLabels, str(d.outcome))}`;
      break;
    default:
      title = e.kind.replaceAll('_', ' ');
  }
  return (
    <>
      <p>
        <strong>{title}</strong> · {e.actorId ? <PersonName userId={e.actorId} /> : 'automatically'}{' '}
        ·{' '}
        <time className="hearth-muted" dateTime={e.at}>
          {formatWhen(e.at)}
        </time>
      </p>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed lines of one entry
        <p key={index}>{line}</p>
      ))}
      {e.note ? (
        <blockquote className="hearth-quote hearth-message-body">{e.note}</blockquote>
      ) : null}
    </>
  );
}
