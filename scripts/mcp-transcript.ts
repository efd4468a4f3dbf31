/**
 * `tsx scripts/mcp-transcript.ts [--write]`: the transcript of a `tri mcp` session that docs/agents.md
 * shows, recorded from a real run (test/cli/mcp-transcript.ts: the SDK's client, the server, the
 * GitHub emulator). Prints it, or with --write replaces it between the markers in docs/agents.md;
 * test/cli/mcp.test.ts fails when the doc's copy is not what a run gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { recordTranscript, withTranscript } from '../test/cli/mcp-transcript.js';

const DOC = new URL('../docs/agents.md', import.meta.url);
const transcript = await recordTranscript();
if (process.argv.includes('--write')) {
  writeFileSync(DOC, withTranscript(readFileSync(DOC, 'utf8'), transcript));
  console.error('Wrote the transcript into docs/agents.md.');
} else {
  console.log(transcript);
}
