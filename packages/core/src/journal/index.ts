/** The issue-thread journal: events, markers, safe text, comment bodies and the files it commits. */
export * from './event.js';
export * from './markers.js';
export * from './sanitize.js';
export * from './truncate.js';
export { railwayDeploymentUrl, railwayServiceUrl, type DeploymentLink, type ServiceLink } from './links.js';
export { EVENT_EMOJI, type RenderOptions } from './pieces.js';
export { MAX_LOG_TAIL_CHARS, renderEventComment } from './render.js';
export { renderStatusComment, type SandboxStatusView } from './status.js';
export { statusViewFromRow } from './status-view.js';
export * from './experience.js';
export * from './current-issue.js';
export * from './timeline.js';
