import { formatDuration, formatTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';

/**
 * While a reroll's grace period runs, how long the old secret still verifies: counted down every
 * second from the server's `rotating_until`, and gone when it ends.
 */
export function RotationCountdown({ until }: { until: string | null }) {
  const end = until ? new Date(until).getTime() : NaN;
  const running = Number.isFinite(end) && end > Date.now();
  const now = useNow(running);
  const left = end - now;
  if (!running || !(left > 0)) return null;
  return (
    <span className="rotating" role="timer" title={`The secret replaced by the last reroll verifies until ${formatTime(until)}`}>
      old secret valid for <time dateTime={until ?? undefined}>{formatDuration(left)}</time>
    </span>
  );
}
