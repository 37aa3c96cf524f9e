import { useEffect, useRef, useState } from 'react';
import { Button, Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { reportReasonLabels } from './ReportButton.js';
import {
  findingsOf,
  type ModerationActInput,
  type QueueFinding,
  type QueueItem,
  type QueueItemDetail,
  type QueueStatus,
  useModerationAct,
  useModerationItem,
  useModerationQueue,
} from './staff-hooks.js';
import {
  categoryLabels,
  contentKindLabel,
  labelOf,
  moderationActionLabels,
  queueReasonLabels,
  severityLabels,
  visibilityLabels,
} from './staff-labels.js';
import { ChangeError, formatWhen, PersonName, textOf } from './staff-parts.js';

const USER_TARGET = 'identity.user';

export interface ModerationQueueProps {
  /**
   * Called with an item's id when a moderator chooses to review it, for apps that give each item
   * its own page (render `ModerationItemReview` there). Without it, the item opens in place.
   */
  onReview?: (itemId: string) => void;
}

/**
 * For moderators and safeguarding leads: what the safety rules held or flagged and what people
 * reported, oldest first, to review and decide on one at a time.
 */
export function ModerationQueue({ onReview }: ModerationQueueProps) {
  const [status, setStatus] = useState<QueueStatus>('open');
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const queue = useModerationQueue(status);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (reviewing === null && returnFocus.current) {
      returnFocus.current = false;
      listHeading.current?.focus();
    }
  }, [reviewing]);

  if (reviewing) {
    return (
      <ModerationItemReview
        itemId={reviewing}
        onBack={() => {
          returnFocus.current = true;
          setReviewing(null);
        }}
        onDone={(message) => {
          returnFocus.current = true;
          setDone(message);
          setReviewing(null);
        }}
      />
    );
  }

  const items = queue.data?.pages.flat() ?? [];
  return (
    <section className="hearth-stack" aria-labelledby="hearth-moderation-title">
      <h1 id="hearth-moderation-title" ref={listHeading} tabIndex={-1}>
        Moderation
      </h1>
      <p>
        Things the safety rules held back or flagged, and things people reported. Nobody else can
        see held content until you decide.
      </p>
      <RadioGroup
        className="hearth-field hearth-radio-group hearth-segmented"
        orientation="horizontal"
        value={status}
        onChange={(value) => {
          setDone(null);
          setStatus(value as QueueStatus);
        }}
      >
        <Label>Show</Label>
        <Radio value="open">Waiting for a decision</Radio>
        <Radio value="resolved">Already decided</Radio>
      </RadioGroup>
      {done ? (
        <p className="hearth-notice" role="status">
          {done}
        </p>
      ) : null}
      {queue.isPending ? <p aria-busy="true">Loading…</p> : null}
      {queue.data && items.length === 0 ? (
        <p role="status">
          {status === 'open' ? 'Nothing is waiting. Thank you.' : 'Nothing has been decided yet.'}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ul className="hearth-list" aria-label={status === 'open' ? 'Waiting' : 'Decided'}>
          {items.map((item) => (
            <li key={item.id}>
              <QueueItemCard
                item={item}
                onReview={() => {
                  setDone(null);
                  if (onReview) onReview(item.id);
                  else setReviewing(item.id);
                }}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {queue.hasNextPage ? (
        <Button
          className="hearth-button hearth-button-quiet"
          isPending={queue.isFetchingNextPage}
          onPress={() => queue.fetchNextPage()}
        >
          Show more
        </Button>
      ) : null}
      <ErrorText error={queue.error} />
    </section>
  );
}

function QueueItemCard({ item, onReview }: { item: QueueItem; onReview: () => void }) {
  const kind = contentKindLabel(item.contentKind);
  return (
    <article className="hearth-card hearth-queue-item" aria-label={`${kind}, ${whyText(item)}`}>
      <div className="hearth-row hearth-spread">
        <h2 className="hearth-queue-kind">{kind}</h2>
        {item.maxSeverity ? <Severity severity={item.maxSeverity} /> : null}
      </div>
      <p>{whyText(item)}</p>
      <p className="hearth-muted">
        {item.contentKind === USER_TARGET
          ? null
          : `${labelOf(visibilityLabels, item.visibility)} · `}
        In the queue since {formatWhen(item.openedAt)}
        {item.resolvedAt ? ` · decided ${formatWhen(item.resolvedAt)}` : ''}
      </p>
      <Button className="hearth-button hearth-button-primary" onPress={onReview}>
        Review
        <span className="hearth-visually-hidden">
          {' '}
          {kind.toLowerCase()} from {formatWhen(item.openedAt)}
        </span>
      </Button>
    </article>
  );
}

function whyText(item: Pick<QueueItem, 'reasons' | 'reportCount'>): string {
  return item.reasons
    .map((reason) =>
      reason === 'reported'
        ? item.reportCount === 1
          ? 'Reported once'
          : `Reported ${item.reportCount} times`
        : labelOf(queueReasonLabels, reason),
    )
    .join(' · ');
}

/** A severity as a labelled badge (the word, not only a colour). */
export function Severity({ severity }: { severity: string }) {
  return (
    <span className={`hearth-severity hearth-severity-${severity}`}>
      <span className="hearth-visually-hidden">Severity: </span>
      {labelOf(severityLabels, severity)}
    </span>
  );
}

export interface ModerationItemReviewProps {
  itemId: string;
  /** Back to the queue without deciding. */
  onBack?: () => void;
  /** After a decision, with a sentence saying what was done. */
  onDone?: (message: string) => void;
}

/**
 * One queue item for a moderator: what was written (with what the safety rules matched marked),
 * who wrote it, why it is here, its reports and history, and a decision with a reason.
 */
export function ModerationItemReview({ itemId, onBack, onDone }: ModerationItemReviewProps) {
  const item = useModerationItem(itemId);
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus the heading for each new item
  useEffect(() => {
    heading.current?.focus();
  }, [itemId]);
  const data = item.data;
  return (
    <section className="hearth-stack" aria-labelledby="hearth-review-title">
      {onBack ? (
        <Button className="hearth-button hearth-button-quiet" onPress={onBack}>
          ← Back to the queue
        </Button>
      ) : null}
      <h1 id="hearth-review-title" ref={heading} tabIndex={-1}>
        {data ? `Review: ${contentKindLabel(data.contentKind)}` : 'Review'}
      </h1>
      {item.isPending ? <p aria-busy="true">Loading…</p> : null}
      <ErrorText error={item.error} />
      {data ? (
        <>
          <ItemFacts item={data} />
          <WhatWasWritten item={data} />
          <Reports item={data} />
          <History item={data} />
          <Decide item={data} onReload={() => item.refetch()} onDone={onDone} />
        </>
      ) : null}
    </section>
  );
}

function ItemFacts({ item }: { item: QueueItemDetail }) {
  const isPerson = item.contentKind === USER_TARGET;
  return (
    <dl className="hearth-facts">
      <dt>{isPerson ? 'Person reported' : 'Written by'}</dt>
      <dd>
        <PersonName userId={item.authorId} nobody="Not known" />
      </dd>
      <dt>Why it is here</dt>
      <dd>{whyText(item)}</dd>
      {item.maxSeverity ? (
        <>
          <dt>Most serious finding</dt>
          <dd>
            <Severity severity={item.maxSeverity} />
          </dd>
        </>
      ) : null}
      {isPerson ? null : (
        <>
          <dt>Right now</dt>
          <dd>{labelOf(visibilityLabels, item.visibility)}</dd>
        </>
      )}
      <dt>In the queue since</dt>
      <dd>{formatWhen(item.openedAt)}</dd>
      <dt>Status</dt>
      <dd>
        {item.status === 'open'
          ? 'Waiting for a decision'
          : `Decided${item.resolvedAt ? ` ${formatWhen(item.resolvedAt)}` : ''}`}
      </dd>
    </dl>
  );
}

function WhatWasWritten({ item }: { item: QueueItemDetail }) {
  const findings = findingsOf(item);
  if (item.contentKind === USER_TARGET) {
    return (
      <section className="hearth-stack" aria-labelledby="hearth-written-title">
        <h2 id="hearth-written-title">What was reported</h2>
        <p>A person was reported, not something they wrote. Read the reports below.</p>
      </section>
    );
  }
  return (
    <section className="hearth-stack" aria-labelledby="hearth-written-title">
      <h2 id="hearth-written-title">What was written</h2>
      {item.text === null ? (
        <p className="hearth-muted">This no longer exists, so there is nothing to read.</p>
      ) : (
        <blockquote className="hearth-quote hearth-written">
          <MarkedText text={item.text} findings={findings} />
        </blockquote>
      )}
      {findings.length > 0 ? (
        <>
          <h3>What the safety rules found</h3>
          <ul className="hearth-reasons">
            {findings.map((f, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: findings never reorder; a rule can match twice
              <li key={`${f.ruleId}-${index}`}>
                <Severity severity={f.severity} /> {labelOf(categoryLabels, f.category)}
                {f.reason ? ` — ${f.reason}` : ''}{' '}
                <span className="hearth-muted">({f.ruleId})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The text with what the rules matched marked, so a moderator sees it in its context. */
function MarkedText({ text, findings }: { text: string; findings: QueueFinding[] }) {
  const spans = findings
    .flatMap((f) => (f.span ? [f.span] : []))
    .map(([start, end]) => [Math.max(0, start), Math.min(text.length, end)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const parts: { text: string; marked: boolean; at: number }[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) parts.push({ text: text.slice(at, from), marked: false, at });
    parts.push({ text: text.slice(from, end), marked: true, at: from });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false, at });
  return (
    <p className="hearth-message-body">
      {parts.map((part) =>
        part.marked ? (
          <mark key={part.at}>
            <span className="hearth-visually-hidden">[matched: </span>
            {part.text}
            <span className="hearth-visually-hidden">]</span>
          </mark>
        ) : (
          <span key={part.at}>{part.text}</span>
        ),
      )}
    </p>
  );
}

function Reports({ item }: { item: QueueItemDetail }) {
  if (item.reports.length === 0) return null;
  return (
    <section className="hearth-stack" aria-labelledby="hearth-reports-title">
      <h2 id="hearth-reports-title">Reports ({item.reports.length})</h2>
      <ul className="hearth-list">
        {item.reports.map((r) => (
          <li key={r.id} className="hearth-card">
            <p>
              <strong>{labelOf(reportReasonLabels, r.reason)}</strong>
            </p>
            <p className="hearth-muted">
              By <PersonName userId={r.reporterId} /> · {formatWhen(r.at)}
              {r.caseOpened ? ' · a safeguarding case was opened' : ''}
            </p>
            {r.note ? <blockquote className="hearth-quote">{r.note}</blockquote> : null}
          </li>
        ))}
      </ul>
      <p className="hearth-muted">The person reported is never told who reported them.</p>
    </section>
  );
}

function History({ item }: { item: QueueItemDetail }) {
  if (item.actions.length === 0) return null;
  return (
    <section className="hearth-stack" aria-labelledby="hearth-history-title">
      <h2 id="hearth-history-title">What has been done</h2>
      <ol className="hearth-timeline">
        {item.actions.map((a) => (
          <li key={a.id}>
            <p>
              <strong>{moderationActionLabels[a.action]?.done ?? a.action}</strong> ·{' '}
              {a.actorId ? <PersonName userId={a.actorId} /> : 'the safety rules'} ·{' '}
              <span className="hearth-muted">{formatWhen(a.at)}</span>
            </p>
            {a.reason ? <p>Why: {a.reason}</p> : null}
            {a.message ? <p>Message to the writer: “{a.message}”</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

type QueueAction = ModerationActInput['action'];

/** The actions that can work on this item now; the server refuses the others. */
export function possibleActions(
  item: Pick<QueueItemDetail, 'contentKind' | 'visibility' | 'authorId'>,
): QueueAction[] {
  const isPerson = item.contentKind === USER_TARGET;
  const actions: QueueAction[] = [];
  if (!isPerson && item.visibility === 'visible') actions.push('hold');
  if (!isPerson && item.visibility === 'held') actions.push('release');
  if (!isPerson && item.visibility !== 'removed') actions.push('remove');
  if (item.authorId) actions.push('warn');
  if (item.visibility !== 'held') actions.push('dismiss');
  return actions;
}

const submitLabels: Record<QueueAction, string> = {
  hold: 'Hold it',
  release: 'Release it',
  remove: 'Remove it for good',
  warn: 'Send the warning',
  dismiss: 'Dismiss it',
};

const doneMessages: Record<QueueAction, string> = {
  hold: 'Held. Nobody else can see it until someone releases or removes it.',
  release: 'Released. People can see it again, and it has left the queue.',
  remove: 'Removed for good. It has left the queue.',
  warn: 'Your message is on its way to the writer. The item stays in the queue.',
  dismiss: 'Dismissed. It has left the queue.',
};

function Decide({
  item,
  onReload,
  onDone,
}: {
  item: QueueItemDetail;
  onReload: () => void;
  onDone?: ((message: string) => void) | undefined;
}) {
  const act = useModerationAct();
  const [action, setAction] = useState<QueueAction | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const actions = possibleActions(item);
  const chosen = action && actions.includes(action) ? action : null;
  return (
    <section className="hearth-stack" aria-labelledby="hearth-decide-title">
      <h2 id="hearth-decide-title">Decide</h2>
      {saved ? (
        <p className="hearth-notice" role="status">
          {saved}
        </p>
      ) : null}
      <Form
        className="hearth-form"
        validationErrors={fieldErrorsOf(act.error)}
        onSubmit={(event) => {
          event.preventDefault();
          if (!chosen) return;
          const data = new FormData(event.currentTarget);
          const message = textOf(data, 'message');
          const form = event.currentTarget;
          act.mutate(
            {
              itemId: item.id,
              action: chosen,
              reason: textOf(data, 'reason') ?? '',
              ...(chosen === 'warn' && message ? { message } : {}),
              expectedVersion: item.version,
            },
            {
              onSuccess: () => {
                form.reset();
                setAction(null);
                if (onDone) onDone(doneMessages[chosen]);
                else setSaved(doneMessages[chosen]);
              },
            },
          );
        }}
      >
        <RadioGroup
          name="action"
          className="hearth-field hearth-radio-group"
          value={chosen ?? null}
          onChange={(value) => {
            setSaved(null);
            setAction(value as QueueAction);
          }}
          isRequired
        >
          <Label>What should happen?</Label>
          {actions.map((a) => (
            <Radio key={a} value={a}>
              {moderationActionLabels[a]?.choice ?? a}
            </Radio>
          ))}
        </RadioGroup>
        {chosen === 'warn' ? (
          <Field
            label="Message to the writer"
            name="message"
            multiline
            rows={3}
            isRequired
            maxLength={1000}
            description="They will read this in the app. Be clear and kind: say what was wrong and what to do instead."
          />
        ) : null}
        <Field
          label="Why? (for the record)"
          name="reason"
          multiline
          rows={3}
          isRequired
          maxLength={1000}
          description="Other moderators and safeguarding leads read this. The writer does not."
        />
        <ChangeError
          error={act.error}
          what="this item"
          onReload={() => {
            act.reset();
            onReload();
          }}
        />
        <Button
          type="submit"
          className={`hearth-button ${chosen === 'remove' ? 'hearth-button-danger' : 'hearth-button-primary'}`}
          isPending={act.isPending}
        >
          {chosen ? submitLabels[chosen] : 'Decide'}
        </Button>
      </Form>
    </section>
  );
}
