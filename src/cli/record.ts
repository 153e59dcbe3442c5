import { auditEvent, cliAuditEvent } from '../services/audit.js';
import type { Runtime } from '../runtime.js';

/**
 * Writes the audit row for a change made from the command line, with actor `cli`, like the rows
 * of changes made over HTTP. `teamId` null is a change that belongs to no team (a region); a team's
 * rows show in its own `GET /v1/audit`. Written after the change: the services commit their own.
 */
export async function recordCliChange(rt: Runtime, change: { teamId: number | null; action: string; type: string; id: string | number; changed?: string[] }): Promise<void> {
  const at = rt.clock();
  const id = String(change.id);
  const event =
    change.teamId === null
      ? { ...cliAuditEvent(change.action, change.type, id, at), changed: change.changed ?? [] }
      : auditEvent({ teamId: change.teamId, tokenId: null, label: 'cli', ip: null, requestId: null }, change.action, change.type, id, change.changed ?? [], at);
  await rt.store.audit.insert(event);
}
