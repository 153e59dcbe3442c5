import { loadConfig } from '../config.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { configFor, type StoreUse } from './store.js';

/** RFC 3339 without milliseconds, or `-`. */
export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/**
 * Opens the runtime for one command and always closes it. `use` says what the command may do to the
 * store (see store.ts); `command` names it in messages. Reading commands do not migrate.
 */
export async function withRuntime<T>(use: StoreUse, command: string, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const { config } = await configFor(loadConfig(), use, command);
  // A reading command decrypts nothing (or says so when it must): a master key that no longer opens
  // the data keys (the old one, after `master-key rewrap`) is a warning for it, not a refusal.
  const rt = await createRuntime(config, {
    serving: false,
    migrate: use !== 'read',
    keysWhenNeeded: use === 'read',
    onNotice: (_level, message) => process.stderr.write(`keyhold: warning: ${message}\n`),
  });
  // main.js loads the HTTP server's modules, so only when there is something to warn about.
  if (rt.createdMasterKey) (await import('../main.js')).warnCreatedMasterKey(rt.createdMasterKey);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
