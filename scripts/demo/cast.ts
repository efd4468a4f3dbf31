/** The demo's script: who says what. Shared with its test, which checks what must never be shown. */

/**
 * A personal-access-token look-alike pasted into a journal message by mistake. It is fake (no
 * account anywhere has it), but shaped like a real `ghp_` token so the redaction has to catch it.
 */
export const PASTED_SECRET = 'ghp_D3moN0tARealT0kenJustTheShape0f1tXyz';

/** The developer's own token for `tri` and for closing the issue (the emulator only). */
export const DEVELOPER_TOKEN = 'ghs_demoDeveloperToken7331';

export const JOURNAL_MESSAGES = [
  'Reproduced it: README.md line 3 says "commmit". Added a spell-check step to CI to catch it.',
  `Fixed the typo and the spell-check passes. Pinging @octocat for review. (Oops, pasted my shell history: export GITHUB_TOKEN=${PASTED_SECRET})`,
];

export const TRI_MESSAGE = 'Checked the preview sandbox by hand: README renders correctly. Ready to close.';

/** What the author comments to redeploy the sandbox from the thread. */
export const REDEPLOY_COMMAND = '/sandbox redeploy';
