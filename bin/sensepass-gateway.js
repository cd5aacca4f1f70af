#!/usr/bin/env node
// `npx sensepass-gateway …`: runs the compiled CLI when `npm run build` has produced it, else the TypeScript
// source through tsx (a runtime dependency), so the CLI works straight from a clean clone.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
