// What a lifecycle operation returns (outputs and a job summary), and the failure that still has them.
import { UserError } from '../errors.js';

/** A Markdown job summary: what happened, as a small table, and notes. */
export interface RunReport {
  title: string;
  rows: Array<[string, string]>;
  notes: string[];
}

export type Outputs = Record<string, string | number | boolean>;

export interface LifecycleResult {
  outputs: Outputs;
  report: RunReport;
}

/**
 * A user-facing failure that still has outputs and a summary to report (a build that failed is
 * the action failing, but the deployment id and the comment link are still worth setting).
 */
export class FailedWithResult extends UserError {
  override readonly name = 'FailedWithResult';
  constructor(
    message: string,
    readonly result: LifecycleResult,
  ) {
    super(message);
  }
}
