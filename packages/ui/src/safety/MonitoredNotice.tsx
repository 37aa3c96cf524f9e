import { useBranding } from '../context.js';

/** Says plainly that conversations are read by the organisation's safety team when needed. */
export function MonitoredNotice({ compact = false }: { compact?: boolean }) {
  const branding = useBranding();
  return (
    <p className={compact ? 'hearth-monitored hearth-monitored-compact' : 'hearth-monitored'}>
      <strong>Conversations here are monitored.</strong>{' '}
      {compact
        ? 'To keep everyone safe, our safety team can read them.'
        : `To keep everyone safe, ${branding.displayName}'s safety team can read messages, and anything that suggests someone is at risk is checked by a person.`}
    </p>
  );
}
