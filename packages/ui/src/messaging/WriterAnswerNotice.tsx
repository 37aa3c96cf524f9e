import type { Helpline } from '../safety/CrisisPanel.js';
import { CrisisPanel } from '../safety/CrisisPanel.js';

export interface WriterAnswer {
  status: 'published' | 'held' | 'blocked';
  explanation: string | null;
  helplines: Helpline[];
}

/**
 * What a person is told about their own words: kindly, without blame. When their words show
 * they may be at risk, the helplines come first and are announced at once.
 */
export function WriterAnswerNotice({ answer }: { answer: WriterAnswer }) {
  return (
    <>
      {answer.helplines.length > 0 ? (
        <CrisisPanel
          urgent
          helplines={answer.helplines}
          title="It sounds like things are really hard right now"
          intro="You don't have to deal with this alone. You can talk to someone right now — it's free and private:"
        />
      ) : null}
      {answer.status === 'held' ? (
        <p className="hearth-notice" role="status">
          {answer.explanation ??
            'Thanks for writing. A member of our team will look at this before anyone else sees it.'}
        </p>
      ) : null}
      {answer.status === 'blocked' ? (
        <p className="hearth-notice hearth-notice-blocked" role="alert">
          {answer.explanation ?? "We couldn't share that. Please try saying it another way."}
        </p>
      ) : null}
    </>
  );
}
