// The floor of any action's cold start: @actions/core alone (which loads undici through its OIDC
// client), refusing at once. npm run bench builds it like baseline-action.ts.
import * as core from '@actions/core';

core.setFailed(`missing input: ${core.getInput('message') || '(none)'}`);
