import { timingSafeEqual } from 'node:crypto';
import { formatDateTime } from '../domain/time.js';
import { type AuditRow, type AuditSealer, chainOf, entryMac, GENESIS_MAC, headMac, pointMac } from '../repositories/audit-chain.js';
import type { Store } from '../repositories/index.js';
import type { LiveKeyring } from './keyring.js';

/**
 * Proving the audit trail: each team's entries form a MAC chain (repositories/audit-chain.ts) under
 * keys derived from the data keys, so whoever can edit the database but does not hold the master
 * key cannot change, remove or insert an entry, nor drop the newest ones, without `verify` saying
 * where. Pruning keeps it verifiable: the prune point (MACed) says where the retained chain starts.
 */

export interface ChainVerdict {
  ok: boolean;
  /** Entries whose MAC and position checked out before the first break (all of them when ok). */
  verified: number;
  /** The id of the first entry that was changed or inserted, or that follows removed ones. */
  brokenAt?: number;
  reason?: string;
  /** The team of the chain (null: entries of no team). */
  teamId: number | null;
}

/** The keyring's MACs for the audit chain. */
export function keyringSealer(keys: LiveKeyring): AuditSealer {
  return { version: () => keys.ring.activeVersion, mac: (version, parts) => keys.ring.mac(version, 'audit-chain', parts) };
}

const equalHex = (a: string, b: Buffer) => a.length === b.length * 2 && timingSafeEqual(Buffer.from(a, 'hex'), b);

/** One NDJSON line of the audit file and of `export`: the entry as the API shows it, plus its chain position and MAC. */
export function auditLine(r: AuditRow): string {
  return JSON.stringify({
    id: r.id,
    team_id: r.team_id,
    seq: r.seq,
    at: formatDateTime(r.created_at),
    actor: r.actor,
    token_id: r.token_id,
    action: r.action,
    resource_type: r.resource_type,
    resource_id: r.resource_id,
    changed_fields: JSON.parse(r.changed) as string[],
    ip: r.ip,
    request_id: r.request_id,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    key_version: r.key_version,
    mac: r.mac,
  });
}

const BATCH = 1000;

/** Walks audit chains and says whether, and where, each is broken. */
export function auditChainVerifier(store: Store, keys: LiveKeyring) {
  const reader = store.auditChain;
  const sealer = keyringSealer(keys);

  async function verifyChain(chain: number): Promise<ChainVerdict> {
    const teamId = chain === 0 ? null : chain;
    const broken = (verified: number, brokenAt: number | undefined, reason: string): ChainVerdict => ({ ok: false, verified, brokenAt, reason, teamId });
    const point = await reader.prunePoint(chain);
    let seq = 0;
    let prev: Buffer = GENESIS_MAC;
    if (point && point.last_pruned_seq !== null && point.last_pruned_mac !== null) {
      await keys.ensure([point.key_version ?? 0]);
      const expected = pointMac(sealer, point.key_version ?? 0, chain, point.last_pruned_seq, point.last_pruned_mac, point.last_pruned_id);
      if (!equalHex(point.point_mac ?? '', expected)) return broken(0, undefined, 'the record of where pruning stopped was altered');
      seq = point.last_pruned_seq;
      prev = Buffer.from(point.last_pruned_mac, 'hex');
    }
    let verified = 0;
    let lastId = 0;
    for (;;) {
      const rows = await reader.rows(chain, lastId, BATCH);
      if (rows.length === 0) break;
      await keys.ensure(new Set(rows.map((r) => r.key_version ?? 0)));
      for (const r of rows) {
        lastId = r.id;
        if (r.mac === null || r.seq === null || r.key_version === null) return broken(verified, r.id, 'inserted: it has no MAC (or was written before the chain and never sealed: start keyhold serve once)');
        if (r.seq <= seq) return broken(verified, r.id, `inserted: position ${r.seq} is taken by an earlier entry`);
        if (r.seq > seq + 1) return broken(verified, r.id, `${r.seq - seq - 1} entr${r.seq - seq - 1 === 1 ? 'y was' : 'ies were'} removed before it (positions ${seq + 1} to ${r.seq - 1})`);
        let expected: Buffer;
        try {
          expected = entryMac(sealer, r.key_version, prev, r);
        } catch {
          return broken(verified, r.id, `its MAC names data key version ${r.key_version}, which this keyring does not have`);
        }
        if (!equalHex(r.mac, expected)) return broken(verified, r.id, 'changed or forged: its MAC does not match its fields and the entry before it');
        prev = expected;
        seq = r.seq;
        verified++;
      }
    }
    const head = await reader.head(chain);
    if (!head || head.seq < 0) return verified === 0 ? { ok: true, verified, teamId } : broken(verified, undefined, 'the chain has no head: it was removed');
    await keys.ensure([head.key_version]);
    if (!equalHex(head.head_mac, headMac(sealer, head.key_version, chain, head.seq, head.mac, head.last_id))) return broken(verified, head.last_id, "the chain's head was altered");
    if (head.seq !== seq || !equalHex(head.mac, prev)) {
      return broken(verified, head.last_id, `the newest entries were removed: the chain ends at position ${head.seq} (entry ${head.last_id}), the trail at ${seq}`);
    }
    return { ok: true, verified, teamId };
  }

  return {
    /** One team's chain (null: entries of no team). */
    verifyTeam: (teamId: number | null) => verifyChain(chainOf(teamId)),
    /** Every chain there is, in team order. */
    async verifyAll(): Promise<ChainVerdict[]> {
      const out: ChainVerdict[] = [];
      for (const chain of await reader.chains()) out.push(await verifyChain(chain));
      return out;
    },
  };
}
export type AuditChainVerifier = ReturnType<typeof auditChainVerifier>;
