/**
 * The demo's one writer: every line goes through `say`, which refuses to print a secret and
 * remembers that it was asked to, so the demo can fail for it.
 */
import type { Style } from './style.js';

export interface Output {
  /** A function, not a method: every renderer destructures it (`const { say } = out`). */
  say: (line?: string) => void;
  /** `━━ Title ━━━…`, with a blank line either side. */
  heading(title: string): void;
  /** Whether a line held a secret (it was printed with the secret replaced). */
  secretPrinted(): boolean;
  readonly style: Style;
  /** Leave out what each step printed, unless the step failed (`--quiet`). */
  readonly quiet: boolean;
}

export function createOutput(options: {
  style: Style;
  secrets: readonly string[];
  quiet: boolean;
  write: (text: string) => void;
}): Output {
  const { style, secrets, write } = options;
  let refused = false;
  const say = (line = ''): void => {
    let text = line;
    for (const secret of secrets)
      if (text.includes(secret)) {
        refused = true;
        text = text.replaceAll(secret, '[a secret the demo refused to print]');
      }
    write(`${text}\n`);
  };
  return {
    say,
    heading(title) {
      say();
      say(style.bold(style.cyan(`━━ ${title} ${'━'.repeat(Math.max(3, 74 - [...title].length))}`)));
      say();
    },
    secretPrinted: () => refused,
    style,
    quiet: options.quiet,
  };
}
