/** The console's address of one key's usage page (optionally for a window). */
export function usageLink(k: { project_id: number; region_id: number; name: string }, window?: string): string {
  const q = new URLSearchParams({ project: String(k.project_id), region: String(k.region_id), name: k.name });
  if (window && window !== '1h') q.set('window', window);
  return `/api-keys/usage?${q.toString()}`;
}
