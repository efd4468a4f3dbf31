/**
 * Did the story go as it should? The thread holds the expected events in order, nothing is left
 * on Railway, the pasted token reached no comment or experience file, and no secret was printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEventMarker } from '@trinity/core';
import type { World } from '../../test/support/e2e-world.js';
import { PASTED_SECRET } from './cast.js';
import { EXPECTED_EVENTS } from './expected.js';
import type { Story } from './story.js';
import { listExperience } from './tri.js';

/** What went wrong, one sentence each; empty when the story went as it should. */
export function checkStory(world: World, story: Story, secretPrinted: boolean): string[] {
  const repo = world.github.repo(world.repo);
  const comments = repo.comments(world.issue);
  const problems: string[] = [];
  if (story.failure !== undefined) problems.push(story.failure);
  else {
    const events = comments
      .map((comment) => findEventMarker(comment.body)?.type)
      .filter((type) => type !== undefined);
    if (events.join() !== EXPECTED_EVENTS.join())
      problems.push(`the thread's events are ${events.join(', ')}; expected ${EXPECTED_EVENTS.join(', ')}`);
    const services = world.railway.state.services(world.projectId);
    if (services.length !== 0) problems.push(`${services.length} Railway service(s) left after destroy`);
  }
  const { workingCopy } = story;
  const stored = [
    ...comments.map((comment) => comment.body),
    ...story.experienceFiles.map((path) => repo.readFile(path) ?? ''),
    ...(workingCopy === undefined ? [] : listExperience(workingCopy)).map((name) =>
      readFileSync(join(workingCopy ?? '', '.trinity/experience', name), 'utf8'),
    ),
  ];
  if (stored.some((text) => text.includes(PASTED_SECRET)))
    problems.push('the pasted token reached the thread or an experience file');
  if (secretPrinted) problems.push('a secret was about to be printed (it was not)');
  return problems;
}
