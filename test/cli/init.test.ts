import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CALLER_WORKFLOW_PATH,
  SETTINGS,
  callerWorkflow,
} from '../../packages/cli/src/init/caller-workflow.js';
import { REUSABLE_WORKFLOW_USES } from '../../packages/cli/src/product.js';
import { cli, workingCopy } from './helpers.js';

const target = (root: string) => join(root, CALLER_WORKFLOW_PATH);

describe('tri init', () => {
  it('writes the caller workflow at the working-copy root, from a subdirectory too', async () => {
    const root = workingCopy();
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    const run = await cli(join(root, 'src', 'deep')).run(['init']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${CALLER_WORKFLOW_PATH}.`);
    const written = readFileSync(target(root), 'utf8');
    expect(written).toBe(callerWorkflow());
    expect((parse(written) as { jobs: { sandbox: { uses: string } } }).jobs.sandbox.uses).toBe(
      REUSABLE_WORKFLOW_USES,
    );
    expect(existsSync(join(root, 'src', 'deep', '.github'))).toBe(false);
  });

  it('prints a gh command for the secret, every variable the workflow reads and the label', async () => {
    const run = await cli(workingCopy()).run(['init']);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    for (const setting of SETTINGS) {
      const command =
        setting.kind === 'secret'
          ? `gh secret set ${setting.name}`
          : `gh variable set ${setting.name} --body `;
      expect(
        lines.some((line) => line.startsWith(command)),
        command,
      ).toBe(true);
    }
    expect(lines.some((line) => line.startsWith('gh label create sandbox '))).toBe(true);
    // gh asks for the secret's value: it never appears on a command line or in shell history.
    expect(run.stdout).not.toMatch(/gh secret set RAILWAY_TOKEN --body/);
    expect(run.stderr).toBe('');
  });

  it('leaves an identical file alone and says so', async () => {
    const root = workingCopy();
    const tri = cli(root);
    expect((await tri.run(['init'])).code).toBe(0);
    const again = await tri.run(['init']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is already the workflow tri init writes; nothing changed');
  });

  it('refuses to overwrite a different file without --force (exit 3, nothing changed), and replaces it with', async () => {
    const root = workingCopy();
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(target(root), 'name: mine\n');
    const tri = cli(root);
    const refused = await tri.run(['init']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `${CALLER_WORKFLOW_PATH} already exists and differs from the workflow tri init writes; nothing was overwritten.`,
    );
    expect(refused.stderr).toContain('`tri init --force`');
    expect(readFileSync(target(root), 'utf8')).toBe('name: mine\n');

    const forced = await tri.run(['init', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`Replaced ${CALLER_WORKFLOW_PATH}.`);
    expect(readFileSync(target(root), 'utf8')).toBe(callerWorkflow());
  });

  it('prints the workflow on stdout with --dry-run and the commands on stderr, writing nothing', async () => {
    const root = workingCopy();
    const run = await cli(root).run(['init', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(callerWorkflow());
    expect(run.stderr).toContain('gh secret set RAILWAY_TOKEN');
    expect(existsSync(target(root))).toBe(false);
  });

  it('takes no arguments and knows its options', async () => {
    const tri = cli(workingCopy());
    const extra = await tri.run(['init', 'now']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('`tri init` takes no arguments; got "now".');
    const help = await tri.run(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tri init [--dry-run] [--force]');
    expect((await tri.run(['--help'])).stdout).toMatch(/^ {2}init +Write the issue-sandbox workflow/m);
  });
});
