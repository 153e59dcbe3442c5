// What plain node:http manages on this machine, without keyhold or Fastify: a bodyless GET answered
// "OK", and a POST doing the minimum a verification does (read the body, hash the token, parse the
// JSON, hash the key, answer JSON). Run: node bench/node-baseline.mjs, then drive it with wrk:
//   wrk -t1 -c16 -d8s http://127.0.0.1:18090/
//   wrk -t1 -c16 -d8s -s <a script POSTing a verify body> http://127.0.0.1:18090/v1/keys/verify
// The ratio of the two is the ceiling for "verify / bodyless GET" in Node on the machine.
import { hash } from 'node:crypto';
import http from 'node:http';

const port = Number(process.env.PORT ?? 18090);
const seen = new Map();
http
  .createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.set(hash('sha256', (req.headers.authorization ?? '').slice(7), 'hex'), 1);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const digest = hash('sha256', String(body.key), 'hex');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ valid: true, code: 'VALID', key: { name: 'k1', project_id: 1, region_id: 1, status: 'Active', expire: null, containers: [{ name: 'web', namespace: 'default' }] }, d: digest.length }));
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`baseline on http://127.0.0.1:${port}`));
