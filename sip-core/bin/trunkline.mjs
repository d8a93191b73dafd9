#!/usr/bin/env -S node --min-semi-space-size=16 --no-allocation-site-pretenuring
// Launcher for the `trunkline` command. The CLI is TypeScript run in place through tsx (esbuild), so that
// `npx trunkline` works straight after `npm install` on a clone, with no build step to forget. The shebang's V8
// flags are node-flags.mjs's MEDIA_HOST_NODE_FLAGS (why: there); `env -S` splits them from the command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
