import { EVENT_TYPES } from '@trinity/core';
import { z } from 'zod';
import type { CommandSpec } from '../command.js';
import { agentLink } from '../commands/agent-link.js';
import { agentLog } from '../commands/agent-log.js';
import { agentStatus } from '../commands/agent-status.js';
import { agentStep } from '../commands/agent-step.js';
import { agentSync } from '../commands/agent-sync.js';
import { agentUnlink } from '../commands/agent-unlink.js';
import { sandboxMapping } from '../commands/sandbox-mapping.js';

/** The command line a tool call stands for: the tool runs that command, nothing else. */
export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * One MCP tool: its name and schema for the agent, and the `tri` command it runs. Every tool is a
 * command of the CLI with its arguments given as JSON, so the outbox, the redaction, the GitHub
 * client and the error messages are the CLI's own (docs/agents.md).
 */
export interface TriTool {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodRawShape;
  command: CommandSpec;
  /** The command line for the call's arguments (already validated against `inputSchema`). */
  commandLine(args: unknown): CommandLine;
}

function defineTool<Shape extends z.ZodRawShape>(tool: {
  name: string;
  title: string;
  description: string;
  inputSchema: Shape;
  command: CommandSpec;
  commandLine(args: z.infer<z.ZodObject<Shape>>): CommandLine;
}): TriTool {
  const schema = z.object(tool.inputSchema);
  return { ...tool, commandLine: (args) => tool.commandLine(schema.parse(args ?? {})) };
}

// A number or a string: the core's parser then gives the CLI's message for 0, "abc" or a URL of
// another repository, instead of a schema error that does not say what an issue may look like.
const issue = () => z.union([z.number().int(), z.string()]);
const ISSUE_TEXT = 'The issue: a number (506), "#506" or an issue URL of this repository.';
const REPO_TEXT =
  'owner/name of the repository (default: GITHUB_REPOSITORY, else the origin remote of the working copy).';

const eventType = z.enum(EVENT_TYPES, {
  error: (problem) =>
    `event is ${JSON.stringify(problem.input)}, which is not a journal event type. Use one of: ${EVENT_TYPES.join(', ')}.`,
});

export const TOOLS: readonly TriTool[] = [
  defineTool({
    name: 'link',
    title: 'Link the working copy to an issue',
    description:
      'Links this working copy to a GitHub issue (writes .trinity/current_issue.json) so that `step` knows ' +
      'where steps go; with a token it first checks that the issue exists. Linking the issue already ' +
      'linked changes nothing. Same as `tri agent link`. Fails with what to do when the issue number is ' +
      'malformed, the issue is not found, the token is refused, or the repository cannot be told.',
    inputSchema: {
      issue: issue().describe(ISSUE_TEXT),
      repo: z.string().optional().describe(REPO_TEXT),
    },
    command: agentLink,
    commandLine: (args) => ({ values: { repo: args.repo }, positionals: [String(args.issue)] }),
  }),
  defineTool({
    name: 'unlink',
    title: 'Forget the linked issue',
    description:
      'Removes .trinity/current_issue.json. Experience files and queued steps are kept (queued steps still ' +
      'publish with `sync`). Same as `tri agent unlink`.',
    inputSchema: {},
    command: agentUnlink,
    commandLine: () => ({ values: {}, positionals: [] }),
  }),
  defineTool({
    name: 'step',
    title: 'Journal a step on the linked issue',
    description:
      'Records one step of work: writes .trinity/experience/<timestamp>_<issue>.md (commit it with the work), ' +
      'counts the step, and posts an event comment to the linked issue, updating its status comment. Token ' +
      'shapes and the token itself are redacted from the file and the comment. When GitHub cannot be reached ' +
      'or there is no token, the step is queued in .trinity/outbox/ and the result says so: it IS recorded, ' +
      'do not repeat it; call `sync` later. Same as `tri agent step`. Fails when nothing is linked (call ' +
      '`link` first) or the message is empty.',
    inputSchema: {
      message: z
        .string()
        .describe('What was done, in Markdown (a few lines; test output is fine). Mentions are neutralised.'),
      event: eventType
        .optional()
        .describe(`The journal event type (default step_completed). One of: ${EVENT_TYPES.join(', ')}.`),
    },
    command: agentStep,
    commandLine: (args) => ({ values: { event: args.event }, positionals: [args.message] }),
  }),
  defineTool({
    name: 'status',
    title: 'Show the link, the steps, the outbox and the mapping',
    description:
      'Reads .trinity/current_issue.json, .trinity/outbox/ and the farm file (no network): the linked issue ' +
      'and session, the step count, the queued steps with the reason each is waiting, and the sandbox ' +
      'mapping of the linked issue. Succeeds also when nothing is linked. Same as `tri agent status`.',
    inputSchema: {},
    command: agentStatus,
    commandLine: () => ({ values: {}, positionals: [] }),
  }),
  defineTool({
    name: 'sync',
    title: 'Publish the queued steps',
    description:
      'Publishes .trinity/outbox/ oldest first; a step already in the thread is not posted twice, so it is ' +
      'safe to call again. An error result says how many steps remain and why (no token, token refused, ' +
      'GitHub unreachable). Same as `tri agent sync`.',
    inputSchema: {},
    command: agentSync,
    commandLine: () => ({ values: {}, positionals: [] }),
  }),
  defineTool({
    name: 'mapping',
    title: 'Read an issue’s sandbox mapping',
    description:
      'getMapping(issue) from the farm file (.trinity/railway_farm.json): session_id, railway_service_id, ' +
      'deployment_id, experience_file, `missing` (what a legacy row lacks) and the whole row. No network. ' +
      'Same as `tri sandbox mapping`. Fails with what to do when the issue is not bound or the farm file is ' +
      'corrupt.',
    inputSchema: { issue: issue().describe(ISSUE_TEXT) },
    command: sandboxMapping,
    commandLine: (args) => ({ values: {}, positionals: [String(args.issue)] }),
  }),
  defineTool({
    name: 'log',
    title: 'Rebuild an issue’s journal from its thread',
    description:
      'Reads every comment of the issue and lists its journal events (time, type, key, comment URL) and ' +
      'the latest status; with `mermaid: true` returns the timeline picture the status comment shows ' +
      '(Markdown with a mermaid block). Needs a token. Same as `tri agent log`.',
    inputSchema: {
      issue: issue().optional().describe(`${ISSUE_TEXT} Default: the linked issue.`),
      repo: z.string().optional().describe(REPO_TEXT),
      mermaid: z.boolean().optional().describe('Return the timeline picture instead of the event list.'),
    },
    command: agentLog,
    commandLine: (args) => ({
      values: { repo: args.repo, mermaid: args.mermaid },
      positionals: args.issue === undefined ? [] : [String(args.issue)],
    }),
  }),
];
