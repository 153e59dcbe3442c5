import { randomLowerAlnum } from '../crypto/secret.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import type { Actor, Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import type { Delivery } from '../repositories/webhook-deliveries.js';
import type { SealedWebhook, WebhookRecord } from '../repositories/webhooks.js';

export type { WebhookRecord };
import { auditEvent } from './audit.js';
import { eventPayload, newEventId } from './events.js';
import { newSigningSecret, openSecrets, sealSecrets } from './webhook-secrets.js';
import type { LiveKeyring } from './keyring.js';

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string;
}

/** Fields absent are kept; `enabled: true` turns a disabled endpoint back on (and forgets its failures). */
export interface WebhookUpdate {
  url?: string;
  events?: string[];
  description?: string;
  enabled?: boolean;
}

/** A delivery with the event it carries (id and type, never its payload here). */
export type DeliveryView = Delivery & { eventUid: string; eventType: string };

/** Checks a target URL (shape, and where it resolves) and throws a `bad_request` AppError when refused. */
export type TargetCheck = (url: string) => Promise<void>;

const ID = /^wh_[a-z0-9]{1,64}$/;

/** Endpoints one team may have: each failing one costs deliveries and retries, so there is a bound. */
export const MAX_WEBHOOKS_PER_TEAM = 50;
const notFound = (id: string) => new AppError('not_found', `no webhook with id ${id}`);
const strip = ({ keyVersion: _v, secretCiphertext: _c, previousSecretCiphertext: _p, ...rest }: SealedWebhook): WebhookRecord => rest;
/** The longest an old signing secret keeps signing after a rotation: a week to roll the new one out to every receiver. */
export const MAX_SECRET_GRACE_MS = 7 * 86_400_000;
/** The event type of a test send: never subscribed to, sent only when asked for. */
export const TEST_EVENT = 'webhook.test';

/**
 * Webhook endpoints of a team: each has a signing secret, shown once and kept sealed with the keyring
 * (the worker must read it to sign), and a log of deliveries that can be re-sent.
 */
