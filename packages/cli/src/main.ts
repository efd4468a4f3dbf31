#!/usr/bin/env node
// The `tri` bin: everything else is in runCli, which tests call in-process.
import { runCli } from './cli.js';
import { nodeEnvironment } from './environment.js';

void runCli(process.argv.slice(2), nodeEnvironment()).then((code) => {
  process.exitCode = code;
});
