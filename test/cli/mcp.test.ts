import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, findEventKey } from '@trinity/core';
import type { GitHubFixture } from '../support/github.js';
import {
  LEGACY_FARM,
  REPO,
  TOKEN,
  cli,
  github,
  listDir,
  readJson,
  workingCopy,
  writeFile,
} from './helpers.js';
import { connectTri, textOf, type TriMcpSession } from './mcp-helpers.js';
import { recordTranscript, transcriptIn } from './mcp-transcript.js';

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'tri', 'index.js');

let gh: GitHubFixture;
const sessions: TriMcpSession[] = [];
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) {
    // Nothing but the protocol may reach stdout, and no token any output.
    expect(session.stdout()).toBe('');
    expect(session.stderr()).not.toContain(TOKEN);
    await session.close();
  }
  await gh.emulator.close();
});

async function tri(root: string, options: Parameters<typeof connectTri>[2] = {}, withGitHub = true) {
  const session = await connectTri(root, withGitHub ? gh : undefined, options);
  sessions.push(session);
  return session;
}

const eventKeys = (issue: number) =>
  gh.emulator
    .repo(REPO)
    .comments(issue)
    .map((comment) => findEventKey(comment.body))
    .filter((key) => key !== undefined);

/** A successful result's structured content (the JSON document the command prints with --json). */
function dataOf(result: CallToolResult): Record<string, unknown> {
  expect(result.isError ?? false, textOf(result)).toBe(false);
  return result.structuredContent ?? {};
}

