import * as core from '@actions/core';
import type { Logger } from '../logger.js';

/** The Logger for a workflow step: warnings and errors become annotations, groups fold. */
export function createActionsLogger(): Logger {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    group: (title, fn) => core.group(title, fn),
  };
}
