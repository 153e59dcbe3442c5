import { type Kysely, type Selectable, sql } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';

/**
 * The audit trail's MAC chain, at the storage level. Every entry of a team is appended under its
 * team's chain head (locked for the transaction), gets the next position (`seq`), and a MAC over
 * the previous entry's MAC and its own stored fields; the head keeps the chain's end, MACed, so the
 * newest entries cannot be removed unseen either. The MACs themselves are the keyring's (the sealer):
 * storage never sees a key. Verification reads with `chainRows` (services/audit-chain.ts).
 */

/** Makes MACs with the data keys (services/keyring.ts through the runtime). */
export interface AuditSealer {
  /** The data-key version new MACs are made with. */
  version(): number;
  /** HMAC of the parts under version `version`'s audit key. */
  mac(version: number, parts: readonly Buffer[]): Buffer;
}

export type AuditRow = Selectable<Database['audit_events']>;
export type ChainHead = Selectable<Database['audit_chain_heads']>;

/** The MAC before a team's first entry. */
export const GENESIS_MAC = Buffer.alloc(32);

/** The chain a team's entries are in: its id, 0 for entries of no team. */
export const chainOf = (teamId: number | null) => teamId ?? 0;

/** The stored fields an entry's MAC covers, in a fixed order, as JSON (text columns as stored). */
export function canonicalEntry(r: Omit<AuditRow, 'id' | 'mac'>): Buffer {
  return Buffer.from(
    JSON.stringify([r.seq, r.team_id, r.actor, r.token_id, r.action, r.resource_type, r.resource_id, r.changed, r.ip, r.request_id, r.created_at, r.detail, r.key_version]),
    'utf8',
  );
}

const text = (...parts: Array<string | number>) => Buffer.from(parts.join('\u0000'), 'utf8');

/** The MAC of an entry: over the previous entry's MAC and its canonical form. */
export const entryMac = (sealer: AuditSealer, version: number, previous: Buffer, row: Omit<AuditRow, 'id' | 'mac'>) =>
  sealer.mac(version, [text('entry'), previous, canonicalEntry(row)]);

/** The MAC of a chain's head: its team, last position, last MAC and last entry id. */
export const headMac = (sealer: AuditSealer, version: number, chain: number, seq: number, mac: string, lastId: number) =>
  sealer.mac(version, [text('head', chain, seq, mac, lastId)]);

/** The MAC of a prune point: where the team's retained chain starts. */
export const pointMac = (sealer: AuditSealer, version: number, chain: number, seq: number, mac: string, lastId: number) =>
  sealer.mac(version, [text('prune', chain, seq, mac, lastId)]);

const byChain = (chain: number) => (chain === 0 ? sql<boolean>`team_id is null` : sql<boolean>`team_id = ${chain}`);

/**
 * The chain head of `chain`, locked until the transaction ends. A team without one yet (its first
 * entry, or entries written before the chain existed) gets one now: its unsealed entries are sealed
 * in id order, from its prune point or the start.
 */
