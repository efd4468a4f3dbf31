import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { COMMIT_ON_BRANCH, filesAtQuery, headQuery, headSelection, runSnapshotDocument } from '@trinity/core';
import { githubSchema } from '../emulators/github/graphql/schema.js';

describe('GraphQL documents of the api commit mode', () => {
  it('are valid against GitHub public schema (@octokit/graphql-schema) in every shape sent', async () => {
    const schema = await githubSchema();
    const documents = [
      headQuery(0, false),
      headQuery(0, true),
      headQuery(1, false),
      headQuery(3, true),
      filesAtQuery(1),
      filesAtQuery(2),
      COMMIT_ON_BRANCH,
      // A run's one read, in the git mode (the issue alone) and in the api mode (with the head).
      runSnapshotDocument(),
      runSnapshotDocument(headSelection(1, true)),
      runSnapshotDocument(headSelection(2, false)),
    ];
    for (const document of documents) {
      expect(
        validate(schema, parse(document)).map((e) => e.message),
        document,
      ).toEqual([]);
    }
  });
});
