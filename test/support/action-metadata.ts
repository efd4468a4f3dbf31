import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = new URL('../../', import.meta.url).pathname;

export interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  branding?: { icon: string; color: string };
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export function actionNames(): string[] {
  return readdirSync(join(repoRoot, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, 'actions', entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

export function readActionMetadata(name: string): ActionMetadata {
  return parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as ActionMetadata;
}
