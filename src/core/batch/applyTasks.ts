import type { BatchTagOutcome, TagWriteTarget, TaskFailure, UnitTagWrites } from '../ports/JobStore.js';
import { validateTagSet, type ObjectTagSet } from '../tags/TagSet.js';
import type { JobOperation } from './Job.js';
import type { ManifestTask } from './ManifestTask.js';

/** DeleteObjectTagging's outcome: the empty tag set. */
const NO_TAGS: ObjectTagSet = validateTagSet([], 'object');

/** A task refused before it touched the store (access denied, no such bucket). */
export type Precheck = TaskFailure | undefined;

/**
 * The tag writes of one unit (JobStore.commitUnit): the operation's validated tag set (empty for
 * DeleteObjectTagging) for every task (already in key order) that its precheck did not refuse. Pure.
 */
export function planTagWrites(operation: JobOperation, tasks: readonly ManifestTask[], prechecks: readonly Precheck[]): UnitTagWrites {
  const tags: ObjectTagSet = operation.kind === 'S3PutObjectTagging' ? operation.tags : NO_TAGS;
  const targets: TagWriteTarget[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (prechecks[i] !== undefined) continue;
    const task = tasks[i]!;
    targets.push(task.versionId === undefined ? { bucket: task.bucket, key: task.key } : { bucket: task.bucket, key: task.key, versionId: task.versionId });
  }
  return { tags, targets };
}

/**
 * What the unit's tasks came to, as the ordinary PutObjectTagging / DeleteObjectTagging would answer each: the
 * precheck's refusal, or the store's result for the task's target (`results` in the order of planTagWrites' targets):
 * a missing key → 404 NoSuchKey, a missing version → 404 NoSuchVersion, a delete marker → 405 MethodNotAllowed. Pure.
 */
export function taskOutcomes(
  tasks: readonly ManifestTask[],
  prechecks: readonly Precheck[],
  results: readonly BatchTagOutcome[],
): { succeeded: number; failures: TaskFailure[] } {
  const failures: TaskFailure[] = [];
  let succeeded = 0;
  let next = 0;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    const refused = prechecks[i];
    if (refused !== undefined) {
      failures.push(refused);
      continue;
    }
    const result = results[next++];
    if (result === undefined) throw new Error(`no result for the task of row ${task.row}`);
    if (result === 'ok') {
      succeeded++;
    } else if (result === 'missing') {
      failures.push(
        task.versionId === undefined
          ? { row: task.row, httpStatus: 404, errorCode: 'NoSuchKey', message: 'The specified key does not exist.' }
          : { row: task.row, httpStatus: 404, errorCode: 'NoSuchVersion', message: 'The specified version does not exist.' },
      );
    } else {
      failures.push({
        row: task.row,
        httpStatus: 405,
        errorCode: 'MethodNotAllowed',
        message: 'The specified method is not allowed against this resource.',
      });
    }
  }
  if (next !== results.length) throw new Error(`${results.length} results for ${next} tag writes`);
  return { succeeded, failures };
}

/** Key order (bucket, then key) for one unit of tasks: neighbouring rows of the store's index are written together. */
export function compareTasks(a: ManifestTask, b: ManifestTask): number {
  if (a.bucket !== b.bucket) return a.bucket < b.bucket ? -1 : 1;
  if (a.key === b.key) return a.row - b.row;
  return a.key < b.key ? -1 : 1;
}
