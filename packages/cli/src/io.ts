import { createConsoleLogger, redactKnownSecrets } from '@trinity/core';
import type { Io } from './command.js';
import type { CliEnvironment } from './environment.js';

/**
 * The one place output leaves `tri`: every line, JSON document and log message goes through the
 * redaction of the secrets known so far (the token values), whatever produced it.
 */
export function createIo(env: CliEnvironment, options: { json: boolean; verbose: boolean }): Io {
  const secrets = environmentSecrets(env);
  const clean = (text: string) => redactKnownSecrets(text, secrets);
  const toStderr = (line: string) => env.stderr(`${clean(line)}\n`);
  return {
    json: options.json,
    logger: createConsoleLogger({ verbose: options.verbose, write: toStderr }),
    say: (line) => {
      if (!options.json) env.stdout(`${clean(line)}\n`);
    },
    note: toStderr,
    data: (value) => {
      if (options.json) env.stdout(`${clean(JSON.stringify(value, null, 2))}\n`);
    },
    printJson: (value) => env.stdout(`${clean(JSON.stringify(value, null, 2))}\n`),
    addSecret: (value) => {
      if (value !== '' && !secrets.includes(value)) secrets.push(value);
    },
    secrets,
  };
}

/**
 * The tokens in the environment, redacted from the start, even before a command reads them. The
 * Railway ones are read by `tri doctor` only, but an error it throws is printed through a new Io.
 */
export function environmentSecrets(env: CliEnvironment): string[] {
  const secrets: string[] = [];
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'RAILWAY_TOKEN', 'RAILWAY_API_TOKEN']) {
    const value = env.env[name]?.trim();
    if (value && !secrets.includes(value)) secrets.push(value);
  }
  return secrets;
}
