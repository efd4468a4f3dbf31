import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_TOKEN, SERVICE_CREATE, setup } from './helpers.js';
import type { Setup } from './helpers.js';

let s: Setup;
beforeAll(async () => {
  s = await setup();
});
afterAll(async () => {
  await s.emu.close();
});

describe('Railway emulator: documents are validated against the real schema', () => {
  it('rejects a field the schema does not have, with graphql-js message and data: null', async () => {
    const r = await s.gql('query { me { id nonsense } }');
    expect(r.status).toBe(400);
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe('Cannot query field "nonsense" on type "User".');
    expect(r.body.errors?.[0]?.locations).toEqual([{ line: 1, column: 17 }]);
  });

  it('rejects an unknown root field', async () => {
    const r = await s.gql('query { viewer { id } }');
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe('Cannot query field "viewer" on type "Query".');
  });

  it('rejects a wrong input key with the did-you-mean coercion message', async () => {
    const r = await s.gql(
      'mutation EnvCreate($input: EnvironmentCreateInput!) { environmentCreate(input: $input) { id name } }',
      { input: { projectId: s.projectId, name: 'pr-1', isEphemeral: true } },
    );
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]?.message).toContain(
      'Field "isEphemeral" is not defined by type "EnvironmentCreateInput". Did you mean "ephemeral"?',
    );
    // Nothing was created.
    const envs = await s.gql(
      'query($id: String!) { project(id: $id) { environments { edges { node { name } } } } }',
      {
        id: s.projectId,
      },
    );
    expect(JSON.stringify(envs.body.data)).not.toContain('pr-1');
  });

  it('accepts the correct input key', async () => {
    const r = await s.gql(
      'mutation EnvCreate($input: EnvironmentCreateInput!) { environmentCreate(input: $input) { name isEphemeral projectId } }',
      { input: { projectId: s.projectId, name: 'pr-2', ephemeral: true } },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({
      environmentCreate: { name: 'pr-2', isEphemeral: true, projectId: s.projectId },
    });
  });

  it('rejects a variable of the wrong type', async () => {
    const r = await s.gql('query D($id: String!) { deployment(id: $id) { id } }', { id: 42 });
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe(
      'Variable "$id" got invalid value 42; String cannot represent a non string value: 42',
    );
  });

  it('rejects a variable declared with a type the argument does not accept', async () => {
    const r = await s.gql('query D($id: Int!) { deployment(id: $id) { id } }', { id: 1 });
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe(
      'Variable "$id" of type "Int!" used in position expecting type "String!".',
    );
  });

  it('rejects a missing required argument', async () => {
    const r = await s.gql('query { deployment { id } }');
    expect(r.body.errors?.[0]?.message).toBe(
      'Field "deployment" argument "id" of type "String!" is required, but it was not provided.',
    );
  });

  it('rejects EnvironmentVariables with non-string values', async () => {
    const r = await s.gql(SERVICE_CREATE, {
      input: { projectId: s.projectId, name: 'bad-vars', variables: { PORT: 8080 } },
    });
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toMatch(
      /Expected type "EnvironmentVariables"\. .*"PORT" must be a string/,
    );
    expect(s.emu.state.services(s.projectId).map((x) => x.name)).not.toContain('bad-vars');
  });

  it('answers invalid documents with 200 instead when switched (invalidDocumentStatus: 200)', async () => {
    const lenient = await setup({ invalidDocumentStatus: 200 });
    try {
      const r = await lenient.gql('query { me { id nonsense } }');
      expect(r.status).toBe(200);
      expect(r.body.errors?.[0]?.message).toBe('Cannot query field "nonsense" on type "User".');
    } finally {
      await lenient.emu.close();
    }
  });

  it('reports syntax errors', async () => {
    const r = await s.gql('query { me { id }');
    expect(r.status).toBe(400);
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toMatch(/^Syntax Error: /);
  });

  it('answers 400 for a malformed JSON body or a missing query', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${ACCOUNT_TOKEN}` };
    const bad = await fetch(s.emu.url, { method: 'POST', headers, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const missing = await fetch(s.emu.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ variables: {} }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ errors: [{ message: 'Must provide query string.' }] });
  });

  it('answers 404 for other methods and paths', async () => {
    expect((await fetch(s.emu.url)).status).toBe(404);
    const other = await fetch(s.emu.url.replace('/graphql/v2', '/graphql'), { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
  });

  it('fails clearly on a real operation the emulator does not implement', async () => {
    const r = await s.gql('query { regions { name } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe('Emulator: operation "regions" is not implemented');
  });

  it('fails clearly on a real field the emulator does not implement', async () => {
    const r = await s.gql(
      'query($id: String!) { project(id: $id) { id volumes { edges { node { id } } } } }',
      {
        id: s.projectId,
      },
    );
    expect(r.body.errors?.[0]?.message).toBe('Emulator: field "Project.volumes" is not implemented');
    expect(r.body.data).toBeNull();
  });

  it('answers introspection', async () => {
    const r = await s.gql('query { __type(name: "DeploymentStatus") { enumValues { name } } }');
    const values = (r.body.data?.__type as { enumValues: { name: string }[] }).enumValues;
    expect(values).toHaveLength(13);
  });
});
