import type { BatchTagWriter } from '../ports/BatchTagWriter.js';
import type { TaskFailure } from '../ports/JobStore.js';
import { validateTagSet, type ObjectTagSet } from '../tags/TagSet.js';
import type { JobOperation } from './Job.js';
import type { ManifestTask } from './ManifestTask.js';

/** DeleteObjectTagging's outcome: the empty tag set. */
const NO_TAGS: ObjectTagSet = validateTagSet([], 'object');

/** A task refused before it touched the store (access denied, no such bucket). */
export type Precheck = TaskFailure | undefined;

/**
 * Apply tasks (already in key order) as the ordinary PutObjectTagging / DeleteObjectTagging would, each with the
 * errors AWS answers: a missing key → 404 NoSuchKey, a missing version → 404 NoSuchVersion, a delete marker → 405
 * MethodNotAllowed. Runs synchronously inside one transaction.
 */
export function applyTasks(
  writer: BatchTagWriter,
  operation: JobOperation,
  tasks: readonly ManifestTask[],
  prechecks: readonly Precheck[],
): { succeeded: number; failures: TaskFailure[] } {
  const tags: ObjectTagSet = operation.kind === 'S3PutObjectTagging' ? operation.tags : NO_TAGS;
  const failures: TaskFailure[] = [];
  let succeeded = 0;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    const refused = prechecks[i];
    if (refused !== undefined) {
      failures.push(refused);
      continue;
    }
    const result = writer.replaceTags(task.bucket, task.key, task.versionId, tags);
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
  return { succeeded, failures };
}

/** Key order (bucket, then key) for one unit of tasks: neighbouring rows of the store's index are written together. */
export function compareTasks(a: ManifestTask, b: ManifestTask): number {
  if (a.bucket !== b.bucket) return a.bucket < b.bucket ? -1 : 1;
  if (a.key === b.key) return a.row - b.row;
  return a.key < b.key ? -1 : 1;
}
