#!/usr/bin/env node
// The rmq-connect command: loads the TypeScript CLI through tsx and runs it.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../lib/cli/main.ts');

// `rmq-connect list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
