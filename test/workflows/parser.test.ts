/**
 * The shipped workflows as GitHub reads them: `@actions/workflow-parser`, the parser GitHub publishes
 * from actions/languageservices (the one behind its VS Code extension), with its schema of the workflow
 * syntax (`queue: max`, `vars`, `number` inputs, `workflow_call` included). A workflow it refuses would
 * not start on GitHub. actionlint runs beside it (actionlint.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';
import { shippedWorkflowFiles } from './support/workflow.js';

const FILES = shippedWorkflowFiles();

async function problemsOf(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const parseErrors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value === undefined) return parseErrors.length > 0 ? parseErrors : ['no workflow'];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...parseErrors, ...(template.errors ?? []).map((error) => error.Message)];
}

describe("GitHub's workflow parser", () => {
  it.each(FILES)('%s parses with no error', async (file) => {
    expect(await problemsOf(file, readFileSync(join(repoRoot, file), 'utf8'))).toEqual([]);
  });

  it('refuses what GitHub refuses (so the check above can fail)', async () => {
    const broken = [
      'on: push',
      'concurrency: { group: a, queue: maxx }',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo hi',
      '        shell-script: bash',
    ].join('\n');
    expect((await problemsOf('broken.yml', broken)).length).toBeGreaterThan(0);
  });
});
