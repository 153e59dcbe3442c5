import { hasApiKeyChecksum, hasApiKeyShape, sha256Hex } from '../crypto/secret.js';
import { type CaasKey, type Clock, type Container, caasKeyStatus } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { VerificationCache } from './verify-cache.js';
import { UsageCounter } from './usage-counter.js';
import { LocalRateLimiter, type RateLimiter } from './rate-limiter.js';

export const VERIFY_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'DISABLED', 'EXPIRED', 'FORBIDDEN_CONTAINER', 'RATE_LIMITED'] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

export interface VerifyInput {
  key: string;
  container: Container;
  /** Only this team's keys are found (a team's `verify` token); undefined: every team's (`verify:all`, forward-auth). */
  teamId?: number;
  projectId?: number;
  regionId?: number;
  /** The client's address and the request's id, for the key's refusals log. */
  ip?: string;
  requestId?: string;
}

export interface VerifiedKey {
  name: string;
  project_id: number;
  region_id: number;
  status: string;
  expire: number | null;
  containers: Container[];
}

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  key: VerifiedKey | null;
  /** Set when the key presented is a rerolled key's previous secret: when its grace period ends. */
  rotatingUntil?: number;
  /** RATE_LIMITED: seconds until the key's window ends. */
  retryAfter?: number;
}

/**
 * What the cache keeps per digest: the fields verification needs, never the secret. `rotatingUntil`
 * is set only on the entry of a rerolled key's previous secret, whose cache life it also bounds.
 */
type Cached = Pick<CaasKey, 'id' | 'name' | 'projectId' | 'regionId' | 'isDisabled' | 'expire' | 'containers' | 'rateLimit'> & { teamId: number; rotatingUntil?: number };

export interface VerifyOptions {
  cacheSize: number;
  cacheTtlMs: number;
  negativeTtlMs: number;
  usageFlushMs: number;
}

/** Keys whose `last_used_at` one statement updates. */
const USAGE_BATCH = 100;
/** `last_used_at` is accurate to this (plus the flush interval); fewer writes of hot keys. */
const USAGE_PRECISION_MS = 60_000;
const MAX_REMEMBERED_WRITES = 200_000;

/**
 * Gateway verification of CaaS API keys. Malformed keys are refused from their checksum alone;
 * the rest are looked up by SHA-256 digest through a bounded cache (with negative entries) that
 * writes invalidate. Usage (`last_used_at`, and the answers per key, minute and code with each
 * key's recent refusals: usage-counter.ts) is collected in memory and written in batches.
 */
