// keyhold-ssh-sign's entry point (bin/keyhold-ssh-sign.mjs runs the compiled dist/cli/ssh-sign-entry.js).
import { runSshSign } from './ssh-sign.js';

process.exitCode = await runSshSign(process.argv.slice(2));
