import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startServer } from '../../src/main.js';
import { Counter } from 'prom-client';
import { createMetrics, type Metrics, processMetrics, registerDatabaseMetrics, REQUEST_BUCKETS } from '../../src/metrics.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, testConfig, type TestServer } from '../helpers/server.js';

/** Parses exposition text into `name{labels}` → value, checking every line is well-formed on the way. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        assert.ok(!typed.has(meta[2]!), `${meta[2]} declared twice`);
        assert.match(meta[3]!, /^(counter|gauge|histogram)$/);
        typed.add(meta[2]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/.exec(line);
    assert.ok(m, `malformed sample line: ${JSON.stringify(line)}`);
    const key = `${m[1]}${m[2] ?? ''}`;
    assert.ok(!samples.has(key), `duplicate series ${key}`);
    samples.set(key, Number(m[3] === '+Inf' ? Infinity : m[3]));
  }
  return samples;
}

describe('metrics registry', () => {
  it("keeps keyhold's metric names, types, labels and help texts (dashboards depend on them)", async () => {
    const m = createMetrics();
    m.httpRequests.inc({ method: 'GET', route: '/a/:id', status: 200 });
    m.httpDuration.observe({ method: 'GET', route: '/a/:id', status: 200 }, 0.003);
    m.verifyResults.inc({ code: 'VALID' });
    m.verifyCacheLookups.inc({ result: 'hit' });
    registerDatabaseMetrics(m.registry, { dialect: 'sqlite', stats: () => ({ open: true, idle: 1, inUse: 0, waiting: 0, max: 1 }) });
    const text = await m.registry.metrics();
    const declared = text.split('\n').filter((l) => l.startsWith('# '));
    assert.deepEqual(declared, [
      '# HELP keyhold_http_requests_total HTTP requests answered, by method, route pattern and status.',
      '# TYPE keyhold_http_requests_total counter',
      '# HELP keyhold_http_request_duration_seconds Time from request received to response sent, in seconds.',
      '# TYPE keyhold_http_request_duration_seconds histogram',
      '# HELP keyhold_verify_results_total Verification answers (verify API and forward-auth) by code.',
      '# TYPE keyhold_verify_results_total counter',
      '# HELP keyhold_verify_cache_lookups_total Verification cache lookups by result; hit ratio = hit / (hit + miss). MALFORMED keys never reach the cache.',
      '# TYPE keyhold_verify_cache_lookups_total counter',
      '# HELP keyhold_rate_limit_fail_open_total Verifications of rate-limited keys admitted without counting because Redis could not be reached.',
      '# TYPE keyhold_rate_limit_fail_open_total counter',
      '# HELP keyhold_ssh_signatures_total Signing requests with stored SSH keys (keyhold agent), by outcome (signed, refused) and purpose (ssh, git, file; none when the bytes were for no purpose).',
      '# TYPE keyhold_ssh_signatures_total counter',
      '# HELP keyhold_pruned_rows_total Rows deleted past retention (KEYHOLD_RETENTION_*), by table: events, webhook_deliveries, audit_events, usage_hours; usage_minutes counts minute rows rolled up into hours.',
      '# TYPE keyhold_pruned_rows_total counter',
      '# HELP keyhold_audit_file_lost_total Audit entries committed but not written to KEYHOLD_AUDIT_FILE (it could not be written and KEYHOLD_AUDIT_FILE_FAIL_CLOSED is off); they are in the database.',
      '# TYPE keyhold_audit_file_lost_total counter',
      '# HELP keyhold_database_unavailable_total Database operations refused because the database could not serve (unreachable, read-only, full, locked); each answered 503 or retried later. The log has one line when an outage starts and one when it ends.',
      '# TYPE keyhold_database_unavailable_total counter',
      '# HELP keyhold_db_info The database this process uses.',
      '# TYPE keyhold_db_info gauge',
      '# HELP keyhold_db_open Is the connection (pool) open? 0 once closed at shutdown; reachability is /readyz.',
      '# TYPE keyhold_db_open gauge',
      '# HELP keyhold_db_connections Open database connections by state (PostgreSQL pool: totalCount = idle + in_use).',
      '# TYPE keyhold_db_connections gauge',
      '# HELP keyhold_db_connections_max Largest number of connections the pool may open (KEYHOLD_PG_POOL_MAX; 1 for SQLite).',
      '# TYPE keyhold_db_connections_max gauge',
      '# HELP keyhold_db_pool_waiting Queries waiting for a free pool connection (PostgreSQL waitingCount).',
      '# TYPE keyhold_db_pool_waiting gauge',
    ]);
    const samples = parse(text);
    assert.equal(samples.get('keyhold_http_requests_total{method="GET",route="/a/:id",status="200"}'), 1);
    const buckets = [...samples.keys()].filter((k) => k.startsWith('keyhold_http_request_duration_seconds_bucket')).map((k) => /le="([^"]+)"/.exec(k)![1]);
    assert.deepEqual(buckets, [...REQUEST_BUCKETS.map(String), '+Inf']);
    assert.equal(samples.get('keyhold_db_connections{state="idle"}'), 1);
  });

  it("the process registry adds prom-client's default process and Node.js metrics", async () => {
    const samples = parse(await processMetrics().registry.metrics());
    assert.ok(samples.get('process_resident_memory_bytes')! > 0);
    assert.ok(samples.get('process_start_time_seconds')! > 1.6e9);
    assert.ok(samples.has('process_cpu_seconds_total'));
    assert.ok(samples.get('nodejs_heap_used_bytes')! > 0, 'kept from the hand-written registry');
    assert.ok(samples.has('nodejs_eventloop_lag_seconds'));
  });
});

describe('GET /metrics', () => {
  let s: TestServer;
  let registry: Metrics;
  let root: string;
  before(async () => {
    registry = createMetrics();
    s = await startTestServer({ metrics: registry });
    root = await s.token('root');
  });
  after(() => s.close());

  const scrape = async () => {
    const r = await s.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    return parse(r.text);
  };

  it('counts requests and their latency by route pattern (never the raw URL), method and status', async () => {
    const uuid = (await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'k', private_key: SPEC_ED25519 } })).json().uuid;
    for (let i = 0; i < 3; i++) assert.equal((await s.request('GET', `/api/v1/security/keys/${uuid}?i=${i}`, { token: root })).status, 200);
    assert.equal((await s.request('GET', '/api/v1/security/keys/no-such-key', { token: root })).status, 404);
    assert.equal((await s.request('GET', '/api/v1/security/keys', { token: 'nope' })).status, 401);
    await s.request('GET', '/no/such/path/abc123');
    await s.request('GET', '/v1/no-such-native-route');
    const m = await scrape();
    const route = '/api/v1/security/keys/:uuid';
    assert.equal(m.get(`keyhold_http_requests_total{method="GET",route="${route}",status="200"}`), 3);
    assert.equal(m.get(`keyhold_http_requests_total{method="GET",route="${route}",status="404"}`), 1);
    assert.equal(m.get('keyhold_http_requests_total{method="POST",route="/api/v1/security/keys",status="201"}'), 1);
    assert.equal(m.get('keyhold_http_requests_total{method="GET",route="/api/v1/security/keys",status="401"}'), 1);
    assert.equal(m.get('keyhold_http_requests_total{method="GET",route="unmatched",status="404"}'), 2);
    assert.equal(m.get(`keyhold_http_request_duration_seconds_count{method="GET",route="${route}",status="200"}`), 3);
    assert.equal(m.get(`keyhold_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="${route}",status="200"}`), 3); // prom-client writes `le` first
    assert.ok(m.get(`keyhold_http_request_duration_seconds_sum{method="GET",route="${route}",status="200"}`)! > 0);
    for (const key of m.keys()) {
      assert.ok(!key.includes(uuid) && !key.includes('abc123') && !key.includes('no-such'), `a raw URL leaked into a label: ${key}`);
    }
  });

  it('shows the database connection state', async () => {
    const m = await scrape();
    assert.equal(m.get(`keyhold_db_info{dialect="${dialectUnderTest}"}`), 1);
    assert.equal(m.get('keyhold_db_open'), 1);
    const idle = m.get('keyhold_db_connections{state="idle"}')!;
    const inUse = m.get('keyhold_db_connections{state="in_use"}')!;
    assert.ok(idle >= 0 && inUse >= 0);
    assert.equal(m.get('keyhold_db_pool_waiting'), 0);
    if (dialectUnderTest === 'postgres') {
      assert.equal(m.get('keyhold_db_connections_max'), 5); // the test pool size
      assert.ok(idle + inUse >= 1 && idle + inUse <= 5, 'the pool has connected');
    } else {
      assert.deepEqual([idle, inUse, m.get('keyhold_db_connections_max')], [1, 0, 1]);
    }
  });

  it('counts verification answers by code and cache lookups by result', async () => {
    const team = (await s.runtime.store.teams.findByName('acme'))!;
    const project = await s.runtime.services.projects.createProject({ team: team.name, name: 'm' });
    const created = await s.request('POST', `/cloud/v1/caas/keys/${project.id}/1`, { token: root, body: { name: 'gw', containers: [{ name: 'web', namespace: 'default' }] } });
    const secret = created.json().secret as string;
    const verify = (key: string, container = 'web') => s.request('POST', '/v1/keys/verify', { token: root, body: { key, container: { name: container } } });
    for (let i = 0; i < 3; i++) assert.equal((await verify(secret)).json().code, 'VALID'); // a miss, then two hits
    assert.equal((await verify(secret, 'db')).json().code, 'FORBIDDEN_CONTAINER');
    assert.equal((await verify('khk_not-a-key')).json().code, 'MALFORMED');
    assert.equal((await s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': secret } })).status, 204);
    const m = await scrape();
    assert.equal(m.get('keyhold_verify_results_total{code="VALID"}'), 4);
    assert.equal(m.get('keyhold_verify_results_total{code="FORBIDDEN_CONTAINER"}'), 1);
    assert.equal(m.get('keyhold_verify_results_total{code="MALFORMED"}'), 1);
    assert.equal(m.get('keyhold_verify_cache_lookups_total{result="miss"}'), 1);
    assert.equal(m.get('keyhold_verify_cache_lookups_total{result="hit"}'), 4);
    assert.equal(m.get('keyhold_verify_cache_entries'), 1, 'one key looked up, one entry');
  });

  it('carries counters other modules declare on the registry', async () => {
    new Counter({ name: 'keyhold_test_outcomes_total', help: 'For this test.', labelNames: ['code'], registers: [registry.registry] }).inc({ code: 'VALID' });
    assert.equal((await scrape()).get('keyhold_test_outcomes_total{code="VALID"}'), 1);
  });
});

describe('KEYHOLD_METRICS_PORT', () => {
  it('is parsed and checked with the other settings', () => {
    assert.equal(loadConfig({}).metricsPort, null);
    assert.equal(loadConfig({ KEYHOLD_METRICS_PORT: '9464' }).metricsPort, 9464);
    assert.equal(loadConfig({ KEYHOLD_METRICS_PORT: '' }).metricsPort, null);
    for (const bad of ['x', '70000', '-1']) assert.throws(() => loadConfig({ KEYHOLD_METRICS_PORT: bad }), ConfigError, bad);
    assert.throws(() => loadConfig({ KEYHOLD_PORT: '9000', KEYHOLD_METRICS_PORT: '9000' }), /must differ from KEYHOLD_PORT/);
  });

  it('serves /metrics on its own port only', async () => {
    const tdb = await freshDatabase();
    const server = await startServer(testConfig(tdb.config, { metricsPort: 0, logLevel: 'silent' }));
    try {
      assert.ok(server.metricsUrl && server.metricsUrl !== server.url);
      const main = await fetch(`${server.url}/metrics`);
      assert.equal(main.status, 404, 'not on the API port');
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      const r = await fetch(`${server.metricsUrl}/metrics`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const m = parse(await r.text());
      assert.equal(m.get('keyhold_http_requests_total{method="GET",route="/healthz",status="200"}'), 1);
      assert.equal(m.get(`keyhold_db_info{dialect="${dialectUnderTest}"}`), 1);
      const other = await fetch(`${server.metricsUrl}/api/v1/security/keys`);
      assert.equal(other.status, 404);
      assert.equal((await other.json()).error.code, 'not_found');
      const post = await fetch(`${server.metricsUrl}/metrics`, { method: 'POST' });
      assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET, HEAD']);
    } finally {
      await server.close();
      await tdb.drop();
    }
    await assert.rejects(fetch(`${server.metricsUrl}/metrics`), 'closed with the server');
  });
});