export function verifyService(
  store: Store,
  clock: Clock,
  opts: VerifyOptions,
  onOutcome?: (code: VerifyCode, cacheHit: boolean) => void,
  rateLimiter: RateLimiter = new LocalRateLimiter(clock),
) {
  const cache = new VerificationCache<Cached>({
    maxEntries: Math.max(1, opts.cacheSize),
    ttlMs: opts.cacheSize === 0 ? 0 : opts.cacheTtlMs,
    negativeTtlMs: opts.cacheSize === 0 ? 0 : opts.negativeTtlMs,
    clock,
  });
  const used = new Set<number>();
  const usage = new UsageCounter();
  let flushing: Promise<void> | undefined;

  /** When this process last wrote each key's last_used_at: a key is rewritten at most once a minute. */
  const written = new Map<number, number>();

  async function flush(): Promise<void> {
    if (used.size === 0) return;
    const at = clock();
    // In id order, so each slice touches neighbouring rows (pages) rather than pages all over the table.
    const ids = [...used].filter((id) => at - (written.get(id) ?? -Infinity) >= USAGE_PRECISION_MS).sort((a, b) => a - b);
    used.clear();
    if (written.size + ids.length > MAX_REMEMBERED_WRITES) written.clear();
    for (const id of ids) written.set(id, at);
    // In slices, yielding between them: one statement for tens of thousands of keys would stall
    // every request (SQLite runs on this thread) and pass the databases' limits on bound parameters.
    for (let i = 0; i < ids.length; i += USAGE_BATCH) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await store.caasKeys.touch(ids.slice(i, i + USAGE_BATCH), at);
      } catch (err) {
        for (const id of ids.slice(i)) written.delete(id); // written again on their next use
        throw err;
      }
    }
  }
  /** Both kinds of usage; a failed write of one does not stop the other. */
  const flushBoth = async () => {
    const [touched, counted] = await Promise.allSettled([flush(), usage.flush(store)]);
    if (touched.status === 'rejected') throw touched.reason;
    if (counted.status === 'rejected') throw counted.reason;
  };
  const timer = setInterval(() => {
    flushing ??= flushBoth()
      // A failed last_used_at batch is retried with the next use, failed counts with the next flush.
      .catch(() => {})
      .finally(() => (flushing = undefined));
  }, opts.usageFlushMs);
  timer.unref();

  /**
   * The gateway's view of a cached key, made once per entry and status rather than per request: a
   * VALID answer for it is then the same object every time, and its JSON is made once too (answers.ts).
   */
  const views = new WeakMap<Cached, VerifiedKey>();
  function viewOf(k: Cached, status: string): VerifiedKey {
    let view = views.get(k);
    if (!view || view.status !== status) {
      view = { name: k.name, project_id: k.projectId, region_id: k.regionId, status, expire: k.expire, containers: k.containers };
      views.set(k, view);
    }
    return view;
  }

  /** A lookup that missed the cache: the database, then the cache. */
  async function lookup(digest: string): Promise<{ key: Cached | null; hit: boolean }> {
    const generation = cache.begin();
    const row = await store.caasKeys.findByDigest(digest);
    let key: Cached | null = row
      ? {
          id: row.id,
          teamId: row.teamId,
          name: row.name,
          projectId: row.projectId,
          regionId: row.regionId,
          isDisabled: row.isDisabled,
          expire: row.expire,
          containers: row.containers,
          rateLimit: row.rateLimit,
        }
      : null;
    let until: number | undefined;
    if (row && key && row.secretHash !== digest) {
      // The previous secret of a rerolled key: valid only until its grace period ends.
      until = row.rotatingUntil ?? 0;
      key = until > clock() ? { ...key, rotatingUntil: until } : null;
    }
    cache.set(digest, key, generation, key === null ? undefined : until);
    return { key, hit: false };
  }

  /** A key that is not one of ours (shape or checksum): answered without a lookup. */
  function malformed(teamId: number | undefined): VerifyResult {
    onOutcome?.('MALFORMED', false);
    usage.record(teamId ?? 0, 0, 'MALFORMED', clock());
    return { valid: false, code: 'MALFORMED', key: null };
  }

  return {
    async verify(input: VerifyInput): Promise<VerifyResult> {
      if (!hasApiKeyShape(input.key)) return malformed(input.teamId);
      const digest = sha256Hex(input.key);
      // A digest in the cache is that of a secret whose checksum was checked when it was first looked
      // up (the same digest is the same string): only a miss pays for the checksum.
      const cached = cache.get(digest);
      let found: { key: Cached | null; hit: boolean };
      if (cached !== undefined) found = { key: cached, hit: true };
      else if (!hasApiKeyChecksum(input.key)) return malformed(input.teamId);
      else found = await lookup(digest);
      const now = clock();
      const hit = found.hit;
      // An old secret's entry outlives its grace period by nothing (its cache life is bounded too).
      const key = found.key?.rotatingUntil !== undefined && found.key.rotatingUntil <= now ? null : found.key;
      let code: VerifyCode;
      let status = '';
      let retryAfterMs = 0;
      if (
        !key ||
        (input.teamId !== undefined && input.teamId !== key.teamId) ||
        (input.projectId !== undefined && input.projectId !== key.projectId) ||
        (input.regionId !== undefined && input.regionId !== key.regionId)
      ) {
        code = 'NOT_FOUND';
      } else {
        status = caasKeyStatus(key, now);
        if (status === 'Disabled') code = 'DISABLED';
        else if (status === 'Expired') code = 'EXPIRED';
        else if (!key.containers.some((c) => c.name === input.container.name && c.namespace === input.container.namespace)) code = 'FORBIDDEN_CONTAINER';
        else if (key.rateLimit) {
          const decision = await rateLimiter.take(key.id, key.rateLimit, now);
          code = decision.allowed ? 'VALID' : 'RATE_LIMITED';
          retryAfterMs = decision.retryAfterMs;
        } else code = 'VALID';
        if (code === 'VALID') used.add(key.id);
      }
      onOutcome?.(code, hit);
      // An unknown key (or another team's) counts for the asking team with no key; 0: no team (verify:all, forward-auth).
      if (!key || code === 'NOT_FOUND') usage.record(input.teamId ?? 0, 0, code, now);
      else {
        usage.record(key.teamId, key.id, code, now);
        if (code !== 'VALID') usage.refuse(key.teamId, key.id, code, now, { container: input.container.name, namespace: input.container.namespace, ip: input.ip, requestId: input.requestId });
      }
      const shown = code === 'NOT_FOUND' ? null : key;
      const result: VerifyResult = {
        valid: code === 'VALID',
        code,
        key: shown && viewOf(shown, status),
      };
      if (shown?.rotatingUntil !== undefined) result.rotatingUntil = shown.rotatingUntil;
      if (code === 'RATE_LIMITED') result.retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
      return result;
    },
    /** Forget a digest (`*` for everything): called on every write, here and (via NOTIFY) in other processes. */
    invalidate: (digest: string) => cache.invalidate(digest),
    stats: () => cache.stats(),
    /** This process's answers not written yet, for a team (and one of its keys). */
    pendingUsage: (teamId: number, keyId?: number) => usage.pending(teamId, keyId),
    /** A key's refusals this process has not written yet, oldest first. */
    pendingRefusals: (keyId: number) => usage.pendingRefusals(keyId),
    /** Writes pending usage (last use, counts, refusals) now (tests, shutdown). */
    flushUsage: () => flushBoth(),
    async close(): Promise<void> {
      clearInterval(timer);
      await rateLimiter.close();
      await flushing;
      await flushBoth().catch(() => {});
    },
  };
}
export type VerifyService = ReturnType<typeof verifyService>;
