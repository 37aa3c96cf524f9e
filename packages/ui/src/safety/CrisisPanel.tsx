import type { HearthOutputs } from '@hearth/client';
import { useBranding } from '../context.js';

export type Helpline = HearthOutputs['tenancy']['branding']['helplines'][number];

export interface CrisisPanelProps {
  /** The helplines to show; the organisation's own by default. */
  helplines?: Helpline[];
  /** Heading text. */
  title?: string;
  /** Words above the list. */
  intro?: string;
  /** `alert` announces the panel as soon as it appears (after a risky message). */
  urgent?: boolean;
  /** 1 when the panel is the page (a "get help now" page). @default 2 */
  headingLevel?: 1 | 2;
}

/** Helplines a person can reach now: call, text or visit, each one tap away. */
export function CrisisPanel({
  helplines,
  title = 'Help is here, right now',
  intro = 'If you are in danger now, call 999. These people are there for you, any time:',
  urgent = false,
  headingLevel = 2,
}: CrisisPanelProps) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const branding = useBranding();
  const list = helplines ?? branding.helplines;
  return (
    <section
      className="hearth-crisis"
      aria-labelledby="hearth-crisis-title"
      {...(urgent ? { role: 'alert' } : {})}
    >
      <Heading id="hearth-crisis-title">{title}</Heading>
      <p>{intro}</p>
      <ul>
        {list.map((helpline) => (
          <li key={helpline.name}>
            <strong>{helpline.name}</strong>
            {helpline.description ? <span> — {helpline.description}</span> : null}
            <span className="hearth-crisis-actions">
              {helpline.phone ? (
                <a className="hearth-button" href={`tel:${helpline.phone.replace(/[^0-9+]/g, '')}`}>
                  Call {helpline.phone}
                </a>
              ) : null}
              {helpline.sms ? (
                <a
                  className="hearth-button"
                  href={`sms:${helpline.sms.number}${helpline.sms.keyword ? `?body=${encodeURIComponent(helpline.sms.keyword)}` : ''}`}
                >
                  Text {helpline.sms.keyword ? `${helpline.sms.keyword} to ` : ''}
                  {helpline.sms.number}
                </a>
              ) : null}
              {helpline.url ? (
                <a
                  className="hearth-button"
                  href={helpline.url}
                  rel="noopener noreferrer"
                  target="_blank"
                >
                  Visit {new URL(helpline.url).hostname.replace(/^www\./, '')}
                </a>
              ) : null}
            </span>
            {helpline.hours ? <span className="hearth-muted"> {helpline.hours}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
