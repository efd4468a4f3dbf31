import { UserError } from '../errors.js';
import type { FarmRow } from '../farm/types.js';
import type { LifecycleResult } from './result.js';

// What provision tells the job: its outputs and the job summary, for each way a run can end.

/** A sandbox created, adopted or found recorded: its outputs and summary. */
export function provisionResult(
  issueNumber: number,
  binding: FarmRow,
  status: string,
  commentUrl: string | undefined,
  what: string,
): LifecycleResult {
  return {
    outputs: {
      'session-id': binding.session_id ?? '',
      'service-id': binding.service_id,
      status,
      'comment-url': commentUrl ?? '',
    },
    report: {
      title: `Sandbox for issue #${issueNumber}`,
      rows: [
        ['What happened', what],
        ['Service', `${binding.service_name ?? ''} (${binding.service_id})`],
        ['Session', binding.session_id ?? '—'],
        ['Status', status],
        ...(commentUrl ? ([['Comment', commentUrl]] as Array<[string, string]>) : []),
      ],
      notes: [],
    },
  };
}

/** Nothing provisioned for an issue that is not open. */
export function skippedResult(issueNumber: number, bound: FarmRow | undefined, why: string): LifecycleResult {
  return {
    outputs: {
      'session-id': bound?.session_id ?? '',
      'service-id': bound?.service_id ?? '',
      status: bound?.status ?? 'none',
      'comment-url': '',
    },
    report: {
      title: `Sandbox for issue #${issueNumber}`,
      rows: [['What happened', `nothing: ${why}`]],
      notes: [],
    },
  };
}

export interface Refusal {
  who: string;
  why: string;
  how: string;
}

/** No sandbox: who asked, why not, how to allow it. */
export function refusedResult(
  issueNumber: number,
  refusal: Refusal,
  commentUrl: string,
  counted: boolean,
): LifecycleResult {
  return {
    outputs: { 'session-id': '', 'service-id': '', status: 'refused', 'comment-url': commentUrl },
    report: {
      title: `No sandbox for issue #${issueNumber}`,
      rows: [
        ['Who', refusal.who],
        ['Why', refusal.why],
        ['How to allow it', refusal.how],
      ],
      notes: [
        counted
          ? "Railway was asked only to count each account's services; nothing was created."
          : 'Railway was not called.',
      ],
    },
  };
}

/**
 * The service exists on Railway, but the commit that records it lost every race (a burst of runs
 * committing at once). Not lost: the reservation row names it, and a re-run finds it by name and
 * records it (docs/RELIABILITY.md, 'Order of effects').
 */
export class UnrecordedServiceError extends UserError {
  override readonly name = 'UnrecordedServiceError';
  constructor(
    issueNumber: number,
    serviceName: string,
    serviceId: string,
    accountId: number,
    cause: unknown,
  ) {
    super(
      `The Railway service "${serviceName}" (${serviceId}, account ${accountId}) for issue #${issueNumber} ` +
        `exists, but recording it in the mapping failed: ${cause instanceof Error ? cause.message : String(cause)} ` +
        'The service is kept, not duplicated: re-run this job and it adopts the service by name and records ' +
        'it (the sweep does the same for an open issue).',
      { cause },
    );
  }
}
