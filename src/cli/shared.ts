import { loadConfig } from '../config.js';
import { warnCreatedMasterKey } from '../main.js';
import { createRuntime, type Runtime } from '../runtime.js';

/** RFC 3339 without milliseconds, or `-`. */
export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Opens the runtime for one command and always closes it. */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime(loadConfig(), { serving: false });
  warnCreatedMasterKey(rt.createdMasterKey);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
