import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import type { Ajv } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { generateOpenApi } from '../../scripts/openapi.js';
import { ROOT } from '../helpers/cli.js';
import { SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';

type Json = Record<string, any>;

const UPSTREAM_DIR = path.join(ROOT, 'test', 'fixtures', 'upstream');
const SHARED_SPEC = path.join(ROOT, '..', 'shared', 'spec', 'openapi');
const upstream = {
  coolify: parseYaml(fs.readFileSync(path.join(UPSTREAM_DIR, 'coolify-security-keys.yaml'), 'utf8')) as Json,
  gcore: parseYaml(fs.readFileSync(path.join(UPSTREAM_DIR, 'gcore-caas-keys.yaml'), 'utf8')) as Json,
};

/** Follows a local `$ref`. */
function resolve(doc: Json, s: Json | undefined): Json | undefined {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') {
    cur = cur.$ref
      .slice(2)
      .split('/')
      .reduce((o: Json, k: string) => o?.[k], doc);
  }
  return cur;
}

/**
 * What a client generated from a schema depends on: types (with null), required properties,
 * property names and their shapes, array items, alternatives. Not titles, examples or formats.
 */
function shape(doc: Json, raw: Json | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (!s || depth > 8) return null;
  if (Array.isArray(s.anyOf)) return { anyOf: s.anyOf.map((x: Json) => JSON.stringify(shape(doc, x, depth + 1))).sort() };
  const out: Json = { type: s.type ?? (s.properties ? 'object' : undefined) };
  if (s.properties) {
    out.required = [...(s.required ?? [])].sort();
    out.properties = Object.fromEntries(Object.keys(s.properties).sort().map((k) => [k, shape(doc, s.properties[k], depth + 1)]));
  }
  if (s.items) out.items = shape(doc, s.items, depth + 1);
  return out;
}

const responseSchema = (doc: Json, op: Json, status: string) => {
  const r = resolve(doc, op.responses?.[status]);
  const content = r?.content ? (Object.values(r.content)[0] as Json) : undefined;
  return content?.schema as Json | undefined;
};

/** Where each upstream operation lives in keyhold's document. */
function ourPath(family: 'coolify' | 'gcore', p: string, method: string): string {
  if (family === 'gcore') return p;
  // Upstream documents PATCH on the collection, but routes it as PATCH /security/keys/{uuid} (spec section 2).
  if (method === 'patch' && p === '/security/keys') return '/api/v1/security/keys/{uuid}';
  return `/api/v1${p}`;
}

/**
 * Deliberate differences, each documented in docs/compatibility.md: where upstream's file and the
 * served route disagree, the route wins. Coolify stores a null description when none is given and
 * returns it as null, so `description` is documented as string-or-null.
 */
/**
 * Upstream documents these bodies as optional, but the server refuses a request without one
 * (pydantic's `'body': ['Field required']`), so keyhold's document says required (docs/compatibility.md).
 */
const BODY_REQUIRED_HERE = new Set(['POST /cloud/v1/caas/keys/{project_id}/{region_id}']);

const isPrivateKey = (t: Json) => Boolean(t.properties?.private_key && t.properties?.fingerprint);

/**
 * Asserts that our schema keeps everything of upstream's a client relies on: the same type, the same
 * required properties, and every upstream property with a conforming schema. Ours may document more
 * (extra optional properties, such as `error` on Coolify's 400 bodies).
 */
function keeps(ours: unknown, theirs: unknown, where: string): void {
  const o = ours as Json | null;
  const t = theirs as Json | null;
  if (!t) return;
  assert.ok(o, `${where}: documented`);
  if (t.anyOf || o.anyOf) {
    assert.deepEqual(o.anyOf, t.anyOf, `${where}: alternatives`);
    return;
  }
  assert.equal(o.type, t.type, `${where}: type`);
  if (t.properties) {
    assert.deepEqual(o.required, t.required, `${where}: required properties`);
    for (const [name, sub] of Object.entries(t.properties as Json)) {
      const mine: unknown = o.properties?.[name];
      const label = `${where}.${name}`;
      if (name === 'description' && isPrivateKey(t)) {
        assert.deepEqual(mine, { anyOf: [JSON.stringify({ type: 'null' }), JSON.stringify(sub)].sort() }, `${label}: string or null`);
        continue;
      }
      keeps(mine, sub, label);
    }
  }
  if (t.items) keeps(o.items, t.items, `${where}[]`);
}

