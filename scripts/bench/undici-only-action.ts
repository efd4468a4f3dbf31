// What @actions/core and @actions/github load before any action code runs: undici, through
// @actions/http-client (core's OIDC client, github's proxy support). npm run bench builds it like
// baseline-action.ts, to show how much of every bundle's cold start is this one module.
import 'undici';

process.exitCode = 1;
