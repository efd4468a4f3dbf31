/** How `tri doctor` prints its findings: one line each (as `gh auth status` does), or one JSON document. */
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Finding, FindingStatus } from './findings.js';

const MARKS: Record<FindingStatus, string> = { ok: '✓', warn: '!', fail: '✗', skipped: '-' };

/** `✓ github.token: …`, and under a finding that is not ok, what to change. */
export function humanLines(findings: readonly Finding[]): string[] {
  return findings.flatMap((finding) => [
    `${MARKS[finding.status]} ${finding.id}: ${finding.what}`,
    ...(finding.fix === null ? [] : [`    fix: ${finding.fix}`]),
  ]);
}

export function summaryLine(findings: readonly Finding[]): string {
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length;
  return `${count('fail')} failed, ${count('warn')} warnings, ${count('skipped')} skipped, ${count('ok')} ok.`;
}

/** The `--json` document: `ok` is false when any finding failed. */
export function reportDocument(findings: readonly Finding[]): { ok: boolean; findings: readonly Finding[] } {
  return { ok: !findings.some((f) => f.status === 'fail'), findings };
}

/** Non-zero only for a failed finding: warnings and skipped checks leave a script to decide. */
export function exitCodeFor(findings: readonly Finding[]): ExitCode {
  return findings.some((f) => f.status === 'fail') ? EXIT.checksFailed : EXIT.ok;
}
