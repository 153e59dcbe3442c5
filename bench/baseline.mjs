// The yardstick for keyhold's gateway path: plain node:http doing the same work, and nothing else.
// `npm run bench` starts it beside keyhold and drives both with the same wrk scripts in one run.
//
//   POST /v1/keys/verify  read the body, hash the bearer token and look it up, parse the JSON, hash the
//                         key and look it up in a Map, check the container (and count the request
//                         against the key's limit when it has one), answer the same JSON as keyhold.
//   GET /v1/forward-auth  hash X-API-Key, look it up, check ?container=, answer 204 with keyhold's headers.
//   GET /healthz          a small JSON answer: the cost of a request with no verification at all.
//
// Keys come from the file named by BASELINE_KEYS: one line per key, "<sha256 hex> <name> [<limit>]",
// held in a Map; or, with BASELINE_DB naming keyhold's SQLite file, from an indexed SELECT on it per
// request (better-sqlite3, statement prepared once), as keyhold does on a cache miss.
// The token's SHA-256 (hex) comes from BASELINE_TOKEN_DIGEST. The port is printed on stdout.
import { hash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Database from 'better-sqlite3';

const keys = new Map();
for (const line of fs.readFileSync(process.env.BASELINE_KEYS ?? '/dev/null', 'utf8').split('\n')) {
  const [digest, name, limit] = line.split(' ');
  if (digest) keys.set(digest, { name, limit: limit ? Number(limit) : 0, used: 0, containers: [{ name: 'web', namespace: 'default' }] });
}
const tokens = new Set([process.env.BASELINE_TOKEN_DIGEST]);
const byDigest = process.env.BASELINE_DB && new Database(process.env.BASELINE_DB, { readonly: true }).prepare('SELECT name, containers, rate_limit FROM caas_keys WHERE secret_hash = ?');

function find(digest) {
  if (!byDigest) return keys.get(digest);
  const row = byDigest.get(digest);
  return row && { name: row.name, limit: row.rate_limit ?? 0, used: 0, containers: JSON.parse(row.containers) };
}

/** The lookup and checks a verification makes; returns the answer's body object. */
function check(key, container, namespace) {
  const found = find(hash('sha256', key, 'hex'));
  if (!found) return { valid: false, code: 'NOT_FOUND', key: null };
  const view = { name: found.name, project_id: 1, region_id: 1, status: 'Active', expire: null, containers: found.containers };
  if (!found.containers.some((c) => c.name === container && c.namespace === namespace)) return { valid: false, code: 'FORBIDDEN_CONTAINER', key: view };
  if (found.limit && ++found.used > found.limit) return { valid: false, code: 'RATE_LIMITED', key: view, retry_after: 1 };
  return { valid: true, code: 'VALID', key: view };
}

const server = http.createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (req.method === 'POST' && path === '/v1/keys/verify') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (!tokens.has(hash('sha256', (req.headers.authorization ?? '').slice(7), 'hex'))) {
        res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
        return res.end('{"error":{"code":"unauthorized"}}');
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(check(String(body.key), body.container.name, body.container.namespace ?? 'default')));
    });
    return;
  }
  if (path === '/v1/forward-auth') {
    req.resume();
    const container = new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1)).get('container');
    const verdict = check(req.headers['x-api-key'] ?? '', container, 'default');
    if (verdict.valid) {
      res.writeHead(204, { 'cache-control': 'no-store', 'x-keyhold-key-name': verdict.key.name, 'x-keyhold-project-id': '1', 'x-keyhold-region-id': '1' });
      return res.end();
    }
    res.writeHead(verdict.code === 'FORBIDDEN_CONTAINER' ? 403 : 401, { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' });
    return res.end(JSON.stringify({ valid: false, code: verdict.code }));
  }
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"status":"ok"}');
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => console.log(`baseline on http://127.0.0.1:${server.address().port}`));
// Exit through process.exit, so that a profile asked for with --cpu-prof is written.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
