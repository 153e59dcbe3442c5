/** What keyhold did but warned about (an expiry in the past): shown until dismissed, announced politely. */
export function Warnings({ title, warnings, onDismiss }: { title: string; warnings: readonly string[] | undefined; onDismiss?: () => void }) {
  if (!warnings?.length) return null;
  return (
    <div className="notice warnings" role="status">
      <strong>{title}</strong>
      <ul>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      {onDismiss && (
        <button type="button" className="button small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
