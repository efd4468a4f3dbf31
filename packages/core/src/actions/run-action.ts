import * as core from '@actions/core';
import { describeFailure, isUserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { InputSource } from '../settings/inputs.js';
import type { RunContext } from '../settings/common.js';
import { createActionsLogger } from './actions-logger.js';
import { readRunContext } from './run-context.js';

export interface ActionRuntime {
  inputs: InputSource;
  context: RunContext;
  logger: Logger;
  /** Masks a value in every later log line of the job (`::add-mask::`). */
  mask(values: readonly string[]): void;
}

export type ActionOutputs = Record<string, string | number | boolean>;

/**
 * The one top-level handler each action's entry file calls: it builds the runtime from the
 * runner's environment, runs the action's body, sets its outputs, and turns any failure into
 * `setFailed` with a message that says whether the user can fix it.
 */
export async function runAction(
  name: string,
  body: (runtime: ActionRuntime) => Promise<ActionOutputs>,
): Promise<void> {
  const logger = createActionsLogger();
  try {
    const runtime: ActionRuntime = {
      inputs: (input) => core.getInput(input),
      context: readRunContext(process.env),
      logger,
      mask: (values) => {
        for (const value of values) if (value.trim() !== '') core.setSecret(value);
      },
    };
    const outputs = await body(runtime);
    for (const [key, value] of Object.entries(outputs)) core.setOutput(key, String(value));
  } catch (error) {
    if (!isUserError(error) && error instanceof Error && error.stack) logger.debug(error.stack);
    core.setFailed(`${name}: ${describeFailure(error)}`);
  }
}
