import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';

function sha256(path: string): string {
  return createHash('sha256')
    .update(readFileSync(join(repoRoot, path)))
    .digest('hex');
}

describe('vendored API descriptions', () => {
  it('are byte-identical to the recorded sources', () => {
    expect(sha256('vendor/railway/schema.json')).toBe(
      '5e849390d4d43a2d7222d2f490005b853142b8158875d657efa1d8c37dbd0815',
    );
    expect(sha256('vendor/github/rest-api-subset.json')).toBe(
      '10d1bebece0e11c206f54a6c1cd3c0b5b7b43e2badbb35e9772a98ce32ba79d5',
    );
  });

  it('the Railway schema builds and has the operations the product uses', () => {
    const json = JSON.parse(readFileSync(join(repoRoot, 'vendor/railway/schema.json'), 'utf8')) as {
      data: Parameters<typeof buildClientSchema>[0];
    };
    const schema = buildClientSchema(json.data);
    const query = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutation = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(query).toEqual(
      expect.arrayContaining([
        'project',
        'serviceInstance',
        'deployment',
        'deployments',
        'buildLogs',
        'deploymentLogs',
        'me',
        'projectToken',
      ]),
    );
    expect(mutation).toEqual(
      expect.arrayContaining([
        'serviceCreate',
        'serviceInstanceDeployV2',
        'serviceDomainCreate',
        'variableCollectionUpsert',
        'serviceDelete',
      ]),
    );
  });
});
