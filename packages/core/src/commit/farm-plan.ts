import type { FarmMutation } from '../farm/mutations.js';
import { parseFarm } from '../farm/parse.js';
import { serializeFarm } from '../farm/serialize.js';
import { emptyFarm } from '../farm/types.js';
import type { CommitPlanner, FileChange, HeadReader } from './types.js';

export interface FarmCommitPlan {
  farmPath: string;
  mutation: FarmMutation;
  /** Files to add with the same commit (experience files: new, never rewritten). */
  files?: FileChange[];
  message: string;
}

/**
 * The planner every farm change goes through: parse the farm as the branch head has it, apply the
 * mutation, serialise. When a race is lost the backend calls it again on the newer head, so the
 * mutation is re-applied to the other writer's result instead of overwriting it. A corrupt farm on
 * the branch stops the commit (parseFarm throws) rather than being replaced.
 */
export function planFarmCommit(plan: FarmCommitPlan): CommitPlanner {
  const planner = async (read: HeadReader) => {
    const text = await read(plan.farmPath);
    const before = text === undefined ? emptyFarm() : parseFarm(text, plan.farmPath);
    const after = plan.mutation(before);
    const farmText = serializeFarm(after);
    const files: FileChange[] = [];
    for (const file of plan.files ?? []) {
      // Same path, same bytes: an earlier attempt (or run) already committed it.
      if ((await read(file.path)) !== file.content) files.push(file);
    }
    if (farmText !== text) files.push({ path: plan.farmPath, content: farmText });
    return files.length === 0 ? undefined : { files, message: plan.message };
  };
  return Object.assign(planner, { paths: [plan.farmPath, ...(plan.files ?? []).map((file) => file.path)] });
}
