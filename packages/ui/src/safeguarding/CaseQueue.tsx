import { Button } from 'react-aria-components';
import { useTerm } from '../context.js';
import { ErrorText } from '../errors.js';
import { useMe } from '../queries.js';
import { caseRights } from './case-rights.js';
import { Severity } from './ModerationQueue.js';
import { type CaseSummary, useCases } from './staff-hooks.js';
import { caseStatusLabels, categoryLabels, labelOf } from './staff-labels.js';
import { formatOverdue, formatRelative, formatWhen, PersonName, useNow } from './staff-parts.js';

export interface CaseQueueProps {
  /** Called with the case's id when someone chooses to open it (render `CaseView` for it). */
  onOpen: (caseId: string) => void;
}

/** Whether a case's time limit at its current step has passed. */
export function isOverdue(c: Pick<CaseSummary, 'status' | 'deadlineAt'>, now: number): boolean {
  return c.status === 'open' && c.deadlineAt !== null && Date.parse(c.deadlineAt) <= now;
}

/**
 * For safeguarding leads: every open and acknowledged case, the nearest deadline first, with
 * overdue cases marked. Others are told how cases reach them.
 */
export function CaseQueue({ onOpen }: CaseQueueProps) {
  const t = useTerm();
  const me = useMe();
  const mayList = caseRights(me.data).list;
  const cases = useCases({ enabled: mayList });
  const now = useNow();

  if (me.isPending) return <p aria-busy="true">Loading…</p>;
  if (!mayList) {
    return (
      <section className="hearth-stack" aria-labelledby="hearth-cases-title">
        <h1 id="hearth-cases-title">Safeguarding cases</h1>
        <p>
          Only {t('safeguardingLead', { plural: true })} see the list of cases. When a case is
          assigned to you, or needs you at your step, you will get an alert that opens it.
        </p>
      </section>
    );
  }

  const list = cases.data ?? [];
  const overdue = list.filter((c) => isOverdue(c, now)).length;
  return (
    <section className="hearth-stack" aria-labelledby="hearth-cases-title">
      <h1 id="hearth-cases-title">Safeguarding cases</h1>
      {cases.isPending ? <p aria-busy="true">Loading…</p> : null}
      {cases.data ? (
        <p role="status">
          {list.length === 0
            ? 'No cases are open.'
            : `${list.length} open ${list.length === 1 ? 'case' : 'cases'}${
                overdue > 0 ? `, ${overdue} overdue` : ''
              }.`}
        </p>
      ) : null}
      {list.length > 0 ? (
        <div className="hearth-table-scroll">
          <table className="hearth-table hearth-case-table">
            <caption className="hearth-visually-hidden">
              Open cases, the nearest deadline first
            </caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">About</th>
                <th scope="col">Status</th>
                <th scope="col">Step</th>
                <th scope="col">Deadline</th>
                <th scope="col">Assigned to</th>
                <th scope="col">Opened</th>
                <th scope="col">
                  <span className="hearth-visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const late = isOverdue(c, now);
                const about = labelOf(categoryLabels, c.category);
                return (
                  <tr key={c.id} className={late ? 'hearth-overdue' : undefined}>
                    <td>
                      <Severity severity={c.severity} />
                    </td>
                    <td>{about}</td>
                    <td>{labelOf(caseStatusLabels, c.status)}</td>
                    <td>{c.stepName}</td>
                    <td>
                      {c.deadlineAt ? (
                        <time dateTime={c.deadlineAt} title={formatWhen(c.deadlineAt)}>
                          {late ? (
                            <strong className="hearth-overdue-label">
                              Overdue by {formatOverdue(c.deadlineAt, now)}
                            </strong>
                          ) : (
                            formatRelative(c.deadlineAt, now)
                          )}
                        </time>
                      ) : (
                        <span className="hearth-muted">None</span>
                      )}
                    </td>
                    <td>
                      <PersonName userId={c.assigneeId} nobody="Nobody yet" />
                    </td>
                    <td>
                      <time dateTime={c.openedAt}>{formatWhen(c.openedAt)}</time>
                    </td>
                    <td>
                      <Button
                        className="hearth-button hearth-button-primary"
                        onPress={() => onOpen(c.id)}
                      >
                        Open
                        <span className="hearth-visually-hidden">
                          {' '}
                          case: {about}, opened {formatWhen(c.openedAt)}
                        </span>
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorText error={cases.error} />
    </section>
  );
}