describe('tri mcp', () => {
  it('lists one tool per journal command, with described input schemas', async () => {
    const session = await tri(workingCopy());
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'link',
      'unlink',
      'step',
      'status',
      'sync',
      'mapping',
      'log',
    ]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((property as { description?: string }).description, `${tool.name}.${name}`).toBeTruthy();
      }
    }
    const step = byName.get('step')?.inputSchema;
    expect(step?.required).toEqual(['message']);
    expect(step?.properties?.message).toMatchObject({ type: 'string' });
    expect(step?.properties?.event).toMatchObject({ type: 'string', enum: [...EVENT_TYPES] });
    expect(byName.get('link')?.inputSchema.required).toEqual(['issue']);
    expect(byName.get('mapping')?.inputSchema.required).toEqual(['issue']);
    expect(byName.get('log')?.inputSchema.required).toBeUndefined();
    expect(byName.get('log')?.inputSchema.properties?.mermaid).toMatchObject({ type: 'boolean' });
  });

  it('links, journals steps, shows the status and mapping, and rebuilds the log from the thread', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const session = await tri(root);

    const link = await session.call('link', { issue: '#506' });
    expect(textOf(link)).toContain(`Linked this working copy to ${REPO}#506 (session session-1).`);
    expect(dataOf(link)).toMatchObject({ linked: { issue_number: 506, repo: REPO }, issue_check: 'found' });

    const first = dataOf(await session.call('step', { message: 'Reproduced the crash with a 3-line test' }));
    expect(first).toMatchObject({ issue: 506, event: 'step_completed', published: true, queued_as: null });
    const failed = await session.call('step', {
      message: 'tsc: 4 errors in src/cache.ts',
      event: 'build_failed',
    });
    expect(dataOf(failed)).toMatchObject({ event: 'build_failed', published: true });
    expect(textOf(failed)).toContain(`Journaled on ${REPO}#506: `);
    expect(eventKeys(506)).toHaveLength(2);
    const comments = gh.emulator.repo(REPO).comments(506);
    expect(comments.some((comment) => comment.body.includes('tsc: 4 errors in src/cache.ts'))).toBe(true);

    const status = dataOf(await session.call('status'));
    expect(status).toMatchObject({
      linked: { issue_number: 506, steps: 2, session_id: 'session-1' },
      mapping: { railway_service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4' },
      outbox: { count: 0 },
    });
    const mapping = dataOf(await session.call('mapping', { issue: 506 }));
    expect(mapping).toMatchObject({
      issue: 506,
      railway_service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
      session_id: 'session-1',
      experience_file: (failed.structuredContent as { experience_file: string }).experience_file,
    });

    const log = dataOf(await session.call('log'));
    expect(log).toMatchObject({ repo: REPO, issue: 506 });
    const events = log.events as Array<{ type: string; key: string; comment_url: string }>;
    expect(events.map((event) => event.type)).toEqual(['step_completed', 'build_failed']);
    expect(events.map((event) => event.key)).toEqual(eventKeys(506));
    const picture = await session.call('log', { mermaid: true });
    expect(textOf(picture)).toContain('```mermaid');
    expect(picture.structuredContent).toBeUndefined();

    expect(dataOf(await session.call('unlink'))).toMatchObject({ unlinked: { issue_number: 506, steps: 2 } });
    expect(listDir(root, '.trinity')).not.toContain('current_issue.json');
  });

  it('redacts the token and secret-looking values from the comment, the experience file and the result', async () => {
    const root = workingCopy();
    const session = await tri(root);
    await session.call('link', { issue: 7 });
    const pat = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const step = await session.call('step', { message: `Rotated ${pat} and ${TOKEN} after the leak` });
    expect(dataOf(step)).toMatchObject({ published: true });
    const [comment] = gh.emulator
      .repo(REPO)
      .comments(7)
      .filter((each) => findEventKey(each.body) !== undefined);
    expect(comment?.body).toContain('Rotated [REDACTED] and [REDACTED] after the leak');
    const [file] = listDir(root, '.trinity/experience');
    const text = readFileSync(join(root, '.trinity/experience', file ?? ''), 'utf8');
    for (const secret of [pat, TOKEN]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(step)).not.toContain(secret);
      expect(session.stderr()).not.toContain(secret);
    }
  });

  it('answers a failure as a tool error that says what to do, the CLI’s words, user errors apart from bugs', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const session = await tri(root);

    const unlinked = await session.call('step', { message: 'Wrote the fix' });
    expect(unlinked.isError).toBe(true);
    expect(textOf(unlinked)).toBe(
      'Nothing is linked: .trinity/current_issue.json does not exist in this working copy, so the step has no ' +
        'issue to go to. Run `tri agent link <issue>` first. Nothing was written.',
    );
    expect(unlinked.structuredContent).toMatchObject({ error: { kind: 'user', exit_code: 3 } });
    expect(listDir(root, '.trinity/experience')).toEqual([]);

    const zero = await session.call('link', { issue: 0 });
    expect(zero.isError).toBe(true);
    expect(textOf(zero)).toContain(
      'The issue number "0" is not a GitHub issue number. Use a whole number from 1',
    );
    const missing = await session.call('link', { issue: 4040 });
    expect(textOf(missing)).toContain(`Issue ${REPO}#4040 was not found (404`);
    const elsewhere = await session.call('link', { issue: 'https://github.com/acme/widgets/issues/5' });
    expect(textOf(elsewhere)).toContain('an issue URL is never re-targeted to another repository');

    const unbound = await session.call('mapping', { issue: 9999 });
    expect(textOf(unbound)).toContain('Issue #9999 is not bound to a sandbox in .trinity/railway_farm.json.');

    // Bad arguments are refused by the schema before anything runs, naming the allowed values.
    const badEvent = await session.call('step', { message: 'x', event: 'build_broke' });
    expect(badEvent.isError).toBe(true);
    expect(textOf(badEvent)).toContain(
      `event is "build_broke", which is not a journal event type. Use one of: ${EVENT_TYPES.join(', ')}.`,
    );

    // `-` cannot mean standard input here: stdin is the protocol.
    await session.call('link', { issue: 7 });
    const dash = await session.call('step', { message: '-' });
    expect(textOf(dash)).toContain('over MCP, pass the text itself as `message`');
    expect(dash.structuredContent).toMatchObject({ error: { kind: 'user' } });

    // GitHub failing is not the user's doing: it says so, and to re-run.
    gh.emulator.injectFault({ kind: 'server_error', operationId: 'issues/list-comments', times: 100 });
    const outage = await session.call('log');
    expect(outage.isError).toBe(true);
    expect(textOf(outage)).toMatch(
      /^Unexpected failure: .*This is an outage or a bug, not a problem with your inputs: re-run the command/,
    );
    expect(outage.structuredContent).toMatchObject({ error: { kind: 'failure', exit_code: 1 } });
    expect(session.stderr()).toContain('tri mcp: log failed: Unexpected failure');
  });

  it('queues steps in the outbox while GitHub is down, shows them, and syncs them once it is back', async () => {
    const root = workingCopy();
    const session = await tri(root);
    await session.call('link', { issue: 7 });

    gh.emulator.injectFault({ kind: 'drop', times: 1_000 });
    const step = await session.call('step', { message: 'Offline: wrote the failing test' });
    // Recorded, so not an error: the agent must not repeat it.
    expect(step.isError ?? false).toBe(false);
    expect(textOf(step)).toMatch(/Queued, not published: GitHub (answered 500|could not be reached)/);
    expect(textOf(step)).toContain('run `tri agent sync` once GitHub is reachable');
    expect(step.structuredContent).toMatchObject({
      published: false,
      queued_as: '.trinity/outbox/20261125T100002000Z_7_000.json',
    });
    expect(dataOf(await session.call('status'))).toMatchObject({ outbox: { count: 1 } });

    const stillDown = await session.call('sync');
    expect(stillDown.isError).toBe(true);
    expect(textOf(stillDown)).toContain('1 step(s) remain in .trinity/outbox/');
    expect(listDir(root, '.trinity/outbox')).toHaveLength(1);

    gh.emulator.clearFaults();
    expect(dataOf(await session.call('sync'))).toMatchObject({ remaining: 0 });
    expect(listDir(root, '.trinity/outbox')).toEqual([]);
    expect(eventKeys(7)).toHaveLength(1);
    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({ steps: 1 });
  });

  it('reads the farm file the server was started with (--farm-path)', async () => {
    const root = workingCopy();
    writeFile(root, 'custom/farm.json', LEGACY_FARM);
    const session = await tri(root, { server: { farmPath: 'custom/farm.json' } }, false);
    expect(dataOf(await session.call('mapping', { issue: 506 }))).toMatchObject({ issue: 506 });
  });

  it('runs one call at a time, as in one shell (two steps at once would race for the step count)', async () => {
    const root = workingCopy({ git: false });
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    // Every command first asks git for the working copy's root: the first call is held there.
    const git = async () => {
      const call = ++calls;
      order.push(`git ${call}`);
      if (call === 1) await held;
      return undefined;
    };
    const session = await tri(root, { git }, false);
    const first = session.call('status').then(() => order.push('done 1'));
    const second = session.call('status').then(() => order.push('done 2'));
    // Every microtask has run by the next macrotask: a second call not queued would have reached git.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['git 1']);
    release();
    await Promise.all([first, second]);
    // The second call ran once the first had finished (its answer may reach the client after that).
    expect([...order].sort()).toEqual(['done 1', 'done 2', 'git 1', 'git 2']);
  });
});