describe('OpenAPI document', () => {
  let s: TestServer;
  let doc: Json;

  before(async () => {
    s = await startTestServer();
    const res = await s.request('GET', '/openapi.json');
    assert.equal(res.status, 200);
    doc = res.json();
  });
  after(() => s.close());

  it('is a valid OpenAPI 3.1 document, the one checked in as openapi.json', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await validate(structuredClone(doc) as never);
    assert.equal(result.valid, true, JSON.stringify(result));
    const checkedIn = fs.readFileSync(path.join(ROOT, 'openapi.json'), 'utf8');
    assert.equal(await generateOpenApi(), checkedIn, 'openapi.json is stale: run `npm run openapi`');
    assert.deepEqual(JSON.parse(checkedIn), doc);
  });

  it('vendors the upstream extracts unchanged', { skip: !fs.existsSync(SHARED_SPEC) && 'shared/spec is not beside this checkout' }, () => {
    for (const f of fs.readdirSync(SHARED_SPEC)) {
      assert.equal(fs.readFileSync(path.join(UPSTREAM_DIR, f), 'utf8'), fs.readFileSync(path.join(SHARED_SPEC, f), 'utf8'), f);
    }
  });

  for (const family of ['coolify', 'gcore'] as const) {
    it(`keeps ${family}'s operations, parameters, status codes and response shapes`, () => {
      const up = upstream[family];
      let compared = 0;
      for (const [p, item] of Object.entries(up.paths as Json)) {
        for (const [method, upOp] of Object.entries(item as Json) as Array<[string, Json]>) {
          const where = `${method.toUpperCase()} ${p}`;
          const op = doc.paths[ourPath(family, p, method)]?.[method];
          assert.ok(op, `${where} is documented`);
          assert.deepEqual([op.operationId, op.summary, op.tags], [upOp.operationId, upOp.summary, upOp.tags], where);

          // Parameters: the same names, places and requiredness (PATCH gains the {uuid} upstream forgot).
          const params = (list: Json[] | undefined) => Object.fromEntries((list ?? []).map((x) => [`${x.in}:${x.name}`, [x.required ?? false, shape(doc, x.schema)]]));
          const ours = params(op.parameters);
          const theirs = Object.fromEntries(Object.entries(params(upOp.parameters)).map(([k, [req, sh]]) => [k, [req, shape(up, (upOp.parameters as Json[]).find((x) => `${x.in}:${x.name}` === k)!.schema) ?? sh]]));
          if (family === 'coolify' && method === 'patch') delete ours['path:uuid'];
          assert.deepEqual(ours, theirs, `${where} parameters`);

          // Request body.
          const upBody = upOp.requestBody?.content?.['application/json']?.schema;
          if (upBody) assert.deepEqual(shape(doc, op.requestBody?.content?.['application/json']?.schema), shape(up, upBody), `${where} request body`);
          if (upOp.requestBody) assert.equal(op.requestBody.required, BODY_REQUIRED_HERE.has(where) || (upOp.requestBody.required ?? false), `${where} request body required`);

          // Every documented status, with the same response shape.
          for (const status of Object.keys(upOp.responses)) {
            assert.ok(op.responses[status], `${where} documents ${status}`);
            const upSchema = responseSchema(up, upOp, status);
            if (!upSchema) continue;
            keeps(shape(doc, responseSchema(doc, op, status)), shape(up, upSchema), `${where} ${status} ${upSchema.$ref?.split('/').pop() ?? 'body'}`);
            compared++;
          }
          const security = op.security.map((x: Json) => Object.keys(x)[0]);
          const upSecurity = (upOp.security ?? up.security).map((x: Json) => Object.keys(x)[0]);
          assert.deepEqual(security, upSecurity, `${where} security`);
          for (const name of upSecurity) {
            const { description: _a, ...mine } = doc.components.securitySchemes[name];
            const { description: _b, ...theirsScheme } = up.components.securitySchemes[name];
            assert.deepEqual(mine, theirsScheme, `security scheme ${name}`);
          }
        }
      }
      assert.ok(compared >= (family === 'coolify' ? 15 : 4), `compared ${compared} response schemas`);
      // Named schemas keep their names, so generated clients keep their type names.
      for (const name of Object.keys(up.components.schemas ?? {})) {
        assert.ok(doc.components.schemas[name], `components.schemas.${name}`);
        keeps(shape(doc, doc.components.schemas[name]), shape(up, up.components.schemas[name]), name);
      }
    });
  }

  describe('describes what the server actually sends', () => {
    const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as unknown as new (o: object) => Ajv;
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    let checked = 0;

    /** Finds the operation for a concrete path and checks the status is documented and the body fits. */
    function conforms(method: string, url: string, res: TestResponse) {
      const pathOnly = url.split('?')[0]!;
      const entry = Object.entries(doc.paths as Json).find(([tpl]) => new RegExp(`^${tpl.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathOnly));
      assert.ok(entry, `${pathOnly} is documented`);
      const op = entry[1][method.toLowerCase()] ?? entry[1].get;
      assert.ok(op, `${method} ${entry[0]} is documented`);
      const documented = op.responses[String(res.status)];
      assert.ok(documented, `${method} ${entry[0]} documents status ${res.status} (body ${res.text.slice(0, 200)})`);
      const schema = responseSchema(doc, op, String(res.status));
      if (!schema) {
        assert.equal(res.text, '', `${res.status} is documented without a body`);
      } else {
        const body = /json/.test(res.headers.get('content-type') ?? '') ? res.json() : res.text;
        const check = ajv.compile({ ...schema, components: doc.components, $defs: undefined, $id: undefined });
        assert.ok(check(body), `${method} ${url} ${res.status}: ${JSON.stringify(check.errors)} for ${res.text.slice(0, 300)}`);
      }
      checked++;
      return res;
    }
    const call = async (method: string, url: string, o: Parameters<TestServer['request']>[2] = {}) => conforms(method, url, await s.request(method, url, o));

    it('on the Coolify surface', async () => {
      const root = await s.token('root');
      const reader = await s.token('read');
      await call('GET', '/api/v1/health');
      await call('GET', '/api/v1/version', { token: root });
      await call('GET', '/api/v1/security/keys', { token: root });
      await call('GET', '/api/v1/security/keys');
      await call('POST', '/api/v1/security/keys', { token: reader, body: {} });
      const { uuid } = (await call('POST', '/api/v1/security/keys', { token: root, body: { name: 'k', private_key: SPEC_ED25519 } })).json();
      await call('POST', '/api/v1/security/keys', { token: root, body: { name: 'k', private_key: 'nope' } });
      await call('POST', '/api/v1/security/keys', { token: root, raw: '{', headers: { 'content-type': 'application/json' } });
      await call('GET', '/api/v1/security/keys', { token: root });
      await call('GET', '/api/v1/security/keys', { token: reader });
      await call('GET', `/api/v1/security/keys/${uuid}`, { token: root });
      await call('GET', '/api/v1/security/keys/nope', { token: root });
      await call('PATCH', `/api/v1/security/keys/${uuid}`, { token: root, body: { name: 'renamed', private_key: SPEC_ED25519 } });
      await call('PATCH', `/api/v1/security/keys/${uuid}`, { token: root, body: { name: 'renamed' } });
      await call('DELETE', `/api/v1/security/keys/${uuid}`, { token: root });
      await call('DELETE', `/api/v1/security/keys/${uuid}`, { token: root });
    });

    it('on the Gcore surface', async () => {
      const root = await s.token('root', 'gcore-team');
      const reader = await s.token('read', 'gcore-team');
      const team = (await s.runtime.store.teams.findByName('gcore-team'))!;
      const project = await s.runtime.services.projects.createProject({ team: team.name, name: 'p' });
      const base = `/cloud/v1/caas/keys/${project.id}/1`;
      const auth = (t: string) => ({ authorization: `APIKey ${t}` });
      const body = { name: 'my-key', containers: [{ name: 'web', namespace: 'space' }] };
      await call('POST', base, { headers: auth(root), body });
      await call('POST', base, { headers: auth(root), body });
      await call('POST', base, { headers: auth(root), body: { name: 'Bad_Name', containers: [] } });
      await call('POST', base, { headers: auth(reader), body });
      await call('POST', base, { body });
      await call('GET', `${base}?limit=1`, { headers: auth(reader) });
      await call('GET', `${base}?limit=0`, { headers: auth(reader) });
      await call('GET', `${base}/my-key`, { headers: auth(reader) });
      await call('GET', `${base}/nope`, { headers: auth(reader) });
      await call('PATCH', `${base}/my-key`, { headers: auth(root), body: { is_disabled: true, expire: '2030-01-01T00:00:00Z' } });
      await call('PATCH', `${base}/my-key`, { headers: auth(root), body: { is_disabled: 'yes' } });
      await call('DELETE', `${base}/my-key`, { headers: auth(root) });
      await call('DELETE', `${base}/my-key`, { headers: auth(root) });
    });

    it("on keyhold's own routes", async () => {
      const root = await s.token('root', 'native-team');
      const verifier = await s.token('verify', 'native-team');
      const team = (await s.runtime.store.teams.findByName('native-team'))!;
      const project = await s.runtime.services.projects.createProject({ team: team.name, name: 'n' });
      const created = await s.request('POST', `/cloud/v1/caas/keys/${project.id}/1`, { token: root, body: { name: 'gw', containers: [{ name: 'web', namespace: 'space' }] } });
      const secret = created.json().secret as string;
      await call('POST', '/v1/keys/verify', { token: verifier, body: { key: secret, container: { name: 'web', namespace: 'space' } } });
      await call('POST', '/v1/keys/verify', { token: verifier, body: { key: secret, container: { name: 'db', namespace: 'space' } } });
      await call('POST', '/v1/keys/verify', { token: verifier, body: { key: 'khk_nonsense', container: { name: 'web' } } });
      await call('POST', '/v1/keys/verify', { token: verifier, body: { key: 1 } });
      await call('POST', '/v1/keys/verify', { token: root.replace(/.$/, 'x'), body: {} });
      await call('POST', '/v1/keys/verify', { token: await s.token('read', 'native-team'), body: {} });
      await call('GET', '/v1/forward-auth?container=web&namespace=space', { headers: { 'x-api-key': secret } });
      await call('GET', '/v1/forward-auth?container=db&namespace=space', { headers: { 'x-api-key': secret } });
      await call('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': 'khk_nonsense' } });
      await call('GET', '/v1/forward-auth', { headers: { 'x-api-key': secret } });
      await call('GET', '/v1/audit?limit=2', { token: root });
      await call('GET', '/v1/audit?limit=0', { token: root });
      await call('GET', '/v1/audit', { token: verifier });
      await call('GET', '/healthz');
      await call('GET', '/readyz');
      await call('GET', '/metrics');
      await call('GET', '/openapi.json');
      assert.ok(checked >= 45, `${checked} responses checked against the document`);
    });
  });

  it('serves an interactive reference at /docs from local assets only', async () => {
    const page = await s.request('GET', '/docs');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(assets.sort(), ['/docs/favicon-32x32.png', '/docs/init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']);
    for (const a of assets) {
      const res = await s.request('GET', a);
      assert.equal(res.status, 200, a);
      assert.ok(res.text.length > 0, a);
    }
    assert.match((await s.request('GET', '/docs/init.js')).text, /url: '\/openapi\.json'/);
    assert.match((await s.request('GET', '/docs/swagger-ui-bundle.js')).text, /SwaggerUIBundle/);
    assert.equal((await s.request('GET', '/docs/..%2Fpackage.json')).status, 404);
    assert.equal((await s.request('GET', '/docs/index.html')).status, 404);
  });
});