async function lockedHead(trx: Kysely<Database>, sealer: AuditSealer, chain: number, at: number): Promise<ChainHead> {
  // Claims the row first, so two first writers of a team wait on one row rather than both creating it.
  await trx
    .insertInto('audit_chain_heads')
    .values({ team_id: chain, seq: -1, mac: '', last_id: 0, key_version: 0, head_mac: '', updated_at: at })
    .onConflict((oc) => oc.column('team_id').doNothing())
    .execute();
  let q = trx.selectFrom('audit_chain_heads').selectAll().where('team_id', '=', chain);
  if (dialectOf(trx) === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
  if (head.seq >= 0) return head;
  // A new head: seal what the team already has (nothing, on a new install).
  const point = await trx.selectFrom('audit_prune_points').selectAll().where('team_id', '=', chain).executeTakeFirst();
  let seq = point?.last_pruned_seq ?? 0;
  let mac = point?.last_pruned_mac ?? GENESIS_MAC.toString('hex');
  let lastId = point?.last_pruned_id ?? 0;
  const version = sealer.version();
  const rows = await trx.selectFrom('audit_events').selectAll().where(byChain(chain)).where('mac', 'is', null).orderBy('id').execute();
  for (const r of rows) {
    seq++;
    const sealed = { ...r, seq, key_version: version };
    mac = entryMac(sealer, version, Buffer.from(mac, 'hex'), sealed).toString('hex');
    lastId = r.id;
    await trx.updateTable('audit_events').set({ seq, key_version: version, mac }).where('id', '=', r.id).execute();
  }
  const sealedHead = { team_id: chain, seq, mac, last_id: lastId, key_version: version, head_mac: headMac(sealer, version, chain, seq, mac, lastId).toString('hex'), updated_at: at };
  await trx.updateTable('audit_chain_heads').set(sealedHead).where('team_id', '=', chain).execute();
  return sealedHead;
}

/** Appends one entry to its team's chain; call inside a transaction. Answers the stored row. */
export async function appendToChain(trx: Kysely<Database>, sealer: AuditSealer, values: Omit<AuditRow, 'id' | 'seq' | 'mac' | 'key_version'>): Promise<AuditRow> {
  const chain = chainOf(values.team_id);
  const head = await lockedHead(trx, sealer, chain, values.created_at);
  const version = sealer.version();
  const unsealed = { ...values, seq: head.seq + 1, key_version: version };
  const mac = entryMac(sealer, version, Buffer.from(head.mac, 'hex'), unsealed).toString('hex');
  const row = await trx.insertInto('audit_events').values({ ...unsealed, mac }).returningAll().executeTakeFirstOrThrow();
  await trx
    .updateTable('audit_chain_heads')
    .set({ seq: row.seq!, mac, last_id: row.id, key_version: version, head_mac: headMac(sealer, version, chain, row.seq!, mac, row.id).toString('hex'), updated_at: values.created_at })
    .where('team_id', '=', chain)
    .execute();
  return row;
}

/** Reads for verification: a chain's rows in id order after `afterId`, its head, its prune point, and every chain there is. */
export function chainReader(db: Kysely<Database>, hooks: { sealer?: AuditSealer } = {}) {
  return {
    /**
     * Seals the entries of every team that has no chain head yet (entries written before the chain
     * existed), one team per transaction. Runs at start, so a trail is verifiable after an upgrade.
     */
    async sealUnsealed(at: number): Promise<number> {
      const sealer = hooks.sealer;
      if (!sealer) return 0;
      const pending = await db.selectFrom('audit_events').select('team_id').distinct().where('mac', 'is', null).execute();
      for (const { team_id } of pending) await db.transaction().execute((trx) => lockedHead(trx, sealer, chainOf(team_id), at));
      return pending.length;
    },
    /** Entries created in [from, to) (either open), of one team or (undefined) every team, in id order after `afterId`. */
    window(f: { teamId?: number; from?: number; to?: number; afterId: number; limit: number }): Promise<AuditRow[]> {
      let q = db.selectFrom('audit_events').selectAll().where('id', '>', f.afterId).orderBy('id').limit(f.limit);
      if (f.teamId !== undefined) q = q.where('team_id', '=', f.teamId);
      if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
      if (f.to !== undefined) q = q.where('created_at', '<', f.to);
      return q.execute();
    },
    rows: (chain: number, afterId: number, limit: number): Promise<AuditRow[]> =>
      db.selectFrom('audit_events').selectAll().where(byChain(chain)).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
    head: (chain: number) => db.selectFrom('audit_chain_heads').selectAll().where('team_id', '=', chain).executeTakeFirst(),
    prunePoint: (chain: number) => db.selectFrom('audit_prune_points').selectAll().where('team_id', '=', chain).executeTakeFirst(),
    async chains(): Promise<number[]> {
      const fromRows = await db.selectFrom('audit_events').select('team_id').distinct().execute();
      const fromHeads = await db.selectFrom('audit_chain_heads').select('team_id').execute();
      return [...new Set([...fromRows.map((r) => chainOf(r.team_id)), ...fromHeads.map((r) => r.team_id)])].sort((a, b) => a - b);
    },
  };
}