describe('docs/agents.md', () => {
  it('shows the transcript a session gives now (regenerate: npx tsx scripts/mcp-transcript.ts --write)', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'agents.md'), 'utf8');
    expect(transcriptIn(doc)).toBe(await recordTranscript());
  });
});

describe('`tri mcp` on the command line', () => {
  it('is a one-word command: its own help, a row of the top help, suggested for a typo, no arguments', async () => {
    const tri = cli(workingCopy({ git: false }));
    const run = (argv: string[]) => tri.run(argv);
    const help = await run(['mcp', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tri mcp [--cwd path] [--farm-path path]');
    expect((await run(['--help'])).stdout).toMatch(/\n {2}mcp +Serve the journal to coding agents over MCP/);
    expect((await run(['agent', '--help'])).stdout).not.toContain('mcp');
    const typo = await run(['mpc']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Unknown command `tri mpc`. Did you mean `tri mcp`?');
    const extra = await run(['mcp', 'serve']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('`tri mcp` takes no arguments; got "serve".');
    const nowhere = await run(['mcp', '--cwd', 'no/such/dir']);
    expect(nowhere.code).toBe(3);
    expect(nowhere.stderr).toContain('--cwd is "no/such/dir", which is not a directory.');
  });
});

describe.skipIf(!existsSync(BUNDLE))('tri mcp from dist/tri/index.js over stdio', () => {
  it('serves the SDK’s stdio client: link, step and log against GitHub, nothing but JSON-RPC on stdout', async () => {
    const root = workingCopy();
    const transport = new StdioClientTransport({
      command: process.execPath,
      // Started elsewhere, as an agent may start it, and pointed at the working copy.
      args: [BUNDLE, 'mcp', '--cwd', root],
      cwd: workingCopy({ git: false }),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? root,
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: gh.emulator.url,
      },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'tri-bundle-test', version: '0.0.0' });
    // A stray line on stdout would fail the client's parse of the stream: collect any such error.
    const errors: Error[] = [];
    client.onerror = (error) => errors.push(error);
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'tri' });
      const link = (await client.callTool({ name: 'link', arguments: { issue: 7 } })) as CallToolResult;
      expect(link.structuredContent).toMatchObject({ linked: { issue_number: 7 } });
      const step = (await client.callTool({
        name: 'step',
        arguments: { message: 'Journaled from the bundle over stdio' },
      })) as CallToolResult;
      expect(step.structuredContent).toMatchObject({ issue: 7, published: true });
      const log = (await client.callTool({ name: 'log', arguments: {} })) as CallToolResult;
      expect(log.structuredContent).toMatchObject({ issue: 7, events: [{ type: 'step_completed' }] });
      expect(eventKeys(7)).toHaveLength(1);
    } finally {
      await client.close();
    }
    expect(errors).toEqual([]);
    expect(stderr).toContain(`tri mcp: serving the journal of ${root} over MCP`);
    expect(listDir(root, '.trinity/experience')).toHaveLength(1);
    expect(stderr).not.toContain(TOKEN);
  });
});
