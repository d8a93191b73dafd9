#!/usr/bin/env node
// Launcher for the `trunkline` command. The CLI is TypeScript run in place through tsx (esbuild), so that
// `npx trunkline` works straight after `npm install` on a clone, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
