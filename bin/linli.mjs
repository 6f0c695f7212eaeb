#!/usr/bin/env node
// The `linli` executable. Linli is written in TypeScript and runs through tsx, so there is no
// build step between a checkout and a running bot.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
