// The CLI's entry point: bin/keyhold.mjs runs the compiled dist/cli/entry.js; tests and `npm run dev`
// run this file through tsx.
import { runCli } from './main.js';

await runCli(process.argv);