export function webhooksService(store: Store, keys: LiveKeyring, clock: Clock, checkTarget: TargetCheck) {
  async function find(teamId: number, id: string): Promise<SealedWebhook> {
    const w = ID.test(id) ? await store.webhooks.find(id, teamId) : undefined;
    if (!w) throw notFound(id);
    return w;
  }
  async function withEvents(list: Delivery[]): Promise<DeliveryView[]> {
    const events = new Map((await store.events.findByIds([...new Set(list.map((d) => d.eventId))])).map((e) => [e.id, e]));
    return list.map((d) => ({ ...d, eventUid: events.get(d.eventId)?.uid ?? '', eventType: events.get(d.eventId)?.type ?? '' }));
  }

  return {
    async list(teamId: number): Promise<WebhookRecord[]> {
      return (await store.webhooks.list(teamId)).map(strip);
    },
    get: async (teamId: number, id: string): Promise<WebhookRecord> => strip(await find(teamId, id)),
    /** Creates an endpoint; its signing secret is returned here once. */
    async create(actor: Actor, input: WebhookInput): Promise<{ webhook: WebhookRecord; secret: string }> {
      await checkTarget(input.url);
      const id = `wh_${randomLowerAlnum(24)}`;
      const secret = newSigningSecret();
      const ring = await keys.current();
      const sealed = sealSecrets(ring, { id, teamId: actor.teamId }, ring.activeVersion, secret, null);
      const at = clock();
      const webhook = await store.transaction(async (repos) => {
        await repos.teams.lock(actor.teamId);
        if ((await repos.webhooks.countForTeam(actor.teamId)) >= MAX_WEBHOOKS_PER_TEAM) {
          throw new AppError('conflict', `a team has at most ${MAX_WEBHOOKS_PER_TEAM} webhook endpoints: delete one before adding another`);
        }
        const w = await repos.webhooks.insert({
          id,
          teamId: actor.teamId,
          url: input.url,
          events: [...new Set(input.events)],
          description: input.description ?? '',
          disabledAt: null,
          disabledReason: null,
          failingSince: null,
          consecutiveFailures: 0,
          backoffUntil: null,
          previousSecretUntil: null,
          createdAt: at,
          updatedAt: at,
          ...sealed,
        });
        await repos.audit.insert(auditEvent(actor, 'webhook.create', 'webhook', id, ['url', 'events', 'description'], at));
        return w;
      });
      return { webhook: strip(webhook), secret };
    },
    async update(actor: Actor, id: string, input: WebhookUpdate): Promise<WebhookRecord> {
      const current = await find(actor.teamId, id);
      const at = clock();
      const fields: string[] = [];
      const changes: Parameters<Store['webhooks']['update']>[1] = { updatedAt: at };
      if (input.url !== undefined && input.url !== current.url) {
        await checkTarget(input.url);
        changes.url = input.url;
        fields.push('url');
      }
      if (input.events !== undefined) {
        const events = [...new Set(input.events)];
        if (JSON.stringify(events) !== JSON.stringify(current.events)) {
          changes.events = events;
          fields.push('events');
        }
      }
      if (input.description !== undefined && input.description !== current.description) {
        changes.description = input.description;
        fields.push('description');
      }
      if (input.enabled !== undefined && input.enabled !== (current.disabledAt === null)) {
        Object.assign(changes, input.enabled ? { disabledAt: null, disabledReason: null, failingSince: null } : { disabledAt: at, disabledReason: 'disabled by a user' });
        fields.push('enabled');
      }
      if (fields.length === 0) return strip(current);
      const updated = await store.transaction(async (repos) => {
        const w = await repos.webhooks.update(id, changes);
        if (!w) throw notFound(id);
        await repos.audit.insert(auditEvent(actor, 'webhook.update', 'webhook', id, fields, at));
        return w;
      });
      return strip(updated);
    },
    /**
     * A new signing secret, returned here once. For `graceMs` the previous one keeps signing beside it
     * (two signatures in `webhook-signature`), so receivers can switch over without losing a message;
     * 0 drops it at once. A rotation during a grace period drops the oldest: there are never more than two.
     */
    async rotateSecret(actor: Actor, id: string, graceMs: number): Promise<{ webhook: WebhookRecord; secret: string }> {
      if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_SECRET_GRACE_MS) {
        throw new AppError('bad_request', `grace_seconds must be a whole number from 0 to ${MAX_SECRET_GRACE_MS / 1000} (7 days)`);
      }
      const current = await find(actor.teamId, id);
      await keys.ensure([current.keyVersion]);
      const ring = await keys.current();
      const secret = newSigningSecret();
      const old = openSecrets(ring, current).current;
      const at = clock();
      const sealed = sealSecrets(ring, current, ring.activeVersion, secret, graceMs > 0 ? old : null);
      const updated = await store.transaction(async (repos) => {
        if (!(await repos.webhooks.reseal(id, current, { ...sealed, previousUntil: graceMs > 0 ? at + graceMs : null }))) {
          throw new AppError('conflict', `webhook ${id}'s secret changed while this rotation ran (another rotation?): rotate again`);
        }
        await repos.audit.insert(auditEvent(actor, 'webhook.rotate_secret', 'webhook', id, [`grace_seconds=${graceMs / 1000}`], at));
        return repos.webhooks.find(id);
      });
      if (!updated) throw notFound(id);
      return { webhook: strip(updated), secret };
    },
    /**
     * Sends `webhook.test` to this endpoint only (whatever it subscribes to), signed as every event is,
     * and answers its delivery: the delivery log shows what the receiver answered.
     */
    async sendTest(actor: Actor, id: string): Promise<DeliveryView> {
      const w = await find(actor.teamId, id);
      if (w.disabledAt !== null) throw new AppError('conflict', `webhook ${id} is disabled: enable it (PATCH {"enabled": true}) before sending it a test event`);
      const at = clock();
      const delivery = await store.transaction(async (repos) => {
        const data = { webhook: { id: w.id, url: w.url }, message: 'A test event from keyhold: if its signature verifies, this endpoint is set up.' };
        const e = await repos.events.insert({ uid: newEventId(), teamId: actor.teamId, type: TEST_EVENT, payload: eventPayload(TEST_EVENT, at, data), createdAt: at }, { onlyTo: id });
        await repos.audit.insert(auditEvent(actor, 'webhook.test', 'webhook', id, [], at));
        return repos.deliveries.findPending(id, e.id);
      });
      if (!delivery) throw new AppError('internal', 'the test delivery was not recorded');
      return (await withEvents([delivery]))[0]!;
    },
    /** Deletes the endpoint and its delivery log; nothing more is sent to it. */
    async remove(actor: Actor, id: string): Promise<void> {
      await find(actor.teamId, id);
      await store.transaction(async (repos) => {
        if (!(await repos.webhooks.delete(id))) throw notFound(id);
        await repos.audit.insert(auditEvent(actor, 'webhook.delete', 'webhook', id, [], clock()));
      });
    },
    /** The endpoint's deliveries, newest first, a page at a time. */
    async deliveries(teamId: number, id: string, q: { limit: number; cursor?: string }): Promise<{ deliveries: DeliveryView[]; nextCursor: string | null }> {
      await find(teamId, id);
      const beforeId = q.cursor === undefined ? undefined : decodeCursor('before', q.cursor);
      if (q.cursor !== undefined && beforeId === undefined) throw new AppError('bad_request', 'cursor is not one this server issued (pass next_cursor back unchanged)');
      const rows = await store.deliveries.list(id, q.limit + 1, beforeId);
      const page = rows.slice(0, q.limit);
      return { deliveries: await withEvents(page), nextCursor: rows.length > q.limit ? encodeCursor('before', page[page.length - 1]!.id) : null };
    },
    /**
     * Sends a delivery's event to the endpoint again, due now, under the same `webhook-id`. An endpoint
     * has at most one pending delivery of an event: when there is one (this delivery, or an earlier
     * redelivery of it), it is made due now instead of a second one being added, so the scheduled retry
     * and the manual attempt are one send. While an attempt of it is in flight (a worker holds its lease)
     * the answer is 409: that attempt's outcome decides, and the caller may redeliver again after it.
     * Otherwise (delivered, failed) a new delivery of the event is added.
     */
    async redeliver(actor: Actor, id: string, deliveryId: number): Promise<DeliveryView> {
      const w = await find(actor.teamId, id);
      const at = clock();
      const d = await store.transaction(async (repos) => {
        // Locked (PostgreSQL): two redelivers of one delivery, or a redeliver and the pruner, take turns.
        const original = await repos.deliveries.find(w.id, deliveryId, { lock: true });
        if (!original) throw new AppError('not_found', `no delivery ${deliveryId} for webhook ${id}`);
        const pending = original.status === 'pending' ? original : await repos.deliveries.findPending(w.id, original.eventId);
        let out: Delivery;
        if (pending) {
          const moved = await repos.deliveries.reschedule(pending.id, at);
          if (!moved) throw new AppError('conflict', `delivery ${pending.id} is being attempted right now; its outcome shows in the delivery log within seconds (redeliver it again after that if it failed)`);
          out = moved;
        } else {
          out = await repos.deliveries.insert(w.id, original.eventId, at);
        }
        // Someone asks for it now: an endpoint backing off is tried at once (a failure backs it off again, longer).
        await repos.webhooks.endBackoff(w.id);
        await repos.audit.insert(auditEvent(actor, 'webhook.redeliver', 'webhook', id, [`delivery=${deliveryId}`], at));
        return out;
      });
      return (await withEvents([d]))[0]!;
    },
  };
}
export type WebhooksService = ReturnType<typeof webhooksService>;
