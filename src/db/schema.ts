import type { Generated } from 'kysely';

/** Times are integer epoch milliseconds; booleans are 0/1; JSON is text. */
export interface Database {
  keyhold_meta: { name: string; value: string };
  data_keys: { version: number; wrapped: Buffer; created_at: number };
  teams: { id: Generated<number>; name: string; created_at: number };
  api_tokens: {
    id: Generated<number>;
    team_id: number;
    name: string;
    token_hash: string;
    abilities: string;
    created_at: number;
    expires_at: number | null;
    revoked_at: number | null;
    last_used_at: number | null;
    /** JSON array of private key uuids the token is restricted to; null: all of its team's. */
    private_keys: string | null;
    /** JSON array of SSH CA role names the token is restricted to; null: all. */
    ssh_roles: string | null;
  };
  private_keys: {
    id: Generated<number>;
    uuid: string;
    team_id: number;
    name: string;
    description: string | null;
    fingerprint: string | null;
    public_key: string;
    key_version: number;
    ciphertext: Buffer;
    is_git_related: number;
    created_at: number;
    updated_at: number;
    /** JSON signing policy (hosts, users, purposes, forwarding); null: the default. */
    signing_policy: string | null;
  };
  regions: { id: number; name: string; created_at: number };
  projects: { id: number; team_id: number; name: string; created_at: number };
  caas_keys: {
    id: Generated<number>;
    project_id: number;
    region_id: number;
    name: string;
    description: string;
    containers: string;
    expire: number | null;
    is_disabled: number;
    source: string;
    secret_hash: string;
    secret_start: string;
    created_at: number;
    last_used_at: number | null;
    rate_limit: number | null;
    rate_window_s: number | null;
    /** The secret before the last reroll, valid until `old_secret_until` (its grace period). */
    old_secret_hash: string | null;
    old_secret_until: number | null;
  };
  sessions: {
    id: Generated<number>;
    token_id: number;
    secret_hash: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    revoked_at: number | null;
  };
  setup_codes: { id: Generated<number>; code_hash: string; created_at: number; expires_at: number; used_at: number | null };
  audit_events: {
    id: Generated<number>;
    team_id: number | null;
    actor: string;
    token_id: number | null;
    action: string;
    resource_type: string;
    resource_id: string;
    changed: string;
    ip: string | null;
    request_id: string | null;
    created_at: number;
    /** JSON object with what the action was about (a signature's purpose, user, host, outcome); never secrets. */
    detail: string | null;
    /** Position in the team's chain (1, 2, …), the data-key version of the MAC, and the MAC (hex); null only on rows not sealed yet. */
    seq: number | null;
    mac: string | null;
    key_version: number | null;
  };
  /** Each team's audit chain end (team 0: entries of no team), MACed (`head_mac`). */
  audit_chain_heads: { team_id: number; seq: number; mac: string; last_id: number; key_version: number; head_mac: string; updated_at: number };
  /** The outbox: every change, written in the change's transaction. */
  events: { id: Generated<number>; uid: string; team_id: number | null; type: string; payload: string; created_at: number };
  webhooks: {
    id: string;
    team_id: number;
    url: string;
    events: string;
    description: string;
    key_version: number;
    secret_ciphertext: Buffer;
    disabled_at: number | null;
    disabled_reason: string | null;
    failing_since: number | null;
    created_at: number;
    updated_at: number;
    /** Failed attempts in a row, any delivery; 0 after a success. */
    consecutive_failures: Generated<number>;
    /** The endpoint backs off: none of its deliveries is leased before this time. */
    backoff_until: number | null;
    /** After a signing-secret rotation: the previous secret, sealed under `key_version` too, signing beside the new one until `previous_secret_until`. */
    previous_secret_ciphertext: Buffer | null;
    previous_secret_until: number | null;
  };
  webhook_deliveries: {
    id: Generated<number>;
    webhook_id: string;
    event_id: number;
    status: string;
    attempts: number;
    next_attempt_at: number;
    lease_owner: string | null;
    lease_until: number | null;
    response_status: number | null;
    response_body: string | null;
    error: string | null;
    latency_ms: number | null;
    created_at: number;
    last_attempt_at: number | null;
    delivered_at: number | null;
  };
  ssh_cas: {
    id: Generated<number>;
    team_id: number;
    name: string;
    type: string;
    private_key_id: number;
    public_key: string;
    fingerprint: string;
    krl_version: Generated<number>;
    created_at: number;
  };
  ssh_roles: {
    id: Generated<number>;
    team_id: number;
    name: string;
    ca_id: number;
    /** JSON array of exact names and `*`-patterns. */
    principals: string;
    max_ttl_s: number;
    default_ttl_s: number;
    /** JSON array of extension names; null: OpenSSH's defaults for user certificates. */
    extensions: string | null;
    /** JSON object: force-command, source-address. */
    critical_options: string;
    created_at: number;
    updated_at: number;
  };
  /** Every certificate issued; `id` is its serial. Times of validity in epoch seconds, as in the certificate. */
  ssh_certificates: {
    id: Generated<number>;
    team_id: number;
    ca_id: number;
    role: string;
    type: string;
    key_id: string;
    principals: string;
    valid_after: number;
    valid_before: number;
    public_key: string;
    public_key_fingerprint: string;
    certificate: string;
    requested_by: string;
    token_id: number | null;
    created_at: number;
    revoked_at: number | null;
    revoked_by: string | null;
  };
  ssh_certificate_principals: { certificate_id: number; principal: string };
  ssh_revocations: { id: Generated<number>; ca_id: number; kind: string; value: string; revoked_by: string; created_at: number };
  expiry_notices: { key_id: number; kind: string; expire: number; created_at: number };
  /** Per team (0: entries of no team), the highest audit id pruned: the team's retained trail starts after it. */
  audit_prune_points: {
    team_id: number;
    last_pruned_id: number;
    pruned_at: number;
    /** The last pruned entry's chain position and MAC: where the retained chain starts; `point_mac` MACs them. */
    last_pruned_seq: number | null;
    last_pruned_mac: string | null;
    key_version: number | null;
    point_mac: string | null;
  };
  /** Verification answers per team, key (0: no key), minute start and code; team 0: no team. */
  usage_minutes: { id: Generated<number>; team_id: number; key_id: number; minute: number; code: string; count: number };
  /** The same, rolled up per hour start once the minutes are past their retention. */
  usage_hours: { id: Generated<number>; team_id: number; key_id: number; hour: number; code: string; count: number };
  /** Each key's recent refusals (bounded per key): what was asked, by whom; never the key. */
  key_refusals: {
    id: Generated<number>;
    team_id: number;
    key_id: number;
    at: number;
    code: string;
    container: string;
    namespace: string;
    ip: string | null;
    request_id: string | null;
  };
}

export type Dialect = 'sqlite' | 'postgres';
