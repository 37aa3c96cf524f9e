import { useEffect } from 'react';
import { useBranding } from '../context.js';

/** Escape pressed this many times within `ESCAPE_WINDOW_MS` leaves the site. */
const ESCAPES_TO_LEAVE = 3;
const ESCAPE_WINDOW_MS = 1_500;

/**
 * Leaves for the organisation's neutral site at once, replacing this page in the browser's
 * history so that the back button does not return. Clears what is on screen first, so nothing
 * lingers while the other site loads.
 */
export function quickExit(url: string): void {
  document.title = 'Weather';
  document.body.replaceChildren();
  window.location.replace(url);
}

export interface QuickExitProps {
  /** Where to go; the tenant's `quickExitUrl` by default. */
  url?: string;
  label?: string;
}

/**
 * The Quick Exit control: always in view, one press leaves, and Escape pressed three times
 * anywhere on the page leaves too. Pair it with `useSafeLocation`, which keeps the whole app to
 * one history entry, so that the entry Quick Exit replaces is the only one there was.
 */
export function QuickExit({ url, label = 'Quick exit' }: QuickExitProps) {
  const branding = useBranding();
  const target = url ?? branding.quickExitUrl;
  useEffect(() => {
    let presses: number[] = [];
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const now = Date.now();
      presses = [...presses.filter((at) => now - at < ESCAPE_WINDOW_MS), now];
      if (presses.length >= ESCAPES_TO_LEAVE) quickExit(target);
    };
    // Capture phase: a dialog that handles Escape itself cannot swallow the presses.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [target]);
  return (
    <button
      type="button"
      className="hearth-quick-exit"
      onClick={() => quickExit(target)}
      aria-describedby="hearth-quick-exit-hint"
    >
      {label}
      <span id="hearth-quick-exit-hint" className="hearth-visually-hidden">
        Leaves this site straight away. You can also press Escape three times.
      </span>
    </button>
  );
}
