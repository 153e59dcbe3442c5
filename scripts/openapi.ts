// Regenerates openapi.json from the routes as the server registers them (`npm run openapi`),
// or, with --check, fails if the checked-in copy differs (`npm run openapi:check`, run by CI).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { createRuntime } from '../src/runtime.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TARGET = path.join(ROOT, 'openapi.json');

/** The document a server with the default settings serves at /openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-openapi-'));
  try {
    const config = loadConfig({ KEYHOLD_DATABASE_URL: path.join(dir, 'k.db'), KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') }, dir);
    const runtime = await createRuntime(config, { serving: false });
    try {
      const app = await buildApp({ config, services: runtime.services, ready: runtime.ready, logger: createLogger('silent'), metrics: createMetrics() });
      const res = await app.inject({ method: 'GET', url: '/openapi.json' });
      await app.close();
      if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}: ${res.body}`);
      return res.body;
    } finally {
      await runtime.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = await generateOpenApi();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
    if (current !== doc) {
      process.stderr.write('openapi.json is stale: the routes document something else now. Run `npm run openapi` and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write('openapi.json is up to date\n');
  } else {
    fs.writeFileSync(TARGET, doc);
    process.stdout.write(`wrote ${path.relative(process.cwd(), TARGET)} (${Object.keys((JSON.parse(doc) as { paths: object }).paths).length} paths)\n`);
  }
}
