import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Worker } from '../ApiModule.js';
import { compareTasks, planTagWrites, taskOutcomes, type Precheck } from '../core/batch/applyTasks.js';
import { generateManifest, writeGeneratedManifest } from '../core/batch/generateManifest.js';
import type { Job, JobManifest } from '../core/batch/Job.js';
import type { JobService } from '../core/batch/JobService.js';
import { splitRows } from '../core/batch/jobRanges.js';
import { END_STATUS, isRunnable, type FinishingStatus, type RunnableJob, type RunnableStatus } from '../core/batch/jobStateMachine.js';
import { ManifestError } from '../core/batch/ManifestError.js';
import type { ManifestBlock, ManifestTask, ObjectOpener } from '../core/batch/ManifestTask.js';
import { readManifest, readManifestBlocks, tasksOfLines } from '../core/batch/readManifest.js';
import { RolePermissions } from '../core/batch/RolePermissions.js';
import { writeReport } from '../core/batch/writeReport.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { JobClaim, JobRange } from '../core/ports/JobStore.js';
import type { VersionStore } from '../core/ports/VersionStore.js';
import type { Services } from '../core/Services.js';

export interface BatchJobWorkerDeps {
  /** The jobs: every status change the worker makes goes through the service (and its transition table). */
  readonly jobs: JobService;
  readonly services: Services;
  /** Listings and tag reads the worker makes itself (manifest generation, tag conditions of the role's policies). */
  readonly versions: Pick<VersionStore, 'listLatest' | 'getTags'>;
  readonly roles: RoleDirectory;
  readonly log: Logger;
  readonly clock: () => Date;
  /**
   * Tasks per unit (one transaction); bounded so a cancel takes effect within a second, and never more than the job
   * store allows (JobStore.maxUnitTargets).
   */
  readonly unitSize?: number;
  /** Idle poll interval. */
  readonly pollMs?: number;
  /** Who this worker is when it leases a job (unique per process; default: host, pid and a random part). */
  readonly holder?: string;
  /**
   * How long a job's lease lasts unless renewed (renewed every third of it while the worker works on the job): a
   * worker killed mid-unit loses its job to another worker this long after its last renewal.
   */
  readonly leaseMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;

/**
 * The blocks of a manifest this small are kept from Preparing's read for the units and the report: a small job then
 * reads its manifest once instead of three times. Blocks of plain `bucket,key` lines are kept as their text (PlainLines,
 * ~35 bytes a row: the units make their tasks from it, the report its rows), the others as tasks (~150 bytes a row).
 * Larger manifests, and jobs after a restart, read it again (the manifest's version is pinned, so the rows are the same).
 */
const HOLD_TASKS = 250_000;

/**
 * Nor are the tasks of a manifest object larger than this held (rows of the commonest shape, `bucket,key`, take
 * 20–60 bytes: such a manifest has more than HOLD_TASKS rows).
 */
const HOLD_BYTES = 16 * 1024 * 1024;

function heldTasks(blocks: readonly ManifestBlock[]): AsyncIterableIterator<ManifestTask[]> {
  let next = 0;
  const done = { done: true as const, value: undefined };
  const tasksOf = (block: ManifestBlock): ManifestTask[] => ('text' in block ? tasksOfLines(block) : block.slice());
  return {
    // fresh arrays: a unit sorts its tasks in place
    next: () => Promise.resolve(next < blocks.length ? { done: false as const, value: tasksOf(blocks[next++]!) } : done),
    return: () => {
      next = blocks.length;
      return Promise.resolve(done);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

interface OpenCursor {
  readonly iterator: AsyncIterator<ManifestTask[]>;
  /** Tasks read but not yet applied (a batch straddling a unit boundary). */
  pending: ManifestTask[];
  /** Where the tasks not yet read begin: `pending`, then the iterator, hold exactly the rows from here on. */
  nextRow: number;
}

/** A lease this worker holds: on a job, or on one range of it (the range's first row). */
interface Lease {
  readonly jobId: string;
  readonly range: number | undefined;
}

/**
 * Runs S3 Batch Operations jobs. One loop: lease the most urgent work no other worker holds (JobService.claimNext),
 * do one bounded step of it, repeat. A step is: prepare, activate (which splits the job's rows into ranges,
 * jobRanges.ts), one unit of tasks of a leased range, or the report and the final status once every range is done.
 * Every step is one durable transaction: a unit's task writes, its failures, the range's cursor and the job's
 * counters commit together, so after a kill -9 the range resumes from its cursor and no row is applied or counted
 * twice.
 *
 * Several workers (nodes) may share one database: the ranges of one job are leased separately, so one job's units run
 * on every node at once; a worker renews the lease it works under and gives it up when it moves on or stops. A unit
 * committed after its range's lease was lost to another worker applies nothing (JobStore.commitUnit), so no manifest
 * row is applied twice; a killed worker's range is taken over once its lease expires and resumes from its cursor.
 * A worker keeps its manifest reader open from one range to the next of the same job, so on one node a job reads
 * its manifest once, as before ranges.
 */
export class BatchJobWorker implements Worker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly cursors = new Map<string, OpenCursor>();
  private readonly permissions = new Map<string, RolePermissions | null>();
  /** The manifest blocks Preparing read, per job, when there were at most HOLD_TASKS rows (see heldTasks). */
  private readonly held = new Map<string, readonly ManifestBlock[]>();
  private readonly unitSize: number;
  private readonly holder: string;
  private readonly leaseMs: number;
  /** The lease this worker holds, if any: a job's, or one of its ranges'. */
  private leased: Lease | undefined;

  constructor(private readonly deps: BatchJobWorkerDeps) {
    this.unitSize = Math.min(deps.unitSize ?? 20_000, deps.jobs.maxUnitTasks ?? Number.POSITIVE_INFINITY);
    this.holder = deps.holder ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    for (const cursor of this.cursors.values()) await cursor.iterator.return?.(undefined);
    this.cursors.clear();
    await this.release(undefined).catch((err: unknown) => this.deps.log.warn({ err }, 'releasing the batch job lease failed'));
  }

  /**
   * Give up the lease this worker holds (another worker may take the job or range at once). When the next work is
   * not of the same job, also what the worker kept in memory for the job (its open manifest reader, the held tasks):
   * another node may finish it.
   */
  private async release(next: JobClaim | undefined): Promise<void> {
    const lease = this.leased;
    if (lease === undefined) return;
    this.leased = undefined;
    if (next?.job.id !== lease.jobId) await this.forget(lease.jobId);
    await this.deps.jobs.releaseLease(lease.jobId, this.holder, lease.range);
  }

  /** Drop what this worker kept in memory for a job. */
  private async forget(jobId: string): Promise<void> {
    const cursor = this.cursors.get(jobId);
    this.cursors.delete(jobId);
    this.held.delete(jobId);
    this.permissions.delete(jobId);
    await cursor?.iterator.return?.(undefined);
  }

  /** Run `work` while renewing the lease (on the job, or on its range `range`) every third of its TTL. */
  private async withLease<T>(jobId: string, range: number | undefined, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      this.deps.jobs.renewLease(jobId, this.holder, this.leaseMs, range).then(
        (held) => {
          if (!held) this.deps.log.warn({ job: jobId, range }, 'batch job lease lost to another worker');
        },
        (err: unknown) => this.deps.log.warn({ err, job: jobId, range }, 'renewing the batch job lease failed'),
      );
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** New work arrived (CreateJob, UpdateJobStatus): look now instead of at the next poll. */
  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
      } catch (err) {
        this.deps.log.error({ err }, 'batch job step failed');
      }
      if (!this.running) break;
      if (worked) await new Promise<void>((resolve) => setImmediate(resolve));
      else {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.wakeUp = undefined;
            resolve();
          }, this.deps.pollMs ?? 250);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /**
   * What one step under the job's own lease does with a job in each status the worker has work in
   * (jobStateMachine.RUNNABLE_STATUSES). An Active job's units run under its ranges' leases (runUnit); the job's own
   * lease is claimed for an Active job only once every range is done: then it is finished.
   */
  private readonly steps: Readonly<Record<RunnableStatus, (job: RunnableJob) => Promise<unknown>>> = {
    New: (job) => this.deps.jobs.transition(job.id, 'New', 'Preparing'),
    Preparing: (job) => this.prepare(job),
    Ready: (job) => this.deps.jobs.transition(job.id, 'Ready', 'Active', { ranges: splitRows(job.totalTasks ?? 0, this.unitSize) }),
    Active: (job) => this.finish(job, 'Active'),
    Cancelling: (job) => this.finish(job, 'Cancelling'),
    Failing: (job) => this.finish(job, 'Failing'),
  };

  /** One bounded step of the most urgent work this worker may lease; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const claim = await this.deps.jobs.claimNext(this.holder, this.leaseMs);
    const lease = this.leased;
    if (lease !== undefined && (lease.jobId !== claim?.job.id || lease.range !== claim.range?.first)) await this.release(claim);
    if (claim === undefined) return false;
    const { job, range } = claim;
    this.leased = { jobId: job.id, range: range?.first };
    if (!isRunnable(job)) {
      this.deps.log.warn({ job: job.id, status: job.status, at: this.deps.clock() }, 'batch job in an unexpected state');
      return false;
    }
    if (range !== undefined) await this.withLease(job.id, range.first, () => this.runUnit(job, range));
    else await this.withLease(job.id, undefined, () => this.steps[job.status](job));
    return true;
  }

  private opener(): ObjectOpener {
    const { services } = this.deps;
    return async (bucket, key, versionId) => {
      const version = await services.objects.getVersion(bucket, key, versionId);
      if (version === undefined || version.isDeleteMarker) return undefined;
      return { stream: services.objects.openContent(version), etag: version.etag, versionId: version.versionId, size: version.size };
    };
  }

  /** The job's tasks from row 0, in manifest order. */
  private tasks(job: Job, onOpened?: (versionId: string, size: number) => void): AsyncIterableIterator<ManifestTask[]> {
    const held = this.held.get(job.id);
    if (held !== undefined) return heldTasks(held);
    if (job.generatedManifest !== undefined) return readManifest(job.generatedManifest, this.opener(), undefined, onOpened);
    if (job.spec.generator !== undefined) return generateManifest(this.deps.versions, job.spec.generator);
    if (job.spec.manifest === undefined) throw new ManifestError('InvalidManifest', 'The job has neither a manifest nor a generator');
    return readManifest(job.spec.manifest, this.opener(), job.manifestVersionId, onOpened);
  }

  /**
   * The job's manifest blocks for its completion report: held, or read again with the lines of the commonest shape
   * left as they are (readManifestBlocks: the report writes most rows straight from them).
   */
  private reportBlocks(job: Job): AsyncIterable<ManifestBlock> | Iterable<ManifestBlock> {
    const manifest = job.generatedManifest ?? (job.spec.generator === undefined ? job.spec.manifest : undefined);
    const held = this.held.get(job.id);
    if (held !== undefined) return held; // in manifest order; nothing changes them
    if (manifest === undefined) return this.tasks(job);
    return readManifestBlocks(manifest, this.opener(), job.generatedManifest === undefined ? job.manifestVersionId : undefined);
  }

  /**
   * What Preparing reads: a manifest object's blocks, those of plain `bucket,key` lines as lines (counting 1,000,000
   * rows then makes no task object, whose garbage grew the heap by ~100 MB for a moment; a held block of lines is a
   * fifth of its tasks' size). Other manifests: their tasks.
   */
  private blocksToCount(job: Job, onOpened: (versionId: string, size: number) => void): AsyncIterable<ManifestBlock> {
    if (job.spec.generator !== undefined || job.spec.manifest === undefined) return this.tasks(job, onOpened);
    return readManifestBlocks(job.spec.manifest, this.opener(), job.manifestVersionId, onOpened);
  }

  /** Preparing: read the manifest once (validating every row) to count the tasks. */
  private async prepare(job: Job): Promise<void> {
    const { jobs, clock } = this.deps;
    let total = 0;
    let manifestVersionId: string | undefined;
    let generatedManifest: JobManifest | undefined;
    try {
      const generator = job.spec.generator;
      if (generator?.enableManifestOutput === true && generator.output !== undefined) {
        const written = await writeGeneratedManifest(job, generator, this.deps.services, this.deps.versions).catch((err: unknown) => {
          throw new ManifestError('ManifestOutputFailed', `Writing the generated manifest failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        total = written.total;
        generatedManifest = written.manifest;
      } else {
        let checked = 0;
        // a job waiting for confirmation may wait long: it keeps nothing in memory meanwhile
        let held: ManifestBlock[] | undefined = job.confirmationRequired ? undefined : [];
        this.held.delete(job.id);
        const opened = (versionId: string, size: number): void => {
          manifestVersionId = versionId;
          // a manifest too large to hold is not held from its first row: holding 250,000 tasks and then letting them go
          // left the heap ~100 MB larger for the rest of a 1,000,000-row job
          if (size > HOLD_BYTES) held = undefined;
        };
        for await (const block of this.blocksToCount(job, opened)) {
          total += 'text' in block ? block.rows : block.length;
          held?.push(block);
          if (total > HOLD_TASKS) held = undefined;
          if (total - checked >= 100_000) {
            checked = total;
            if ((await jobs.byId(job.id))?.status !== 'Preparing') return;
          }
        }
        if (held !== undefined) this.held.set(job.id, held);
      }
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      await jobs.transition(job.id, 'Preparing', 'Failed', {
        terminationDate: clock(),
        failureReasons: [{ code: err.code, reason: err.message }],
        statusUpdateReason: 'Job failed',
      });
      return;
    }
    const fields = {
      totalTasks: total,
      ...(manifestVersionId !== undefined ? { manifestVersionId } : {}),
      ...(generatedManifest !== undefined ? { generatedManifest } : {}),
    };
    if (job.confirmationRequired) {
      await jobs.transition(job.id, 'Preparing', 'Suspended', {
        ...fields,
        suspendedDate: clock(),
        suspendedCause: 'AwaitingConfirmation',
      });
    } else {
      await jobs.transition(job.id, 'Preparing', 'Ready', fields);
    }
  }

  private async rolePermissions(job: Job): Promise<RolePermissions | null> {
    let permissions = this.permissions.get(job.id);
    if (permissions === undefined) {
      const role = await this.deps.roles.roleByArn(job.roleArn);
      permissions = role === undefined ? null : new RolePermissions(role, this.deps.clock);
      this.permissions.set(job.id, permissions);
    }
    return permissions;
  }

  /**
   * The job's manifest reader positioned at row `position`: the one kept open when it is not past `position` (a
   * worker moving on to a later range of the job reads on), else a new one from row 0.
   */
  private async cursorFor(job: Job, position: number): Promise<OpenCursor> {
    let cursor = this.cursors.get(job.id);
    if (cursor !== undefined && cursor.nextRow > position) {
      await cursor.iterator.return?.(undefined);
      cursor = undefined;
    }
    if (cursor === undefined) {
      cursor = { iterator: this.tasks(job), pending: [], nextRow: 0 };
      this.cursors.set(job.id, cursor);
    }
    // skip what is not this range's to do (rows before it: done by earlier units, or by other workers)
    while (cursor.nextRow < position) {
      const keep = cursor.pending.findIndex((t) => t.row >= position);
      if (keep >= 0) {
        cursor.pending = keep === 0 ? cursor.pending : cursor.pending.slice(keep);
        cursor.nextRow = position;
        break;
      }
      const next = await cursor.iterator.next();
      if (next.done === true) {
        cursor.pending = [];
        cursor.nextRow = position;
        break;
      }
      cursor.pending = next.value;
    }
    return cursor;
  }

  /** One unit of tasks of the range `range` of an Active job: its next rows, at most `unitSize`, none past its end. */
  private async runUnit(job: Job, range: JobRange): Promise<void> {
    const { jobs, services } = this.deps;
    const started = Date.now();
    const cursor = await this.cursorFor(job, range.cursor);
    let read: ManifestTask[] = cursor.pending;
    let done = false;
    while (read.length < this.unitSize && (read.length === 0 || read[read.length - 1]!.row < range.end - 1)) {
      const next = await cursor.iterator.next();
      if (next.done === true) {
        done = true;
        break;
      }
      read = read.length === 0 ? next.value : read.concat(next.value);
    }
    let split = read.findIndex((t) => t.row >= range.end);
    if (split < 0 || split > this.unitSize) split = Math.min(read.length, this.unitSize);
    let tasks = split === read.length ? read : read.slice(0, split);
    const rest = split === read.length ? [] : read.slice(split);
    // the range's cursor after this unit: the next row not consumed, or the range's end when none is left in it
    // (no task and no row after it only when the manifest ended: then the range is done)
    const last = tasks[tasks.length - 1];
    const nextRow = rest.length > 0 ? rest[0]!.row : done || last === undefined ? range.end : last.row + 1;
    const end = Math.min(range.end, nextRow);
    // a copy: the unit sorts its tasks, and what was read stays in row order if the unit fails
    tasks = tasks.slice();
    tasks.sort(compareTasks);
    const permissions = await this.rolePermissions(job);
    const operation = job.spec.operation;
    const owners = new Map<string, string | undefined>();
    const metadata = this.deps.versions;
    const prechecks: Precheck[] = [];
    for (const task of tasks) {
      if (!owners.has(task.bucket)) owners.set(task.bucket, (await services.buckets.get(task.bucket))?.ownerAccountId);
      const owner = owners.get(task.bucket);
      if (owner === undefined) {
        prechecks.push({ row: task.row, httpStatus: 404, errorCode: 'NoSuchBucket', message: 'The specified bucket does not exist' });
      } else if (
        permissions === null ||
        !(
          permissions.known(operation, task, owner) ??
          (await permissions.allows(operation, task, owner, async () => (await metadata.getTags(task.bucket, task.key, task.versionId))?.tags ?? []))
        )
      ) {
        prechecks.push({ row: task.row, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' });
      } else prechecks.push(undefined);
    }
    const after = await jobs.commitUnit(job.id, range.first, this.holder, planTagWrites(operation, tasks, prechecks), (results) => {
      const outcome = taskOutcomes(tasks, prechecks, results);
      return {
        cursor: end,
        succeeded: outcome.succeeded,
        failed: outcome.failures.length,
        failures: outcome.failures,
        activeMs: Date.now() - started,
      };
    });
    if (after === undefined) {
      // no longer Active (cancelled meanwhile), or the range's lease was lost to another worker: nothing of this
      // unit was applied; the next step reads from what the store says
      await cursor.iterator.return?.(undefined);
      this.cursors.delete(job.id);
      return;
    }
    cursor.nextRow = end;
    cursor.pending = rest;
    // the failure rule (applied as the unit committed) may have moved the job to Failing; when every range is done,
    // the next claim leases the job itself to finish it
  }

  /** Write the report (if any task ran), then the end status (END_STATUS); Failed when the report cannot be written. */
  private async finish(job: Job, from: FinishingStatus): Promise<void> {
    const { jobs, services, clock } = this.deps;
    const to = END_STATUS[from];
    const current = (await jobs.byId(job.id)) ?? job;
    const cursor = this.cursors.get(job.id);
    if (cursor !== undefined) await cursor.iterator.return?.(undefined);
    this.cursors.delete(job.id);
    if (current.cursor > 0) {
      try {
        await writeReport(current, services, jobs, () => this.reportBlocks(current), clock());
      } catch (err) {
        this.deps.log.error({ err, job: job.id }, 'writing the completion report failed');
        this.held.delete(job.id);
        await jobs.transition(job.id, from, 'Failed', {
          terminationDate: clock(),
          failureReasons: [...current.failureReasons, { code: 'ReportWriteFailed', reason: `Writing the completion report failed: ${String(err)}` }],
        });
        return;
      }
    }
    this.held.delete(job.id);
    await jobs.transition(job.id, from, to, {
      terminationDate: clock(),
      ...(to === 'Complete' ? { statusUpdateReason: current.statusUpdateReason ?? 'Job complete' } : {}),
    });
    this.permissions.delete(job.id);
  }
}
