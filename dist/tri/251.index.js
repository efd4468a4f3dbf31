export const id = 251;
export const ids = [251];
export const modules = {

/***/ 6251:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  serveStdio: () => (/* binding */ serveStdio)
});

// EXTERNAL MODULE: ./node_modules/@modelcontextprotocol/sdk/dist/esm/server/stdio.js + 1 modules
var stdio = __webpack_require__(9424);
// EXTERNAL MODULE: ./node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js + 57 modules
var mcp = __webpack_require__(2371);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 149 modules
var src = __webpack_require__(8243);
// EXTERNAL MODULE: ./packages/cli/src/exit-codes.ts
var exit_codes = __webpack_require__(3067);
// EXTERNAL MODULE: ./packages/cli/src/version.ts
var version = __webpack_require__(5270);
// EXTERNAL MODULE: ./packages/cli/src/io.ts
var io = __webpack_require__(3632);
;// CONCATENATED MODULE: ./packages/cli/src/mcp/tool-io.ts


function redactDeep(value, clean) {
    if (typeof value === 'string')
        return clean(value);
    if (Array.isArray(value))
        return value.map((item) => redactDeep(item, clean));
    if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, clean)]));
    }
    return value;
}
function createToolIo(env, options) {
    const secrets = (0,io/* environmentSecrets */.P)(env);
    const clean = (text) => (0,src/* redactKnownSecrets */.Okr)(text, secrets);
    const lines = [];
    let document;
    // Kept raw and redacted when read: a secret a command registers late still leaves the result masked.
    const keep = (line) => lines.push(line);
    const toStderr = (line) => env.stderr(`${clean(line)}\n`);
    const console = (0,src/* createConsoleLogger */.cSm)({ verbose: options.verbose, write: toStderr });
    // Logs go to the server's stderr; warnings and errors also reach the agent, who can act on them
    // (e.g. "Could not reach GitHub to check octo-org/app#506; linking anyway").
    const logger = {
        ...console,
        warning: (message) => {
            console.warning(message);
            keep(`warning: ${message}`);
        },
        error: (message) => {
            console.error(message);
            keep(`error: ${message}`);
        },
    };
    return {
        json: true,
        logger,
        say: keep,
        note: keep,
        data: (value) => {
            document = value;
        },
        printJson: (value) => {
            document = value;
        },
        addSecret: (value) => {
            if (value !== '' && !secrets.includes(value))
                secrets.push(value);
        },
        secrets,
        get lines() {
            return lines.map(clean);
        },
        get document() {
            return redactDeep(document, clean);
        },
        clean,
    };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 4 modules
var schemas = __webpack_require__(9133);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-link.ts
var agent_link = __webpack_require__(3961);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-log.ts
var agent_log = __webpack_require__(4931);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-status.ts
var agent_status = __webpack_require__(9875);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-step.ts
var agent_step = __webpack_require__(9395);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-sync.ts
var agent_sync = __webpack_require__(8202);
// EXTERNAL MODULE: ./packages/cli/src/commands/agent-unlink.ts
var agent_unlink = __webpack_require__(3350);
// EXTERNAL MODULE: ./packages/cli/src/commands/sandbox-mapping.ts
var sandbox_mapping = __webpack_require__(9605);
;// CONCATENATED MODULE: ./packages/cli/src/mcp/tools.ts









function defineTool(tool) {
    const schema = schemas/* object */.Ikc(tool.inputSchema);
    return { ...tool, commandLine: (args) => tool.commandLine(schema.parse(args ?? {})) };
}
// A number or a string: the core's parser then gives the CLI's message for 0, "abc" or a URL of
// another repository, instead of a schema error that does not say what an issue may look like.
const issue = () => schemas/* union */.KCZ([schemas/* number */.aig().int(), schemas/* string */.YjP()]);
const ISSUE_TEXT = 'The issue: a number (506), "#506" or an issue URL of this repository.';
const REPO_TEXT = 'owner/name of the repository (default: GITHUB_REPOSITORY, else the origin remote of the working copy).';
const eventType = schemas/* enum */.k5n(src/* EVENT_TYPES */.Ruq, {
    error: (problem) => `event is ${JSON.stringify(problem.input)}, which is not a journal event type. Use one of: ${src/* EVENT_TYPES */.Ruq.join(', ')}.`,
});
const TOOLS = [
    defineTool({
        name: 'link',
        title: 'Link the working copy to an issue',
        description: 'Links this working copy to a GitHub issue (writes .trinity/current_issue.json) so that `step` knows ' +
            'where steps go; with a token it first checks that the issue exists. Linking the issue already ' +
            'linked changes nothing. Same as `tri agent link`. Fails with what to do when the issue number is ' +
            'malformed, the issue is not found, the token is refused, or the repository cannot be told.',
        inputSchema: {
            issue: issue().describe(ISSUE_TEXT),
            repo: schemas/* string */.YjP().optional().describe(REPO_TEXT),
        },
        command: agent_link/* agentLink */.E,
        commandLine: (args) => ({ values: { repo: args.repo }, positionals: [String(args.issue)] }),
    }),
    defineTool({
        name: 'unlink',
        title: 'Forget the linked issue',
        description: 'Removes .trinity/current_issue.json. Experience files and queued steps are kept (queued steps still ' +
            'publish with `sync`). Same as `tri agent unlink`.',
        inputSchema: {},
        command: agent_unlink/* agentUnlink */.r,
        commandLine: () => ({ values: {}, positionals: [] }),
    }),
    defineTool({
        name: 'step',
        title: 'Journal a step on the linked issue',
        description: 'Records one step of work: writes .trinity/experience/<timestamp>_<issue>.md (commit it with the work), ' +
            'counts the step, and posts an event comment to the linked issue, updating its status comment. Token ' +
            'shapes and the token itself are redacted from the file and the comment. When GitHub cannot be reached ' +
            'or there is no token, the step is queued in .trinity/outbox/ and the result says so: it IS recorded, ' +
            'do not repeat it; call `sync` later. Same as `tri agent step`. Fails when nothing is linked (call ' +
            '`link` first) or the message is empty.',
        inputSchema: {
            message: schemas/* string */.YjP()
                .describe('What was done, in Markdown (a few lines; test output is fine). Mentions are neutralised.'),
            event: eventType
                .optional()
                .describe(`The journal event type (default step_completed). One of: ${src/* EVENT_TYPES */.Ruq.join(', ')}.`),
        },
        command: agent_step/* agentStep */.M,
        commandLine: (args) => ({ values: { event: args.event }, positionals: [args.message] }),
    }),
    defineTool({
        name: 'status',
        title: 'Show the link, the steps, the outbox and the mapping',
        description: 'Reads .trinity/current_issue.json, .trinity/outbox/ and the farm file (no network): the linked issue ' +
            'and session, the step count, the queued steps with the reason each is waiting, and the sandbox ' +
            'mapping of the linked issue. Succeeds also when nothing is linked. Same as `tri agent status`.',
        inputSchema: {},
        command: agent_status/* agentStatus */.o,
        commandLine: () => ({ values: {}, positionals: [] }),
    }),
    defineTool({
        name: 'sync',
        title: 'Publish the queued steps',
        description: 'Publishes .trinity/outbox/ oldest first; a step already in the thread is not posted twice, so it is ' +
            'safe to call again. An error result says how many steps remain and why (no token, token refused, ' +
            'GitHub unreachable). Same as `tri agent sync`.',
        inputSchema: {},
        command: agent_sync/* agentSync */.r,
        commandLine: () => ({ values: {}, positionals: [] }),
    }),
    defineTool({
        name: 'mapping',
        title: 'Read an issue’s sandbox mapping',
        description: 'getMapping(issue) from the farm file (.trinity/railway_farm.json): session_id, railway_service_id, ' +
            'deployment_id, experience_file, `missing` (what a legacy row lacks) and the whole row. No network. ' +
            'Same as `tri sandbox mapping`. Fails with what to do when the issue is not bound or the farm file is ' +
            'corrupt.',
        inputSchema: { issue: issue().describe(ISSUE_TEXT) },
        command: sandbox_mapping/* sandboxMapping */.Y,
        commandLine: (args) => ({ values: {}, positionals: [String(args.issue)] }),
    }),
    defineTool({
        name: 'log',
        title: 'Rebuild an issue’s journal from its thread',
        description: 'Reads every comment of the issue and lists its journal events (time, type, key, comment URL) and ' +
            'the latest status; with `mermaid: true` returns the timeline picture the status comment shows ' +
            '(Markdown with a mermaid block). Needs a token. Same as `tri agent log`.',
        inputSchema: {
            issue: issue().optional().describe(`${ISSUE_TEXT} Default: the linked issue.`),
            repo: schemas/* string */.YjP().optional().describe(REPO_TEXT),
            mermaid: schemas/* boolean */.zMY().optional().describe('Return the timeline picture instead of the event list.'),
        },
        command: agent_log/* agentLog */.E,
        commandLine: (args) => ({
            values: { repo: args.repo, mermaid: args.mermaid },
            positionals: args.issue === undefined ? [] : [String(args.issue)],
        }),
    }),
];

;// CONCATENATED MODULE: ./packages/cli/src/mcp/server.ts






const INSTRUCTIONS = 'tri journals your work on a GitHub issue: `link` the issue once, then call `step` after each ' +
    'meaningful piece of work (what you did, what you found, what failed). A step is recorded even when ' +
    'GitHub is unreachable (it is queued; call `sync` later), so never repeat a step. `status` shows the ' +
    "link, the queue and the issue's sandbox; `mapping` an issue's sandbox; `log` the journal so far. " +
    'Messages name the CLI commands: `tri agent link` is the `link` tool, `tri agent sync` the `sync` tool, ' +
    'and so on.';
/** Bad arguments, something the user can fix, or an outage/bug: the CLI's exit codes 2, 3 and 1. */
function kindOf(error) {
    if (error instanceof exit_codes/* UsageError */.eb)
        return 'usage';
    return error instanceof src/* UserError */.yot ? 'user' : 'failure';
}
/** The CLI's failure text, without its "Run `tri … --help`" hint: a tool's schema is its help. */
function messageOf(error) {
    return error instanceof exit_codes/* UsageError */.eb ? error.message : (0,exit_codes/* failureMessage */.oh)(error);
}
function resultOf(io, code) {
    const text = io.lines.join('\n');
    const document = io.document;
    const content = [];
    if (text !== '')
        content.push({ type: 'text', text });
    // The spec asks a tool that returns structured content to return it as text as well.
    if (document !== undefined)
        content.push({ type: 'text', text: JSON.stringify(document, null, 2) });
    const structured = typeof document === 'object' && document !== null && !Array.isArray(document)
        ? { structuredContent: document }
        : {};
    return { content, ...structured, ...(code === exit_codes/* EXIT */.dc.ok ? {} : { isError: true }) };
}
function failureOf(io, error) {
    const code = (0,exit_codes/* exitCodeOf */.FO)(error);
    const message = io.clean(messageOf(error));
    // What the command said before failing (a warning, say) follows the reason.
    const text = [message, ...io.lines].join('\n');
    return {
        content: [{ type: 'text', text }],
        structuredContent: { error: { kind: kindOf(error), exit_code: code, message } },
        isError: true,
    };
}
async function callTool(tool, args, env, options) {
    const io = createToolIo(env, { verbose: options.verbose === true });
    try {
        const { values, positionals } = tool.commandLine(args);
        const farm = options.farmPath !== undefined && 'farm-path' in tool.command.options
            ? { 'farm-path': options.farmPath }
            : {};
        const code = await tool.command.run({ values: { ...values, ...farm }, positionals, env, io });
        return resultOf(io, code);
    }
    catch (thrown) {
        const error = (0,src/* explainLocalFailure */.Zpm)(thrown);
        const result = failureOf(io, error);
        env.stderr(`tri mcp: ${tool.name} failed: ${io.clean(messageOf(error))}\n`);
        return result;
    }
}
/**
 * The `tri mcp` server: one tool per journal command (tools.ts), run against `env` exactly as the CLI
 * runs them, except that nothing reaches stdout (the protocol's channel) and stdin is not read.
 */
function createTriMcpServer(env, options = {}) {
    const toolEnv = {
        ...env,
        stdout: env.stderr,
        readStdin: () => Promise.reject(new src/* UserError */.yot('The message `-` means "read standard input" on the command line; over MCP, pass the text itself as `message`.')),
    };
    const server = new mcp/* McpServer */._({ name: 'tri', version: version/* VERSION */.x }, { instructions: INSTRUCTIONS });
    // One call at a time, like commands typed in one shell: two steps at once would race for the step
    // count in .trinity/current_issue.json.
    let queue = Promise.resolve();
    for (const tool of TOOLS) {
        server.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.inputSchema }, (args) => {
            const call = queue.then(() => callTool(tool, args, toolEnv, options));
            queue = call.catch(() => undefined);
            return call;
        });
    }
    return server;
}

;// CONCATENATED MODULE: ./packages/cli/src/mcp/stdio.ts


/**
 * Serves `tri mcp` on this process's stdin/stdout until the client closes stdin. Loaded only by
 * `tri mcp` (a dynamic import), so the other commands do not pay for the SDK at start-up.
 */
async function serveStdio(env, options) {
    // stdout carries the protocol: a library that logs with console.log would corrupt it.
    console.log = console.info = console.debug = console.error;
    const server = createTriMcpServer(env, options);
    const closed = new Promise((resolve) => {
        server.server.onclose = resolve;
    });
    await server.connect(new stdio/* StdioServerTransport */.S());
    // The transport does not notice the end of stdin; the client closing it is the end of the session.
    const stop = () => void server.close();
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
    env.stderr(`tri mcp: serving the journal of ${env.cwd} over MCP on stdio (logs on stderr).\n`);
    await closed;
}


/***/ })

};
