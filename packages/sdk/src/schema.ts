// Generated from openapi.json by `npm run sdk` (openapi-typescript). Do not edit.

export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * To the console
         * @description Redirects to `/ui`.
         */
        get: operations["root"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healthcheck
         * @description Coolify's health route: `OK` while the process is up.
         */
        get: operations["healthcheck"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/security/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List
         * @description List all private keys.
         */
        get: operations["list-private-keys"];
        put?: never;
        /**
         * Create
         * @description Create a new private key.
         */
        post: operations["create-private-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/security/keys/{uuid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get
         * @description Get key by UUID.
         */
        get: operations["get-private-key-by-uuid"];
        put?: never;
        post?: never;
        /**
         * Delete
         * @description Delete a private key.
         */
        delete: operations["delete-private-key-by-uuid"];
        options?: never;
        head?: never;
        /**
         * Update
         * @description Update a private key. `private_key` is required even to rename a key, and success is 201, as upstream.
         */
        patch: operations["update-private-key"];
        trace?: never;
    };
    "/api/v1/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Version
         * @description The Coolify version keyhold presents (`KEYHOLD_COOLIFY_VERSION`).
         */
        get: operations["version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cloud/v1/caas/keys/{project_id}/{region_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description List all API keys in the specified project and region.
         */
        get: operations["CaaSAuthKeysHandler.get"];
        put?: never;
        /**
         * Create API key
         * @description Create a new API key for container authentication. The secret is in this answer only.
         */
        post: operations["CaaSAuthKeysHandler.post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cloud/v1/caas/keys/{project_id}/{region_id}/{key_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get API key
         * @description Get detailed information about a specific API key.
         */
        get: operations["CaaSAuthKeyHandler.get"];
        put?: never;
        post?: never;
        /**
         * Delete API key
         * @description Delete an API key and revoke its access.
         */
        delete: operations["CaaSAuthKeyHandler.delete"];
        options?: never;
        head?: never;
        /**
         * Update API key
         * @description Update the configuration of an existing API key. Absent or null fields are left as they are, except `expire: null`, which clears the expiry.
         */
        patch: operations["CaaSAuthKeyHandler.patch"];
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Interactive API reference */
        get: operations["docs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description Answers while the process is up; never touches the database.
         */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Text exposition format 0.0.4. Not on this port when KEYHOLD_METRICS_PORT is set.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description Ready when the database answers and every migration is applied.
         */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Web console
         * @description keyhold's console: sign in with a token (or the first-run setup link), then manage SSH keys, API keys (rerolls with a grace period, rate limits), tokens, projects, teams and webhook endpoints with their deliveries, and read the audit trail.
         */
        get: operations["console"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description The team's keys in creation order, a page at a time, filtered by project, region, status or text.
         */
        get: operations["list-api-keys"];
        put?: never;
        /**
         * Create an API key
         * @description The secret is in this answer only.
         */
        post: operations["create-api-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{project_id}/{region_id}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an API key */
        get: operations["get-api-key"];
        put?: never;
        post?: never;
        /** Delete an API key */
        delete: operations["delete-api-key"];
        options?: never;
        head?: never;
        /**
         * Update an API key
         * @description Containers, description, expiry (null clears it) and the disabled flag; fields left out keep their value. Gateways see the change at once.
         */
        patch: operations["update-api-key"];
        trace?: never;
    };
    "/v1/api-keys/{project_id}/{region_id}/{name}/refusals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An API key's recent refusals
         * @description The newest refusals of the key (DISABLED, EXPIRED, FORBIDDEN_CONTAINER, RATE_LIMITED), newest first: when, the container asked for, the client address and the request id. Never the key.
         */
        get: operations["list-api-key-refusals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{project_id}/{region_id}/{name}/reroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reroll an API key
         * @description Replaces the secret and nothing else (name, containers, expiry, disabled flag stay). The new secret is in this answer only. The replaced secret keeps verifying for `grace_seconds` (verification answers then carry `rotating_until`); a secret kept from an earlier reroll stops at once, so at most two are ever valid. Every process refuses the old secret within a second of the end.
         */
        post: operations["reroll-api-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{project_id}/{region_id}/{name}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An API key's usage
         * @description The key's verification answers per minute, hour or day, by outcome code, from every process (as flushed every KEYHOLD_USAGE_FLUSH_MS, plus this process's unflushed counts).
         */
        get: operations["get-api-key-usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit trail
         * @description The team's audit trail, newest first, for `root` tokens: who did what to which key, from which address, with the names of the changed fields.
         */
        get: operations["list-audit-events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the audit trail (NDJSON)
         * @description The team's entries created in [from, to) (either open), oldest first, one JSON object a line with its chain position (`seq`) and `mac`, streamed: for a SIEM. The same lines as KEYHOLD_AUDIT_FILE.
         */
        get: operations["export-audit-trail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prove the audit trail
         * @description Walks the team's MAC chain: `ok` with how many entries verified, or the first entry that was changed, inserted, or follows removed ones (`broken_at`, with the `reason`). Entries are MACed with keys derived from the data keys: editing the database without the master key cannot go unseen.
         */
        get: operations["verify-audit-trail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/forward-auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Forward-auth for proxies
         * @description For nginx `auth_request`, Traefik `ForwardAuth` and Caddy `forward_auth`: the client's key from `X-API-Key` or `Authorization: Bearer`, the target container from the query or the configured headers. Answers on every method, the same way; documented once, as GET.
         */
        get: operations["forward-auth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an API key
         * @description For gateways: is this CaaS API key valid for this container? Needs a token with the `verify` (or `root`) ability, which finds only its own team's keys (another team's key is `NOT_FOUND`, as an unknown one), or `verify:all` for every team's (granted only by an `admin`). Answered from an in-process cache that writes invalidate (see docs/verification.md).
         */
        post: operations["verify-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who am I
         * @description The calling token (or the token behind the console session): its team, abilities, expiry and last use.
         */
        get: operations["get-me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Overview
         * @description What the team has, and its verification answers per minute over the last hour, from the persisted usage of every process (see GET /v1/usage for longer windows).
         */
        get: operations["get-overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/private-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List SSH keys
         * @description Needs `read` or `sign`. A token restricted to some keys (`private_keys` on its creation) lists only those: for a `sign` token, exactly the keys it may sign with (`keyhold agent` lists its identities from here).
         */
        get: operations["list-ssh-keys"];
        put?: never;
        /** Add an SSH key */
        post: operations["create-ssh-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/private-keys/{uuid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an SSH key
         * @description Needs `read` or `sign`; a key a restricted token does not see is not found.
         */
        get: operations["get-ssh-key"];
        put?: never;
        post?: never;
        /** Delete an SSH key */
        delete: operations["delete-ssh-key"];
        options?: never;
        head?: never;
        /**
         * Rename, describe or replace an SSH key, or set its signing policy
         * @description `signing` replaces the key's signing policy whole (fields left out take their defaults: any host, any user, `["ssh"]`, no forwarding); `null` clears it back to the default. See docs/ssh-agent.md.
         */
        patch: operations["update-ssh-key"];
        trace?: never;
    };
    "/v1/private-keys/{uuid}/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reveal an SSH private key
         * @description The private key text, for `read:sensitive` (or `root`) tokens. Every reveal writes an audit row (`private_key.reveal`).
         */
        post: operations["reveal-ssh-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/private-keys/{uuid}/sign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign with an SSH key (keyhold agent)
         * @description Signs what an SSH client asked its agent to sign, with the key staying in keyhold: a publickey user-authentication request for this key (purpose `ssh`), or SSHSIG signed data in the `git` or `file` namespace; anything else is refused (400). The key's signing policy decides: hosts (proved by the session binding), users, purposes, forwarding; a refusal is a 403 that names the field. Needs `sign` (never enough to reveal a key); every signature and refusal is audited (`private_key.sign`). `keyhold agent` calls this for each sign request.
         */
        post: operations["sign-with-ssh-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/private-keys/{uuid}/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An SSH key's recent signatures
         * @description The signatures made with the key and the refusals, newest first, from the audit trail: who asked, for what (purpose, user, host), and the outcome. Needs `read` or `sign`.
         */
        get: operations["list-ssh-key-signatures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List projects */
        get: operations["list-projects"];
        put?: never;
        /**
         * Create a project
         * @description With the given id (Gcore `project_id`) or the next free one.
         */
        post: operations["create-project"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a project
         * @description Refused (409) while the project holds API keys.
         */
        delete: operations["delete-project"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List regions */
        get: operations["list-regions"];
        put?: never;
        /**
         * Create a region
         * @description Regions belong to the instance, so only administrators add them.
         */
        post: operations["create-region"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description Trades a token for a console session: an HttpOnly, SameSite=Strict cookie (Secure behind TLS) that ends when unused for `KEYHOLD_SESSION_IDLE_MINUTES`, `KEYHOLD_SESSION_MAX_HOURS` after sign-in, at sign-out, or when the token goes. A wrong token counts against the address's failed-authentication budget.
         */
        post: operations["create-session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Sign out
         * @description Ends the console session this request came with and clears its cookie.
         */
        delete: operations["delete-session"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * First-run state
         * @description Whether keyhold has no team yet, so the setup link printed at start can be used.
         */
        get: operations["get-setup"];
        put?: never;
        /**
         * First-run setup
         * @description Redeems the one-time code of the setup link keyhold prints on a fresh start (valid 15 minutes, once): creates the first team and an administrator token (`root`, `admin`, shown once), and signs the caller in with it. A wrong code counts against the address's failed-authentication budget.
         */
        post: operations["complete-setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/cas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List SSH CAs */
        get: operations["list-ssh-cas"];
        put?: never;
        /**
         * Create an SSH CA
         * @description Without `private_key_uuid` keyhold generates an Ed25519 key and stores it encrypted like any private key (named `ssh-ca-<name>`); with one, that stored key becomes the CA (an RSA CA signs with rsa-sha2-512).
         */
        post: operations["create-ssh-ca"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/cas/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an SSH CA */
        get: operations["get-ssh-ca"];
        put?: never;
        post?: never;
        /**
         * Delete an SSH CA
         * @description Refused (409) while the CA has certificates that have not expired. Its roles, inventory and revocations go with it; its signing key stays among the SSH keys.
         */
        delete: operations["delete-ssh-ca"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/cas/{name}/krl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An SSH CA's revocation list (KRL)
         * @description The binary OpenSSH KRL (PROTOCOL.krl) for sshd's `RevokedKeys`: revoked serials still within their validity, revoked key ids, revoked public keys. Its version goes up with every revocation. `keyhold ssh krl --ca NAME --out FILE` writes it atomically.
         */
        get: operations["get-ssh-ca-krl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/cas/{name}/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An SSH CA's public key line
         * @description The one line for sshd's `TrustedUserCAKeys` file (a user CA), or to put after `@cert-authority <host patterns>` in known_hosts (a host CA).
         */
        get: operations["get-ssh-ca-public-key"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/cas/{name}/revocations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An SSH CA's revocations by key id and public key */
        get: operations["list-ssh-ca-revocations"];
        put?: never;
        /**
         * Revoke by key id or public key
         * @description Puts a key id (every certificate of this CA with it) or a public key (the key, and every certificate of it) in the CA's KRL. Audited, and an `ssh_certificate.revoked` event.
         */
        post: operations["revoke-ssh-key-id-or-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The certificate inventory
         * @description Every certificate issued, newest first, with who asked for it; filtered by CA, principal, key id, and whether it is active now.
         */
        get: operations["list-ssh-certificates"];
        put?: never;
        /**
         * Issue an SSH certificate
         * @description Certifies a public key from a role: principals outside the role's patterns are refused (403), a TTL above its max_ttl too (400), each naming the limit. Needs `certify` (a token may be restricted to some roles). Audited, and an `ssh_certificate.issued` event.
         */
        post: operations["issue-ssh-certificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/certificates/{serial}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One certificate of the inventory */
        get: operations["get-ssh-certificate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/certificates/{serial}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a certificate
         * @description Puts its serial in its CA's KRL. Audited, and an `ssh_certificate.revoked` event.
         */
        post: operations["revoke-ssh-certificate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/krl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every SSH CA's revocations in one KRL
         * @description One binary OpenSSH KRL with a section for each CA of the team: sshd takes a single `RevokedKeys` file, and a server that trusts an old and a new CA during a rotation needs both CAs' revocations. `keyhold ssh krl --out FILE` (without `--ca`) writes it.
         */
        get: operations["get-ssh-krl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List SSH certificate roles */
        get: operations["list-ssh-roles"];
        put?: never;
        /**
         * Create an SSH certificate role
         * @description What certificates from the role may say: principals (exact names or `*`-patterns), TTLs (`15m`, `8h`), extensions and critical options (user certificates).
         */
        post: operations["create-ssh-role"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ssh/roles/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an SSH certificate role */
        get: operations["get-ssh-role"];
        put?: never;
        post?: never;
        /**
         * Delete an SSH certificate role
         * @description Certificates issued from it stay valid until they expire (revoke them to end them sooner).
         */
        delete: operations["delete-ssh-role"];
        options?: never;
        head?: never;
        /**
         * Change an SSH certificate role
         * @description Certificates already issued keep what they say; revoke them to take it back.
         */
        patch: operations["update-ssh-role"];
        trace?: never;
    };
    "/v1/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List teams */
        get: operations["list-teams"];
        put?: never;
        /**
         * Create a team
         * @description A new team and its first `root` token, shown in this answer only: hand it to the team.
         */
        post: operations["create-team"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/teams/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a team
         * @description Refused (409) while the team owns private keys or projects, and for the caller's own team. Its tokens are deleted with it.
         */
        delete: operations["delete-team"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tokens
         * @description The team's tokens with their state and last use; never their secrets.
         */
        get: operations["list-tokens"];
        put?: never;
        /**
         * Create a token
         * @description A token of the caller's team, shown in this answer only. It can hold only abilities the calling token holds (403 otherwise).
         */
        post: operations["create-token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a token
         * @description It stops working at once, in every process (its console sessions end too). It stays listed as revoked.
         */
        delete: operations["revoke-token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The team's usage
         * @description The team's verification answers per minute, hour or day, by outcome code (unknown and malformed keys presented with the team's `verify` tokens included, under no key), and its top keys by answers and by refusals over the window.
         */
        get: operations["get-team-usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints */
        get: operations["list-webhooks"];
        put?: never;
        /**
         * Create a webhook endpoint
         * @description Events of the subscribed types are POSTed to `url`, signed per Standard Webhooks with the secret in this answer (shown once). See docs/webhooks.md.
         */
        post: operations["create-webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint */
        get: operations["get-webhook"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint */
        delete: operations["delete-webhook"];
        options?: never;
        head?: never;
        /**
         * Update a webhook endpoint
         * @description URL, events, description, and `enabled` (turning an endpoint disabled after repeated failures back on).
         */
        patch: operations["update-webhook"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an endpoint's deliveries
         * @description Newest first: status, attempts, the last answer (status, first 1 KB, latency) and times.
         */
        get: operations["list-webhook-deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description Sends the event again, due at once, under the same `webhook-id` (receivers that de-duplicate see one event). A pending delivery (a retry is scheduled) is itself made due now, so the manual attempt replaces the scheduled one: the event is sent once. A delivered or failed one gets a new delivery, unless one of its event is already pending, which is then made due now. 409 while an attempt of it is in flight.
         */
        post: operations["redeliver-webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description Makes a new signing secret, shown in this answer only. For `grace_seconds` (default a day) the previous secret keeps signing beside it: each message carries two signatures in `webhook-signature`, and a Standard Webhooks verifier with either secret accepts it. A rotation during a grace period drops the oldest secret.
         */
        post: operations["rotate-webhook-secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description Sends a `webhook.test` event to this endpoint only, whatever it subscribes to, signed like every event; its delivery (and what the receiver answered) shows in the delivery log. 409 when the endpoint is disabled.
         */
        post: operations["test-webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiKey: {
            project_id: number;
            region_id: number;
            name: string;
            description: string;
            containers: {
                /** @description Container name */
                name: string;
                /** @description Its namespace */
                namespace: string;
            }[];
            /** @description Never expires, when null */
            expire: string | null;
            is_disabled: boolean;
            status: "Active" | "Disabled" | "Expired";
            source: string;
            /** @description The first characters of the secret, to recognise it */
            secret_prefix: string;
            /** Format: date-time */
            created_at: string;
            /** @description Never admitted by a gateway, when null (accurate to a minute) */
            last_used_at: string | null;
            /** @description While the secret a reroll replaced still verifies (its grace period), when that ends; otherwise null */
            rotating_until: string | null;
            /** @description No limit, when null */
            rate_limit: components["schemas"]["RateLimit"] | null;
        };
        ApiKeyCreate: {
            project_id: number;
            region_id: number;
            /** @description Lower-case letters, digits and `-`; 2 to 64 */
            name: string;
            description?: string;
            /** @description The containers the key opens */
            containers: {
                /** @description Container name */
                name: string;
                /** @description Its namespace */
                namespace: string;
            }[];
            /** @description Never expires, when null or absent */
            expire?: string | null;
            is_disabled?: boolean;
            /** @description At most this many verifications per window; none when null or absent */
            rate_limit?: components["schemas"]["RateLimit"] | null;
        };
        ApiKeyCreated: {
            project_id: number;
            region_id: number;
            name: string;
            description: string;
            containers: {
                /** @description Container name */
                name: string;
                /** @description Its namespace */
                namespace: string;
            }[];
            /** @description Never expires, when null */
            expire: string | null;
            is_disabled: boolean;
            status: "Active" | "Disabled" | "Expired";
            source: string;
            /** @description The first characters of the secret, to recognise it */
            secret_prefix: string;
            /** Format: date-time */
            created_at: string;
            /** @description Never admitted by a gateway, when null (accurate to a minute) */
            last_used_at: string | null;
            /** @description While the secret a reroll replaced still verifies (its grace period), when that ends; otherwise null */
            rotating_until: string | null;
            /** @description No limit, when null */
            rate_limit: components["schemas"]["RateLimit"] | null;
            /** @description Shown in this answer only */
            secret: string;
            /** @description Present when the change was made but may not be what was meant, e.g. an expiry in the past */
            warnings?: string[];
        };
        ApiKeyPage: {
            keys: components["schemas"]["ApiKey"][];
            next_cursor: string | null;
        };
        ApiKeyReroll: {
            /**
             * @description How long the current secret keeps verifying (0 to 30 days); 0 or absent: it stops at once
             * @default 0
             */
            grace_seconds?: number;
        };
        /** @description Fields left out keep their value */
        ApiKeyUpdate: {
            description?: string;
            containers?: {
                /** @description Container name */
                name: string;
                /** @description Its namespace */
                namespace: string;
            }[];
            /** @description null clears the expiry */
            expire?: string | null;
            is_disabled?: boolean;
            /** @description null removes the limit */
            rate_limit?: components["schemas"]["RateLimit"] | null;
        };
        ApiKeyUpdated: {
            project_id: number;
            region_id: number;
            name: string;
            description: string;
            containers: {
                /** @description Container name */
                name: string;
                /** @description Its namespace */
                namespace: string;
            }[];
            /** @description Never expires, when null */
            expire: string | null;
            is_disabled: boolean;
            status: "Active" | "Disabled" | "Expired";
            source: string;
            /** @description The first characters of the secret, to recognise it */
            secret_prefix: string;
            /** Format: date-time */
            created_at: string;
            /** @description Never admitted by a gateway, when null (accurate to a minute) */
            last_used_at: string | null;
            /** @description While the secret a reroll replaced still verifies (its grace period), when that ends; otherwise null */
            rotating_until: string | null;
            /** @description No limit, when null */
            rate_limit: components["schemas"]["RateLimit"] | null;
            /** @description Present when the change was made but may not be what was meant, e.g. an expiry in the past */
            warnings?: string[];
        };
        AuditEntry: {
            id: number;
            /** Format: date-time */
            at: string;
            /** @example token:12 */
            actor: string;
            token_id: number | null;
            /** @example private_key.update */
            action: string;
            /** @example private_key */
            resource_type: string;
            resource_id: string;
            /** @description Names of the fields that changed, never their values */
            changed_fields: string[];
            ip: string | null;
            request_id: string | null;
            /** @description What the action was about beyond field names, e.g. for `private_key.sign`: outcome, purpose, user, host_fingerprint, key_fingerprint, forwarded, reason */
            detail: {
                [key: string]: unknown;
            } | null;
        };
        AuditPage: {
            events: components["schemas"]["AuditEntry"][];
            next_cursor: string | null;
        };
        AuditVerdict: {
            ok: boolean;
            /** @description Entries that verified (before the break, when broken) */
            verified: number;
            /** @description The first entry changed, inserted, or following removed ones (null: the chain end itself) */
            broken_at?: number | null;
            reason?: string;
        };
        /** CaasApiKeyCreateResultSerializer */
        CaasApiKeyCreateResultSerializer: {
            /**
             * Containers
             * @description List of containers using key
             * @example [
             *       {
             *         "name": "my-container",
             *         "namespace": "space"
             *       }
             *     ]
             */
            containers: components["schemas"]["CaasNamespacedName"][];
            /**
             * Created At
             * Format: date-time
             * @description Key starts to work
             * @example 2023-08-22T11:21:00Z
             */
            created_at: string;
            /**
             * Description
             * @description Key description
             * @example my first key
             */
            description: string;
            /**
             * Expire
             * @description Key expires at
             * @example 2023-07-31T00:00:00Z
             */
            expire: string | null;
            /**
             * Is Disabled
             * @description Set to true if key is disabled
             * @example false
             */
            is_disabled: boolean;
            /**
             * Name
             * @description Key name
             * @example my-key
             */
            name: string;
            /**
             * Source
             * @description Source of the apikey, can be 'cloud' or 'iate'
             * @example cloud
             */
            source: string;
            /**
             * Status
             * @description Key status
             * @example Expired
             */
            status: string;
            /**
             * Secret
             * @description Secret api key
             * @example my-secret
             */
            secret: string;
        };
        /** CaasApiKeyCreateSerializer */
        CaasApiKeyCreateSerializer: {
            /**
             * Containers
             * @description List of containers using key
             * @example [
             *       {
             *         "name": "my-container",
             *         "namespace": "space"
             *       }
             *     ]
             */
            containers: components["schemas"]["CaasNamespacedName"][];
            /**
             * Description
             * @description Key description
             * @default
             * @example my first key
             */
            description?: string;
            /**
             * Expire
             * @description Key expires at
             * @default null
             * @example 2023-07-31T00:00:00Z
             */
            expire?: string | null;
            /**
             * Is Disabled
             * @description Set to true if key is disabled
             * @default false
             * @example false
             */
            is_disabled?: boolean;
            /**
             * Name
             * @description Key name
             * @example my-key
             */
            name: string;
        };
        /** CaasApiKeyListSerializer */
        CaasApiKeyListSerializer: {
            /**
             * Count
             * @description Number of objects
             * @example 1
             */
            count: number;
            /**
             * Results
             * @description Objects
             */
            results: components["schemas"]["CaasApiKeySerializer"][];
        };
        /** CaasApiKeySerializer */
        CaasApiKeySerializer: {
            /**
             * Containers
             * @description List of containers using key
             * @example [
             *       {
             *         "name": "my-container",
             *         "namespace": "space"
             *       }
             *     ]
             */
            containers: components["schemas"]["CaasNamespacedName"][];
            /**
             * Created At
             * Format: date-time
             * @description Key starts to work
             * @example 2023-08-22T11:21:00Z
             */
            created_at: string;
            /**
             * Description
             * @description Key description
             * @example my first key
             */
            description: string;
            /**
             * Expire
             * @description Key expires at
             * @example 2023-07-31T00:00:00Z
             */
            expire: string | null;
            /**
             * Is Disabled
             * @description Set to true if key is disabled
             * @example false
             */
            is_disabled: boolean;
            /**
             * Name
             * @description Key name
             * @example my-key
             */
            name: string;
            /**
             * Source
             * @description Source of the apikey, can be 'cloud' or 'iate'
             * @example cloud
             */
            source: string;
            /**
             * Status
             * @description Key status
             * @example Expired
             */
            status: string;
        };
        /** CaasApiKeyUpdateSerializer */
        CaasApiKeyUpdateSerializer: {
            /**
             * Containers
             * @description List of containers using key
             * @default null
             * @example [
             *       {
             *         "name": "my-container",
             *         "namespace": "space"
             *       }
             *     ]
             */
            containers?: components["schemas"]["CaasNamespacedName"][] | null;
            /**
             * Description
             * @description Key description
             * @default null
             * @example my first key
             */
            description?: string | null;
            /**
             * Expire
             * @description Key expires at
             * @default null
             * @example 2023-07-31T00:00:00Z
             */
            expire?: string | null;
            /**
             * Is Disabled
             * @description Set to true if key is disabled
             * @default null
             * @example false
             */
            is_disabled?: boolean | null;
        };
        /** CaasNamespacedName */
        CaasNamespacedName: {
            /**
             * Name
             * @description Container name
             * @example my-container
             */
            name: string;
            /**
             * Namespace
             * @description Namespace name
             * @example space
             */
            namespace: string;
        };
        /** @description keyhold's error body */
        Error: {
            error: {
                /** @description What kind of failure: each maps to one HTTP status (unsupported_media_type: 415, for bodies an HTML form can send) */
                code: "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable" | "internal" | "unsupported_media_type";
                message: string;
                /** @description Also sent as X-Request-Id */
                request_id: string;
            };
        };
        /** @description Gcore's error body */
        GcoreError: {
            /** @example ValidationError */
            exception_class: string;
            /** @example Validation Error: {'name': ['Field required']} */
            message: string;
            /** @example 3f1c0d2e9a8b4c7d8e6f5a4b3c2d1e0f */
            request_id: string;
            /**
             * @description Validation errors only: field path → messages
             * @example {
             *       "name": [
             *         "Field required"
             *       ]
             *     }
             */
            invalid_fields?: {
                [key: string]: string[];
            };
        };
        IssuedToken: {
            id: number;
            name: string;
            abilities: ("root" | "read" | "write" | "read:sensitive" | "verify" | "verify:all" | "sign" | "certify" | "admin")[];
            state: "active" | "revoked" | "expired";
            /** Format: date-time */
            created_at: string;
            /** @description Never, when null */
            expires_at: string | null;
            /** @description Not revoked, when null */
            revoked_at: string | null;
            /** @description Never used, when null (accurate to a minute) */
            last_used_at: string | null;
            /** @description The private keys (uuids) it is restricted to: it sees and signs with only these; null: all of its team's */
            private_keys: string[] | null;
            /** @description The SSH certificate roles it may issue from; null: all of its team's */
            ssh_roles: string[] | null;
            /** @description The token itself: shown in this answer only, stored only as a digest */
            token: string;
        };
        KeyRefusals: {
            /** @description The key's newest refusals, newest first (at most 100 are kept per key) */
            refusals: {
                /**
                 * Format: date-time
                 * @description When
                 */
                at: string;
                /** @description Why the key was refused */
                code: "DISABLED" | "EXPIRED" | "FORBIDDEN_CONTAINER" | "RATE_LIMITED";
                /** @description The container asked for */
                container: {
                    name: string;
                    namespace: string;
                };
                /** @description The client's address (as KEYHOLD_TRUST_PROXY sees it) */
                ip: string | null;
                /** @description The request's id (its X-Request-Id answer header and log lines) */
                request_id: string | null;
            }[];
        };
        KeyUsage: {
            granularity: "minute" | "hour" | "day";
            /**
             * Format: date-time
             * @description Start of the window (inclusive), aligned to the granularity
             */
            from: string;
            /**
             * Format: date-time
             * @description End of the window (exclusive), aligned to the granularity
             */
            to: string;
            /** @description Every point of the window, oldest first, empty ones included */
            series: {
                /**
                 * Format: date-time
                 * @description Start of the point
                 */
                start: string;
                counts: components["schemas"]["UsageCounts"];
            }[];
        };
        Me: {
            token: components["schemas"]["Token"];
            team: components["schemas"]["Team"];
            /** @description Present when the caller came through a console session */
            session: {
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                expires_at: string;
                /** Format: date-time */
                idle_expires_at: string;
            } | null;
        };
        Overview: {
            private_keys: number;
            api_keys: {
                active: number;
                disabled: number;
                expired: number;
            };
            /** @description Live tokens */
            tokens: number;
            projects: number;
            /** @description The team's verification answers, per minute, over the last hour: every process's as persisted (flushed every KEYHOLD_USAGE_FLUSH_MS) plus this process's unflushed counts */
            verifications: {
                /**
                 * Format: date-time
                 * @description Start of the minute
                 */
                at: string;
                counts: {
                    VALID: number;
                    MALFORMED: number;
                    NOT_FOUND: number;
                    DISABLED: number;
                    EXPIRED: number;
                    FORBIDDEN_CONTAINER: number;
                    RATE_LIMITED: number;
                };
            }[];
        };
        /** @description Private Key model */
        PrivateKey: {
            id?: number;
            uuid?: string;
            name?: string;
            description?: string | null;
            /**
             * Format: private-key
             * @description Only for tokens with `read:sensitive` or `root`.
             */
            private_key?: string;
            /** @description The public key of the private key. */
            public_key?: string;
            /** @description The fingerprint of the private key. */
            fingerprint?: string;
            is_git_related?: boolean;
            team_id?: number;
            created_at?: string;
            updated_at?: string;
        };
        Project: {
            id: number;
            name: string;
            /** Format: date-time */
            created_at: string;
            /** @description API keys in the project */
            keys: number;
        };
        ProjectCreate: {
            /** @description Gcore `project_id`; the next free one when absent */
            id?: number;
            /** @description A label */
            name?: string;
        };
        RateLimit: {
            /** @description Admissions allowed per window */
            limit: number;
            /** @description The window, in seconds (fixed windows aligned to the clock) */
            window_seconds: number;
        };
        Region: {
            id: number;
            name: string;
            /** Format: date-time */
            created_at: string;
        };
        RegionCreate: {
            /** @description Gcore `region_id` */
            id: number;
            /** @description A label */
            name: string;
        };
        RevealedSshKey: {
            uuid: string;
            private_key: string;
        };
        /** @description A `session-bind@openssh.com` binding the agent received (OpenSSH PROTOCOL.agent) */
        SessionBinding: {
            /** @description The server host key blob (SSH wire format) */
            host_key: string;
            /** @description The SSH session identifier */
            session_id: string;
            /** @description The host's signature over the session identifier */
            signature: string;
            /** @description The binding is for agent forwarding rather than authentication */
            forwarding: boolean;
        };
        SessionCreate: {
            /** @description A keyhold token */
            token: string;
        };
        SetupRequest: {
            /** @description The setup link's code */
            code: string;
            /** @description Letters, digits, `.`, `_`, `-`; 1 to 64 */
            team: string;
        };
        SetupResult: {
            team: components["schemas"]["Team"];
            token: components["schemas"]["IssuedToken"];
            me: components["schemas"]["Me"];
        };
        SetupState: {
            /** @description No team exists yet: the setup link printed at start works */
            fresh: boolean;
        };
        SignRequest: {
            /** @description The bytes the SSH client asked its agent to sign: a publickey userauth request, or SSHSIG signed data */
            data: string;
            /** @description The agent request's flags: 2 asks rsa-sha2-256, 4 rsa-sha2-512 (RSA keys sign ssh-rsa only without either) */
            flags?: number;
            /** @description Every binding the agent connection received, oldest first */
            session_binds?: components["schemas"]["SessionBinding"][];
        };
        SignResponse: {
            /** @description The SSH signature blob (`string algorithm, string signature`), base64 */
            signature: string;
            /**
             * @example ssh-ed25519
             * @example rsa-sha2-512
             */
            algorithm: string;
            /** @example SHA256:… */
            key_fingerprint: string;
        };
        SigningPolicy: {
            /** @description Host keys the key may log in to; empty: any host */
            hosts: string[];
            /** @description Remote users it may log in as; empty: any */
            users: string[];
            purposes: ("ssh" | "git" | "file")[];
            /** @description Whether a request through a forwarded agent connection is signed */
            forwarding: boolean;
        };
        /** @description Replaces the previous policy whole: fields left out take their defaults */
        SigningPolicyInput: {
            /** @description Host keys the key may log in to; empty or absent: any host */
            hosts?: string[];
            /** @description Remote users it may log in as; empty or absent: any */
            users?: string[];
            /** @description Default `["ssh"]` */
            purposes?: ("ssh" | "git" | "file")[];
            /** @description Default false */
            forwarding?: boolean;
        };
        SshCa: {
            name: string;
            /** @description `user` certificates log people and jobs in; `host` certificates prove servers */
            type: "user" | "host";
            /** @description The line for TrustedUserCAKeys, or after `@cert-authority <hosts>` in known_hosts */
            public_key: string;
            /** @example SHA256:… */
            fingerprint: string;
            /** @description The stored SSH key that signs (it cannot be deleted or replaced while the CA exists) */
            private_key_uuid: string;
            /** Format: date-time */
            created_at: string;
        };
        SshCaCreate: {
            /** @description Names the CA in its team */
            name: string;
            /** @description `user` certificates log people and jobs in; `host` certificates prove servers */
            type: "user" | "host";
            /** @description An existing stored key to sign with; without it keyhold generates an Ed25519 key (stored like any private key) */
            private_key_uuid?: string;
        };
        SshCertificate: {
            serial: number;
            ca: string;
            role: string;
            /** @description `user` certificates log people and jobs in; `host` certificates prove servers */
            type: "user" | "host";
            key_id: string;
            principals: string[];
            /** Format: date-time */
            valid_after: string;
            /** Format: date-time */
            valid_before: string;
            /** @description The subject's public key (keyhold never sees its private key) */
            public_key: string;
            public_key_fingerprint: string;
            /** @description Who asked for it: `token:<id>` or `cli` */
            requested_by: string;
            /** Format: date-time */
            created_at: string;
            revoked_at: string | null;
            revoked_by: string | null;
            state: "active" | "expired" | "revoked";
        };
        SshCertificateIssue: {
            /** @description The role to issue from */
            role: string;
            /**
             * @description One OpenSSH public key line, as in a `.pub` file
             * @example ssh-ed25519 AAAAC3… alice@laptop
             */
            public_key: string;
            /** @description Default: the role's exact principals */
            principals?: string[];
            /**
             * @description Default: the role's default_ttl; at most its max_ttl
             * @example 15m
             * @example 8h
             */
            ttl?: string;
            /** @description What sshd logs and KRLs can revoke by; default `<who asked>@<role>` */
            key_id?: string;
        };
        SshCertificateIssued: {
            /** @description Unique across every CA of this keyhold, never reused */
            serial: number;
            /** @description The one-line OpenSSH certificate (`ssh-ed25519-cert-v01@openssh.com AAAA…`), for `<key>-cert.pub` */
            certificate: string;
            key_id: string;
            principals: string[];
            /**
             * Format: date-time
             * @description Backdated a minute for clock skew
             */
            valid_after: string;
            /** Format: date-time */
            valid_before: string;
        };
        SshCertificatePage: {
            certificates: components["schemas"]["SshCertificate"][];
            next_cursor: string | null;
        };
        SshKey: {
            uuid: string;
            name: string;
            description: string | null;
            /** @example ssh-ed25519 */
            key_type: string;
            /**
             * @description As ssh-keygen -l prints it
             * @example SHA256:…
             */
            fingerprint: string | null;
            public_key: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description What keyhold signs with the key (docs/ssh-agent.md); null: the default (SSH logins to any host as any user, no forwarding) */
            signing: components["schemas"]["SigningPolicy"] | null;
        };
        SshKeyCreate: {
            /** @description A label */
            name: string;
            description?: string;
            /** @description PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH, unencrypted */
            private_key: string;
        };
        /** @description Fields left out keep their value; `private_key` replaces the key pair */
        SshKeyUpdate: {
            /** @description A label */
            name?: string;
            description?: string | null;
            /** @description PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH, unencrypted */
            private_key?: string;
            /** @description Replaces the signing policy whole; null clears it back to the default */
            signing?: components["schemas"]["SigningPolicyInput"] | null;
        };
        SshRevocation: {
            kind: "key_id" | "public_key";
            value: string;
            revoked_by: string;
            /** Format: date-time */
            created_at: string;
        };
        /** @description Exactly one of key_id and public_key (a public key: every certificate of it, and the key itself) */
        SshRevocationCreate: {
            /** @description Revoke every certificate of this CA with this key id */
            key_id?: string;
            /**
             * @description One OpenSSH public key line, as in a `.pub` file
             * @example ssh-ed25519 AAAAC3… alice@laptop
             */
            public_key?: string;
        };
        SshRole: {
            name: string;
            ca: string;
            /** @description Exact names and `*`-patterns */
            principals: string[];
            /** @example 8h */
            max_ttl: string;
            /** @example 15m */
            default_ttl: string;
            /** @description What a user certificate permits (OpenSSH's defaults unless the role says otherwise); none for host certificates */
            extensions: string[];
            /** @description User certificates only */
            critical_options: {
                /** @description The command sshd runs, whatever the client asks */
                "force-command"?: string;
                /** @description Comma-separated addresses and CIDRs the certificate is valid from */
                "source-address"?: string;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        SshRoleCreate: {
            /** @description Names the role in its team */
            name: string;
            /** @description The CA that signs */
            ca: string;
            /** @description Exact names and `*`-patterns each certificate principal must match */
            principals: string[];
            /**
             * @description The longest lifetime a certificate may ask for
             * @example 15m
             * @example 8h
             */
            max_ttl: string;
            /**
             * @description The lifetime when none is asked for
             * @example 15m
             * @example 8h
             */
            default_ttl: string;
            /** @description User certificates' extensions; absent or null: OpenSSH's defaults (permit-X11-forwarding, permit-agent-forwarding, permit-port-forwarding, permit-pty, permit-user-rc); [] for none */
            extensions?: string[] | null;
            /** @description User certificates only */
            critical_options?: {
                /** @description The command sshd runs, whatever the client asks */
                "force-command"?: string;
                /** @description Comma-separated addresses and CIDRs the certificate is valid from */
                "source-address"?: string;
            };
        };
        /** @description Fields left out keep their value */
        SshRoleUpdate: {
            /** @description Exact names and `*`-patterns each certificate principal must match */
            principals?: string[];
            /**
             * @description The longest lifetime a certificate may ask for
             * @example 15m
             * @example 8h
             */
            max_ttl?: string;
            /**
             * @description The lifetime when none is asked for
             * @example 15m
             * @example 8h
             */
            default_ttl?: string;
            /** @description User certificates' extensions; absent or null: OpenSSH's defaults (permit-X11-forwarding, permit-agent-forwarding, permit-port-forwarding, permit-pty, permit-user-rc); [] for none */
            extensions?: string[] | null;
            /** @description User certificates only */
            critical_options?: {
                /** @description The command sshd runs, whatever the client asks */
                "force-command"?: string;
                /** @description Comma-separated addresses and CIDRs the certificate is valid from */
                "source-address"?: string;
            };
        };
        Team: {
            id: number;
            name: string;
            /** Format: date-time */
            created_at: string;
        };
        TeamCreate: {
            /** @description Letters, digits, `.`, `_`, `-`; 1 to 64 */
            name: string;
        };
        /** @description The new team and its first `root` token (shown once) */
        TeamCreated: {
            team: components["schemas"]["Team"];
            token: components["schemas"]["IssuedToken"];
        };
        TeamUsage: {
            granularity: "minute" | "hour" | "day";
            /**
             * Format: date-time
             * @description Start of the window (inclusive), aligned to the granularity
             */
            from: string;
            /**
             * Format: date-time
             * @description End of the window (exclusive), aligned to the granularity
             */
            to: string;
            /** @description Every point of the window, oldest first: all the team's answers, unknown and malformed keys presented with the team's verify tokens included */
            series: {
                /**
                 * Format: date-time
                 * @description Start of the point
                 */
                start: string;
                counts: components["schemas"]["UsageCounts"];
            }[];
            /** @description At most 10 keys with the most answers in the window, most first (deleted keys left out) */
            top_keys: components["schemas"]["UsageTopKey"][];
            /** @description At most 10 keys with the most refusals (any code but VALID) in the window, most first */
            top_refused_keys: components["schemas"]["UsageTopKey"][];
        };
        Token: {
            id: number;
            name: string;
            abilities: ("root" | "read" | "write" | "read:sensitive" | "verify" | "verify:all" | "sign" | "certify" | "admin")[];
            state: "active" | "revoked" | "expired";
            /** Format: date-time */
            created_at: string;
            /** @description Never, when null */
            expires_at: string | null;
            /** @description Not revoked, when null */
            revoked_at: string | null;
            /** @description Never used, when null (accurate to a minute) */
            last_used_at: string | null;
            /** @description The private keys (uuids) it is restricted to: it sees and signs with only these; null: all of its team's */
            private_keys: string[] | null;
            /** @description The SSH certificate roles it may issue from; null: all of its team's */
            ssh_roles: string[] | null;
        };
        TokenCreate: {
            /** @description What the token is for */
            name: string;
            /** @description Only abilities the calling token holds itself */
            abilities: ("root" | "read" | "write" | "read:sensitive" | "verify" | "verify:all" | "sign" | "certify" | "admin")[];
            /** @description Lifetime in seconds; never expires when absent */
            expires_in?: number;
            /** @description Restrict the token to these private keys (uuids): it sees and signs with only them. A restricted caller's tokens are restricted at least as much. */
            private_keys?: string[];
            /** @description Restrict the token's `certify` to these SSH certificate roles. A restricted caller's tokens are restricted at least as much. */
            ssh_roles?: string[];
        };
        /** @description Answers by outcome code; every code is present (0 when none) */
        UsageCounts: {
            VALID: number;
            RATE_LIMITED: number;
            DISABLED: number;
            EXPIRED: number;
            FORBIDDEN_CONTAINER: number;
            NOT_FOUND: number;
            MALFORMED: number;
        };
        UsageTopKey: {
            project_id: number;
            region_id: number;
            name: string;
            /** @description Answers of every code */
            total: number;
            /** @description Answers of every code but VALID */
            refused: number;
            counts: components["schemas"]["UsageCounts"];
        };
        VerifyRequest: {
            /**
             * @description The API key secret a client presented
             * @example khk_…
             */
            key: string;
            container: {
                /** @example my-container */
                name: string;
                /**
                 * @default default
                 * @example space
                 */
                namespace?: string;
            };
            /** @description Only keys of this project are accepted */
            project_id?: number;
            /** @description Only keys of this region are accepted */
            region_id?: number;
        };
        VerifyResponse: {
            valid: boolean;
            /** @description MALFORMED: the checksum fails (no database lookup). FORBIDDEN_CONTAINER: the key is valid but not bound to that container. RATE_LIMITED: the key is over its rate limit (see `retry_after`). */
            code: "VALID" | "MALFORMED" | "NOT_FOUND" | "DISABLED" | "EXPIRED" | "FORBIDDEN_CONTAINER" | "RATE_LIMITED";
            key: {
                name: string;
                project_id: number;
                region_id: number;
                /** @example Active */
                status: string;
                expire: string | null;
                containers: {
                    name: string;
                    namespace: string;
                }[];
            } | null;
            /** @description RATE_LIMITED only: seconds until the key's rate-limit window ends */
            retry_after?: number;
            /** @description Present when the key is a rerolled key's previous secret, still in its grace period: when that ends. Move the client to the new secret before then. */
            rotating_until?: string | null;
        };
        Webhook: {
            /** @example wh_3k2… */
            id: string;
            url: string;
            events: string[];
            description: string;
            enabled: boolean;
            /** @description When it was disabled (by a user, or after failing for 3 days); null while enabled */
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description Every attempt since then has failed; null while deliveries succeed */
            failing_since: string | null;
            /** @description The endpoint keeps failing: none of its deliveries is attempted before then (a redeliver ends it); null while it does not back off */
            backoff_until: string | null;
            /** @description After a signing-secret rotation: until then the previous secret signs beside the new one (two signatures in webhook-signature); null when only one secret signs */
            previous_secret_until: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        WebhookCreate: {
            /** @description https:// or http://; private, loopback and link-local addresses are refused unless the server allows them */
            url: string;
            /** @description What the endpoint receives */
            events: ("api_key.created" | "api_key.updated" | "api_key.disabled" | "api_key.enabled" | "api_key.deleted" | "api_key.rerolled" | "api_key.expiring" | "api_key.expired" | "private_key.created" | "private_key.updated" | "private_key.deleted" | "private_key.revealed" | "token.created" | "token.revoked" | "master_key.rotated" | "ssh_certificate.issued" | "ssh_certificate.revoked" | "webhook.disabled" | "*")[];
            description?: string;
        };
        WebhookCreated: {
            /** @example wh_3k2… */
            id: string;
            url: string;
            events: string[];
            description: string;
            enabled: boolean;
            /** @description When it was disabled (by a user, or after failing for 3 days); null while enabled */
            disabled_at: string | null;
            disabled_reason: string | null;
            /** @description Every attempt since then has failed; null while deliveries succeed */
            failing_since: string | null;
            /** @description The endpoint keeps failing: none of its deliveries is attempted before then (a redeliver ends it); null while it does not back off */
            backoff_until: string | null;
            /** @description After a signing-secret rotation: until then the previous secret signs beside the new one (two signatures in webhook-signature); null when only one secret signs */
            previous_secret_until: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The signing secret (`whsec_…`, Standard Webhooks): shown in this answer only */
            secret: string;
        };
        WebhookDelivery: {
            id: number;
            /** @description The `webhook-id` header of every attempt */
            event_id: string;
            event_type: string;
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description The last attempt's HTTP status; null when it got no answer */
            response_status: number | null;
            /** @description Its first 1 KB */
            response_body: string | null;
            /** @description Why the last attempt got no answer (refused target, timeout, connection error) */
            error: string | null;
            latency_ms: number | null;
            /** Format: date-time */
            created_at: string;
            /** @description Not attempted yet, when null */
            last_attempt_at: string | null;
            /** @description When pending: the next attempt */
            next_attempt_at: string | null;
            /** @description Not delivered (yet), when null */
            delivered_at: string | null;
        };
        WebhookDeliveryPage: {
            deliveries: components["schemas"]["WebhookDelivery"][];
            next_cursor: string | null;
        };
        WebhookSecretRotation: {
            /**
             * @description How long the previous secret keeps signing beside the new one, so receivers can switch without losing a message (default a day; 0: at once)
             * @default 86400
             */
            grace_seconds?: number;
        };
        /** @description Fields left out keep their value */
        WebhookUpdate: {
            /** @description https:// or http://; private, loopback and link-local addresses are refused unless the server allows them */
            url?: string;
            /** @description What the endpoint receives */
            events?: ("api_key.created" | "api_key.updated" | "api_key.disabled" | "api_key.enabled" | "api_key.deleted" | "api_key.rerolled" | "api_key.expiring" | "api_key.expired" | "private_key.created" | "private_key.updated" | "private_key.deleted" | "private_key.revealed" | "token.created" | "token.revoked" | "master_key.rotated" | "ssh_certificate.issued" | "ssh_certificate.revoked" | "webhook.disabled" | "*")[];
            description?: string;
            /** @description `true` turns a disabled endpoint back on and forgets its failures */
            enabled?: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    root: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To /ui. */
            302: {
                headers: {
                    /** @description /ui */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    healthcheck: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    "list-private-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Get all private keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivateKey"][];
                };
            };
            /** @description Invalid request: the body is not JSON, not an object, or empty; or the token is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Invalid request. */
                        message?: string;
                        /** @example Invalid JSON. */
                        error?: string;
                    };
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    "create-private-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    /** @description PEM or OpenSSH text; on create, base64 of it is accepted too. */
                    private_key: string;
                };
            };
        };
        responses: {
            /** @description The created private key's UUID. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uuid?: string;
                    };
                };
            };
            /** @description Invalid request: the body is not JSON, not an object, or empty; or the token is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Invalid request. */
                        message?: string;
                        /** @example Invalid JSON. */
                        error?: string;
                    };
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Validation error. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Validation error. */
                        message?: string;
                        /**
                         * @example {
                         *       "private_key": [
                         *         "The private key field is required."
                         *       ]
                         *     }
                         */
                        errors?: {
                            [key: string]: string[];
                        };
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    "get-private-key-by-uuid": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Private Key UUID */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Get all private keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrivateKey"];
                };
            };
            /** @description Invalid request: the body is not JSON, not an object, or empty; or the token is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Invalid request. */
                        message?: string;
                        /** @example Invalid JSON. */
                        error?: string;
                    };
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Private Key not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Private Key not found. */
                        message?: string;
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    "delete-private-key-by-uuid": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Private Key UUID */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Private Key deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Private Key deleted. */
                        message?: string;
                    };
                };
            };
            /** @description Invalid request: the body is not JSON, not an object, or empty; or the token is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Invalid request. */
                        message?: string;
                        /** @example Invalid JSON. */
                        error?: string;
                    };
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Private Key not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Private Key not found. */
                        message?: string;
                    };
                };
            };
            /** @description Private Key is in use and cannot be deleted. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Private Key is in use and cannot be deleted. */
                        message?: string;
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    "update-private-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Private Key UUID */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    /** @description PEM or OpenSSH text; on create, base64 of it is accepted too. */
                    private_key: string;
                };
            };
        };
        responses: {
            /** @description The updated private key's UUID. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uuid?: string;
                    };
                };
            };
            /** @description Invalid request: the body is not JSON, not an object, or empty; or the token is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Invalid request. */
                        message?: string;
                        /** @example Invalid JSON. */
                        error?: string;
                    };
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Private Key not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Private Key not found. */
                        message?: string;
                    };
                };
            };
            /** @description Validation error. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Validation error. */
                        message?: string;
                        /**
                         * @example {
                         *       "private_key": [
                         *         "The private key field is required."
                         *       ]
                         *     }
                         */
                        errors?: {
                            [key: string]: string[];
                        };
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    version: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version, as text. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Unauthenticated. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Unauthenticated. */
                        message?: string;
                    };
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Missing required permissions: write */
                        message?: string;
                    };
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example Too Many Attempts. */
                        message?: string;
                    };
                };
            };
        };
    };
    "CaaSAuthKeysHandler.get": {
        parameters: {
            query?: {
                /** @description Optional. Limit the number of returned items */
                limit?: number;
                /** @description Optional. Offset value is used to exclude the first set of records from the result */
                offset?: number;
            };
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaasApiKeyListSerializer"];
                };
            };
            /** @description ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ForbiddenError: the token may not do this (a `read` token writing). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description NotFoundError: no such key in this project and region, or no such project for this token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
        };
    };
    "CaaSAuthKeysHandler.post": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaasApiKeyCreateSerializer"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaasApiKeyCreateResultSerializer"];
                };
            };
            /** @description ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ForbiddenError: the token may not do this (a `read` token writing). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description NotFoundError: no such key in this project and region, or no such project for this token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ConflictError: the name is taken in this project and region. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
        };
    };
    "CaaSAuthKeyHandler.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                key_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaasApiKeySerializer"];
                };
            };
            /** @description ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ForbiddenError: the token may not do this (a `read` token writing). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description NotFoundError: no such key in this project and region, or no such project for this token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
        };
    };
    "CaaSAuthKeyHandler.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                key_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ForbiddenError: the token may not do this (a `read` token writing). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description NotFoundError: no such key in this project and region, or no such project for this token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
        };
    };
    "CaaSAuthKeyHandler.patch": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                key_name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CaasApiKeyUpdateSerializer"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaasApiKeySerializer"];
                };
            };
            /** @description ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description ForbiddenError: the token may not do this (a `read` token writing). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description NotFoundError: no such key in this project and region, or no such project for this token. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcoreError"];
                };
            };
        };
    };
    docs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Swagger UI over /openapi.json. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    /** @description no-store */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4": string;
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    /** @description no-store */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            /** @description Not ready, with the reason. */
            503: {
                headers: {
                    /** @description no-store */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "unavailable";
                        reason: string;
                    };
                };
            };
        };
    };
    console: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The console page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    "list-api-keys": {
        parameters: {
            query?: {
                /** @description Only this project */
                project_id?: number;
                /** @description Only this region */
                region_id?: number;
                status?: "Active" | "Disabled" | "Expired";
                /** @description Part of the name or description, any case */
                q?: string;
                limit?: number;
                /** @description A previous page's next_cursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyPage"];
                };
            };
            /** @description A filter is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Created; copy `secret` now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such project (in the team) or region. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The name is taken in that project and region. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; gateways refuse it at once. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "update-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyUpdate"];
            };
        };
        responses: {
            /** @description The key as it now stands. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyUpdated"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-api-key-refusals": {
        parameters: {
            query?: {
                /** @description How many, newest first */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The refusals. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyRefusals"];
                };
            };
            /** @description A malformed limit. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "reroll-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ApiKeyReroll"];
            };
        };
        responses: {
            /** @description Rerolled; copy `secret` now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-api-key-usage": {
        parameters: {
            query?: {
                /** @description Start of the window (inclusive), rounded down to the granularity; default: 1 h (minute), 24 h (hour) or 30 d (day) before `to` */
                from?: string;
                /** @description End of the window (exclusive), rounded up to the granularity; default: now */
                to?: string;
                /** @description One point per minute, hour or day (UTC), at most 1440 points. Minutes reach back as far as KEYHOLD_RETENTION_USAGE_MINUTES (older minutes are rolled up into hours) */
                granularity?: "minute" | "hour" | "day";
            };
            header?: never;
            path: {
                /** @description Project id */
                project_id: number;
                /** @description Region id */
                region_id: number;
                /** @description Key name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The series. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyUsage"];
                };
            };
            /** @description A bad window: from not before to, too many points for the granularity, or a malformed parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-audit-events": {
        parameters: {
            query?: {
                /** @description From this time on (inclusive) */
                since?: string;
                /** @description Before this time (exclusive) */
                until?: string;
                /** @description Only this actor, e.g. token:12 */
                actor?: string;
                /** @description A key id (`<uuid>`, `1/1/my-key`) or `type:id` */
                resource?: string;
                limit?: number;
                /** @description A previous page's next_cursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description A filter is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "export-audit-trail": {
        parameters: {
            query?: {
                /** @description Entries at or after this time */
                from?: string;
                /** @description Entries before this time */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description NDJSON, one entry a line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description A bad time. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "verify-audit-trail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verdict. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerdict"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "forward-auth": {
        parameters: {
            query?: {
                /** @description Target container name (else the X-Container-Name header) */
                container?: string;
                /** @description Its namespace (else the X-Container-Namespace header, else `default`) */
                namespace?: string;
                /** @description Only keys of this project */
                project_id?: number;
                /** @description Only keys of this region */
                region_id?: number;
            };
            header?: {
                /** @description The client's API key (or send it as `Authorization: Bearer`) */
                "X-API-Key"?: string;
                /** @description Target container (name configurable: KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER) */
                "X-Container-Name"?: string;
                /** @description Its namespace (KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER) */
                "X-Container-Namespace"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Admit. */
            204: {
                headers: {
                    /** @description The key that was presented */
                    "X-Keyhold-Key-Name"?: string;
                    /** @description Its project */
                    "X-Keyhold-Project-Id"?: number;
                    /** @description Its region */
                    "X-Keyhold-Region-Id"?: number;
                    /** @description Only when the key presented is a rerolled key's previous secret: when its grace period ends (RFC 3339) */
                    "X-Keyhold-Rotating-Until"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No target container, or a malformed project_id / region_id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Refuse: no key (MISSING), or MALFORMED, NOT_FOUND, DISABLED or EXPIRED. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        valid: false;
                        /** @example NOT_FOUND */
                        code: string;
                    };
                };
            };
            /** @description Refuse: FORBIDDEN_CONTAINER. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        valid: false;
                        /** @example NOT_FOUND */
                        code: string;
                    };
                };
            };
            /** @description Refuse: RATE_LIMITED, the key is over its rate limit. */
            429: {
                headers: {
                    /** @description Seconds until the key's window ends */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        valid: false;
                        /** @example NOT_FOUND */
                        code: string;
                    };
                };
            };
        };
    };
    "verify-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description The verdict (also for invalid keys). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyResponse"];
                };
            };
            /** @description The body is not a valid verification request. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts and the last hour. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Overview"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team's keys the token sees, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshKey"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token has neither `read` nor `sign`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshKeyCreate"];
            };
        };
        responses: {
            /** @description Stored, encrypted. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshKey"];
                };
            };
            /** @description Not a key keyhold reads. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The team already has this key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key, without its private part. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshKey"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token has neither `read` nor `sign`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "update-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshKeyUpdate"];
            };
        };
        responses: {
            /** @description The key as it now stands. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshKey"];
                };
            };
            /** @description Not a key keyhold reads. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The team already has that key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "reveal-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key text. */
            200: {
                headers: {
                    /** @description no-store */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevealedSshKey"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "sign-with-ssh-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignRequest"];
            };
        };
        responses: {
            /** @description The signature. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignResponse"];
                };
            };
            /** @description Neither a userauth request for this key nor an SSHSIG blob, or a session binding that does not verify. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Refused by the key's policy (host, user, purpose, forwarding) or the token's restriction (key), or the token lacks `sign`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-key-signatures": {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The key's uuid */
                uuid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: components["schemas"]["AuditEntry"][];
                    };
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token has neither `read` nor `sign`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team's projects. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-project": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ProjectCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description That id is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-project": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Project id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such project in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The project holds API keys. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-regions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every region. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Region"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-region": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegionCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Region"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description That id is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionCreate"];
            };
        };
        responses: {
            /** @description Signed in; the cookie is set. */
            201: {
                headers: {
                    /** @description `keyhold_session=…; HttpOnly; SameSite=Strict; Path=/` */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description The token is not valid. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request did not come with a session cookie. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupState"];
                };
            };
        };
    };
    "complete-setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetupRequest"];
            };
        };
        responses: {
            /** @description Set up and signed in. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupResult"];
                };
            };
            /** @description The code is unknown, used or expired. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description keyhold is already set up. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-cas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team's CAs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCa"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-ssh-ca": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshCaCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCa"];
                };
            };
            /** @description The request is not valid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such private key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The name is taken, or the key already signs for a CA. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-ca": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CA. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCa"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-ssh-ca": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The CA has unexpired certificates. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-ca-krl": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The KRL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-ca-public-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-ca-revocations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Oldest first (serials are revoked on the certificates themselves). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshRevocation"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "revoke-ssh-key-id-or-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshRevocationCreate"];
            };
        };
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not exactly one of key_id and public_key, or not a public key. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Already revoked. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-certificates": {
        parameters: {
            query?: {
                /** @description Only this CA */
                ca?: string;
                /** @description Only certificates for this principal */
                principal?: string;
                key_id?: string;
                /** @description true: valid now and not revoked; false: expired or revoked */
                active?: boolean;
                limit?: number;
                /** @description A previous page's next_cursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCertificatePage"];
                };
            };
            /** @description A bad filter or cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "issue-ssh-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshCertificateIssue"];
            };
        };
        responses: {
            /** @description Issued. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCertificateIssued"];
                };
            };
            /** @description Not a public key, a TTL above the role's max_ttl, or a role with only patterns and no principals asked. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A principal outside the role's patterns, a role the token is not restricted to, or no `certify`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such role. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The certificate serial */
                serial: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The certificate. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshCertificate"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such certificate in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "revoke-ssh-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The certificate serial */
                serial: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such certificate in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Already revoked. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-krl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The KRL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-ssh-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team's roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshRole"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-ssh-role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshRoleCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshRole"];
                };
            };
            /** @description The request is not valid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such CA. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-ssh-role": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshRole"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such role. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-ssh-role": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such role. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "update-ssh-role": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshRoleUpdate"];
            };
        };
        responses: {
            /** @description The role as it now stands. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SshRole"];
                };
            };
            /** @description The request is not valid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such role. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every team. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Team"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-team": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TeamCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamCreated"];
                };
            };
            /** @description The name is not valid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A team of that name exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-team": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The team still owns something, or is the caller's. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Created; copy `token` now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedToken"];
                };
            };
            /** @description The request is not valid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An ability the caller does not hold, or the caller is not `root`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "revoke-token": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Token id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such token in the team. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Already revoked. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-team-usage": {
        parameters: {
            query?: {
                /** @description Start of the window (inclusive), rounded down to the granularity; default: 1 h (minute), 24 h (hour) or 30 d (day) before `to` */
                from?: string;
                /** @description End of the window (exclusive), rounded up to the granularity; default: now */
                to?: string;
                /** @description One point per minute, hour or day (UTC), at most 1440 points. Minutes reach back as far as KEYHOLD_RETENTION_USAGE_MINUTES (older minutes are rolled up into hours) */
                granularity?: "minute" | "hour" | "day";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The series and top keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamUsage"];
                };
            };
            /** @description A bad window: from not before to, too many points for the granularity, or a malformed parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team's endpoints, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"][];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "create-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Created; copy `secret` now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description Not a valid request, or a refused target URL. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "get-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "delete-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its delivery log; nothing more is sent to it. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "update-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description The endpoint as it now stands. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Not a valid request, or a refused target URL. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "list-webhook-deliveries": {
        parameters: {
            query?: {
                limit?: number;
                /** @description A previous page's next_cursor */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description A parameter is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "redeliver-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
                /** @description Delivery id */
                delivery_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Due now: the pending delivery itself, or a new one. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint or delivery. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An attempt of this delivery is in flight; its outcome shows in the delivery log within seconds. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "rotate-webhook-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WebhookSecretRotation"];
            };
        };
        responses: {
            /** @description The endpoint, with the new secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rotated at the same moment by another request. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "test-webhook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (`wh_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued, due now. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Missing, unknown, expired or revoked token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token lacks the ability this route needs. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The endpoint is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed authentications from this address. */
            429: {
                headers: {
                    /** @description Seconds to wait. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
