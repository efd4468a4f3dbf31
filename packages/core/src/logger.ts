/**
 * One logging seam for the actions and the CLI (codeql-action's pattern): core code logs through
 * this interface and never imports `@actions/core` or writes to the console directly, so the same
 * functions serve a workflow step, a terminal and a test that records what was said.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Folds the lines logged inside `fn` (an Actions log group; an indented block in a terminal). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface ConsoleLoggerOptions {
  verbose?: boolean;
  /** Where lines go; defaults to the process's stderr so that `--json` output on stdout stays clean. */
  write?: (line: string) => void;
}

export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let indent = '';
  return {
    debug: (message) => {
      if (options.verbose) write(`${indent}debug: ${message}`);
    },
    info: (message) => write(`${indent}${message}`),
    warning: (message) => write(`${indent}warning: ${message}`),
    error: (message) => write(`${indent}error: ${message}`),
    group: async (title, fn) => {
      write(`${indent}${title}`);
      const outer = indent;
      indent = `${outer}  `;
      try {
        return await fn();
      } finally {
        indent = outer;
      }
    },
  };
}

export interface RecordedLine {
  level: 'debug' | 'info' | 'warning' | 'error' | 'group';
  message: string;
}

/** A logger that keeps every line, for tests that assert on what a user would read. */
export function createRecordingLogger(): Logger & { readonly lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warning: (message) => lines.push({ level: 'warning', message }),
    error: (message) => lines.push({ level: 'error', message }),
    group: async (title, fn) => {
      lines.push({ level: 'group', message: title });
      return fn();
    },
  };
}
