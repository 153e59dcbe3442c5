import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { connectionOptions, withBackend, type ConnectionOptions } from './backend.js';
import { out } from './shared.js';
import { table } from './table.js';

type Opts = ConnectionOptions & { json?: boolean };

/** `keyhold webhooks …`: the team's endpoints and their deliveries (a root token; against a server for now). */
export function registerWebhookCommands(program: Command): void {
  const hooks = program.command('webhooks').description('webhook endpoints and their deliveries (--url/KEYHOLD_URL, a root token)');

  connectionOptions(hooks.command('create').description('subscribe an endpoint; its signing secret is printed alone on stdout, once'))
    .requiredOption('--endpoint <url>', 'where deliveries are POSTed (https://…)')
    .option('--events <types>', 'comma-separated event types, or * for every event', '*')
    .option('--description <text>', 'a description')
    .option('--json', "print the webhook with its secret as JSON (the API's fields)")
    .action(async (o: Opts & { endpoint: string; events: string; description?: string }) => {
      const events = o.events.split(',').map((e) => e.trim()).filter(Boolean);
      if (events.length === 0) throw new AppError('bad_request', '--events needs at least one event type, or *');
      await withBackend(o, 'change', 'webhooks create', async (b) => {
        const w = await b.webhooks.create({ url: o.endpoint, events: events as never, description: o.description });
        if (o.json) return void out(JSON.stringify(w));
        out(w.secret);
        process.stderr.write(`created webhook ${w.id} for ${w.url} (${w.events.join(', ')}); the signing secret above is shown once: copy it now.\n`);
      });
    });

  connectionOptions(hooks.command('list').description("list the team's webhook endpoints"))
    .option('--json', "print them as a JSON array (the API's fields)")
    .action(async (o: Opts) =>
      withBackend(o, 'read', 'webhooks list', async (b) => {
        const rows = await b.webhooks.list();
        if (o.json) return void out(JSON.stringify(rows));
        out(rows.length ? table(['ID', 'URL', 'EVENTS', 'ENABLED', 'FAILING SINCE'], rows.map((w) => [w.id, w.url, w.events.join(','), w.enabled ? 'yes' : 'no', w.failing_since ?? '-'])) : 'no webhooks');
      }),
    );

  connectionOptions(hooks.command('get <id>').description('show one webhook endpoint'))
    .option('--json', "print it as JSON (the API's fields)")
    .action(async (id: string, o: Opts) =>
      withBackend(o, 'read', 'webhooks get', async (b) => {
        const w = await b.webhooks.get(id);
        out(o.json ? JSON.stringify(w) : table(['FIELD', 'VALUE'], Object.entries(w).map(([f, v]) => [f, typeof v === 'string' ? v : JSON.stringify(v)])));
      }),
    );

  connectionOptions(hooks.command('delete <id>').description('delete a webhook endpoint'))
    .option('--json', 'print {"deleted":true,"id"} as JSON')
    .action(async (id: string, o: Opts) =>
      withBackend(o, 'change', 'webhooks delete', async (b) => {
        await b.webhooks.delete(id);
        out(o.json ? JSON.stringify({ deleted: true, id }) : `deleted webhook ${id}`);
      }),
    );

  connectionOptions(hooks.command('deliveries <id>').description("an endpoint's deliveries, newest first"))
    .option('--cursor <cursor>', 'continue after a previous page (its next_cursor)')
    .option('--json', 'print {"deliveries": [...], "next_cursor"} as JSON')
    .action(async (id: string, o: Opts & { cursor?: string }) =>
      withBackend(o, 'read', 'webhooks deliveries', async (b) => {
        const page = await b.webhooks.deliveries(id, { cursor: o.cursor });
        if (o.json) return void out(JSON.stringify(page));
        const rows = page.deliveries;
        out(rows.length ? table(['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'HTTP'], rows.map((d) => [String(d.id), d.event_type, d.status, String(d.attempts), d.response_status === null ? '-' : String(d.response_status)])) : 'no deliveries');
        if (page.next_cursor) process.stderr.write(`more deliveries: add --cursor ${page.next_cursor}\n`);
      }),
    );

  connectionOptions(hooks.command('redeliver <id> <delivery>').description('send a delivery again'))
    .option('--json', "print the delivery as JSON (the API's fields)")
    .action(async (id: string, delivery: string, o: Opts) => {
      if (!/^\d+$/.test(delivery)) throw new AppError('bad_request', `the delivery id must be a number (got ${JSON.stringify(delivery)})`);
      await withBackend(o, 'change', 'webhooks redeliver', async (b) => {
        const d = await b.webhooks.redeliver(id, Number(delivery));
        out(o.json ? JSON.stringify(d) : `delivery ${String((d as { id?: number }).id ?? delivery)} queued again`);
      });
    });
}
