/** A key's or token's state as a word in a coloured badge (the word carries the meaning; colour only helps). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
