import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUTHOR_ASSOCIATIONS,
  REPOSITORY_PATTERN,
  TRUSTED_AUTHOR_ASSOCIATIONS,
  inputsFromRecord,
  isTrustedComment,
  readProvisionSettings,
  toCurrentIssue,
} from '@trinity/core';
import { checkRepo } from '../../packages/cli/src/repository.js';
import { runContext } from '../support/settings-fixtures.js';

const base = { 'github-token': 'ghs_abc', 'railway-token': 'rw_secret' };

function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

describe('GitHub facts written once', () => {
  it('the gate lets in by default exactly whom the journal trusts', () => {
    const settings = readProvisionSettings(
      inputsFromRecord({ ...base, image: 'nginx:alpine' }),
      runContext(),
    );
    expect(settings.allowedAssociations).toEqual([...TRUSTED_AUTHOR_ASSOCIATIONS]);
    const trusted = AUTHOR_ASSOCIATIONS.filter((association) =>
      isTrustedComment({ id: 1, html_url: 'u', updated_at: 't', author_association: association }),
    );
    expect(trusted).toEqual([...TRUSTED_AUTHOR_ASSOCIATIONS]);
  });

  it.each([
    ['octo-org/app', true],
    ['a.b-c_d/e.f', true],
    ['octo-org', false],
    ['octo org/app', false],
    ['octo-org/app/extra', false],
    ['https://github.com/octo-org/app', false],
  ])('%j is a repository to the repo input, the current-issue file and the CLI alike (%s)', (repo, valid) => {
    expect(REPOSITORY_PATTERN.test(repo)).toBe(valid);
    expect(accepts(() => readProvisionSettings(inputsFromRecord({ ...base, repo }), runContext()))).toBe(
      valid,
    );
    expect(
      accepts(() =>
        toCurrentIssue({
          issue_number: 7,
          repo,
          session_id: 's',
          linked_at: '2026-03-18T10:00:00.000Z',
          last_step_at: null,
          steps: 0,
        }),
      ),
    ).toBe(valid);
    expect(accepts(() => checkRepo(repo, '--repo'))).toBe(valid);
  });

  it('are spelled out only in github-facts.ts', () => {
    const root = path.resolve(import.meta.dirname, '../../packages');
    const spelled = [
      "'https://api.github.com'",
      'https://api.github.com;',
      '[A-Za-z0-9_.-]+\\/[A-Za-z0-9_.-]+',
      "'OWNER', 'MEMBER', 'COLLABORATOR'",
    ];
    const found: string[] = [];
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'github-facts.ts') continue;
      if (entry.parentPath.includes(`${path.sep}dist`) || entry.parentPath.includes('node_modules')) continue;
      const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      for (const literal of spelled) {
        if (text.includes(literal))
          found.push(`${path.relative(root, entry.parentPath)}/${entry.name}: ${literal}`);
      }
    }
    expect(found).toEqual([]);
  });
});
