import type { Actor } from '../domain/types.js';
import type { AuditEvent } from '../repositories/audit.js';

/** Builds an audit row for `actor`; `changed` holds field names only, never values. */
export function auditEvent(actor: Actor, action: string, resourceType: string, resourceId: string, changed: string[], at: number): AuditEvent {
  return {
    teamId: actor.teamId,
    actor: actor.label,
    tokenId: actor.tokenId,
    action,
    resourceType,
    resourceId,
    changed,
    ip: actor.ip,
    requestId: actor.requestId,
    createdAt: at,
  };
}
