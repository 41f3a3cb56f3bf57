import { createHash } from 'node:crypto';
import type { Services } from '../Services.js';
import type { JobStore, TaskFailure } from '../ports/JobStore.js';
import { csvField, encodeReportKey } from './csvLine.js';
import type { Job } from './Job.js';
import { appliedRows } from './jobRanges.js';
import type { ManifestBlock, ManifestTask } from './ManifestTask.js';
import { tasksOfLines } from './readManifest.js';
import { writeTextObject } from './writeObject.js';

/** The ReportSchema line AWS writes in the report's manifest.json (the rows themselves carry HTTP status first). */
export const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

/** One report row as AWS writes it: Bucket,Key(URL-encoded),VersionId,TaskStatus,HTTP status,ErrorCode,ResultMessage. */
export function reportRow(task: ManifestTask, failure: TaskFailure | undefined): string {
  if (failure === undefined) return succeededRow(csvField(task.bucket), task);
  const fields = [task.bucket, encodeReportKey(task.key), task.versionId ?? '', 'failed', String(failure.httpStatus), failure.errorCode, failure.message];
  return fields.map(csvField).join(',') + '\n';
}

/**
 * reportRow of a task that succeeded, its bucket's field given (rows of one bucket follow each other: the field is
 * made once for them). An encoded key never needs quoting (encodeReportKey leaves no comma, quote or line break).
 */
function succeededRow(bucketField: string, task: ManifestTask): string {
  const version = task.versionId === undefined ? '' : csvField(task.versionId);
  return `${bucketField},${encodeReportKey(task.key)},${version},succeeded,200,,Successful\n`;
}

/** Where a job's report goes: <prefix>/job-<id>/ (no prefix: job-<id>/). */
export function reportFolder(job: Job): string {
  const prefix = job.spec.report.prefix ?? '';
  return `${prefix === '' ? '' : prefix.replace(/\/+$/, '') + '/'}job-${job.id}`;
}

function resultKey(job: Job, status: 'succeeded' | 'failed'): string {
  const name = createHash('sha1').update(`${job.id}/${status}`).digest('hex');
  return `${reportFolder(job)}/results/${name}.csv`;
}

/** What a succeeded task's report row has after its bucket and key, when it names no version. */
const SUCCEEDED_REST = ',,succeeded,200,,Successful\n';

const REFILL = Symbol('refill');

/**
 * Report rows of one status for the applied rows of the manifest (those before their range's cursor: all of them
 * for a job that completed, the part done for one cancelled or failed), the failure of each row merged from the
 * failures table page by page: memory stays bounded whatever the manifest size. Lines read as they are
 * (PlainLines) whose rows were all applied and none failed are the succeeded rows themselves, each line followed by
 * the rest of its row; any other lines are made tasks and go row by row.
 */
export async function* processedRows(
  job: Job,
  store: Pick<JobStore, 'failures' | 'ranges'>,
  tasks: () => AsyncIterable<ManifestBlock> | Iterable<ManifestBlock>,
  status: 'succeeded' | 'failed',
): AsyncGenerator<readonly string[]> {
  const applied = appliedRows(await store.ranges(job.id));
  let page: TaskFailure[] = [];
  let index = 0;
  let afterRow = -1;
  let exhausted = false;
  /** The next page of failures, read only when the current one is used up (the store is async). */
  const refill = async (): Promise<void> => {
    page = await store.failures(job.id, afterRow, 10_000);
    index = 0;
    if (page.length === 0) exhausted = true;
    else afterRow = page[page.length - 1]!.row;
  };
  /**
   * The first failure at or after `row` (rows asked in increasing order); undefined when there is none left; REFILL
   * when the current page is used up before it is reached.
   */
  const firstFrom = (row: number): TaskFailure | undefined | typeof REFILL => {
    for (;;) {
      if (exhausted) return undefined;
      if (index >= page.length) return REFILL;
      const next = page[index]!;
      if (next.row >= row) return next;
      index++;
    }
  };
  /** The failure of a row from the current page; REFILL when the page is used up before the row is reached. */
  const failureOf = (row: number): TaskFailure | undefined | typeof REFILL => {
    const next = firstFrom(row);
    return next === REFILL || next?.row === row ? next : undefined;
  };
  /** Whether a failure's row is in [first, end) (rows asked in increasing order, as failureOf's). */
  const anyFailure = async (first: number, end: number): Promise<boolean> => {
    let next = firstFrom(first);
    while (next === REFILL) {
      await refill();
      next = firstFrom(first);
    }
    return next !== undefined && next.row < end;
  };
  let bucket: string | undefined;
  let bucketField = '';
  for await (const block of tasks()) {
    let batch: readonly ManifestTask[];
    if ('text' in block) {
      const end = block.firstRow + block.rows;
      if (block.firstRow >= applied.last) return;
      const clean = applied.whole(block.firstRow, end) && !(await anyFailure(block.firstRow, end));
      if (clean) {
        if (status === 'succeeded') yield [block.text.replaceAll('\n', SUCCEEDED_REST)];
        continue;
      }
      batch = tasksOfLines(block);
    } else batch = block;
    // handed over as a batch of rows, each encoded on its own (see writeTextObject)
    const rows: string[] = [];
    let ended = false;
    for (const task of batch) {
      if (task.row >= applied.last) {
        ended = true;
        break;
      }
      if (!applied(task.row)) continue;
      let failure = failureOf(task.row);
      while (failure === REFILL) {
        await refill();
        failure = failureOf(task.row);
      }
      if ((failure === undefined) !== (status === 'succeeded')) continue;
      if (failure !== undefined) rows.push(reportRow(task, failure));
      else {
        if (task.bucket !== bucket) {
          bucket = task.bucket;
          bucketField = csvField(bucket);
        }
        rows.push(succeededRow(bucketField, task));
      }
    }
    if (rows.length > 0) yield rows;
    if (ended) return;
  }
}

/**
 * Write the completion report (Report_CSV_20180820): results CSVs for succeeded tasks (ReportScope AllTasks) and
 * failed tasks, then job-<id>/manifest.json listing them. Idempotent: rewriting after a crash replaces the objects.
 */
export async function writeReport(
  job: Job,
  services: Services,
  store: Pick<JobStore, 'failures' | 'ranges'>,
  tasks: () => AsyncIterable<ManifestBlock> | Iterable<ManifestBlock>,
  now: Date,
): Promise<void> {
  const report = job.spec.report;
  if (!report.enabled || report.bucket === undefined) return;
  const bucket = report.bucket.replace(/^arn:[^:]+:s3:::/, '');
  const results: { TaskExecutionStatus: string; Bucket: string; MD5Checksum: string; Key: string }[] = [];
  const statuses: ('succeeded' | 'failed')[] = report.scope === 'FailedTasksOnly' ? ['failed'] : ['succeeded', 'failed'];
  for (const status of statuses) {
    if (status === 'succeeded' && job.succeeded === 0) continue;
    if (status === 'failed' && job.failed === 0) continue;
    const key = resultKey(job, status);
    const md5 = await writeTextObject(services, bucket, key, job.accountId, processedRows(job, store, tasks, status), 'text/csv');
    results.push({ TaskExecutionStatus: status, Bucket: bucket, MD5Checksum: md5, Key: key });
  }
  const manifest = {
    Format: 'Report_CSV_20180820',
    ReportCreationDate: now.toISOString(),
    Results: results,
    ReportSchema: REPORT_SCHEMA,
  };
  await writeTextObject(services, bucket, `${reportFolder(job)}/manifest.json`, job.accountId, [JSON.stringify(manifest)], 'application/json');
}
