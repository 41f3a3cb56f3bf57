import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Worker } from '../ApiModule.js';
import { compareTasks, planTagWrites, taskOutcomes, type Precheck } from '../core/batch/applyTasks.js';
import { generateManifest, writeGeneratedManifest } from '../core/batch/generateManifest.js';
import type { Job, JobManifest } from '../core/batch/Job.js';
import type { JobService } from '../core/batch/JobService.js';
import { END_STATUS, isRunnable, type FinishingStatus, type RunnableJob, type RunnableStatus } from '../core/batch/jobStateMachine.js';
import { ManifestError } from '../core/batch/ManifestError.js';
import type { ManifestTask, ObjectOpener } from '../core/batch/ManifestTask.js';
import { readManifest } from '../core/batch/readManifest.js';
import { RolePermissions } from '../core/batch/RolePermissions.js';
import { writeReport } from '../core/batch/writeReport.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
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
 * Tasks of a manifest this small are kept from Preparing's read for the units and the report (about 150 bytes each,
 * so at most ~40 MB): a small job then parses its manifest once instead of three times. Larger manifests, and jobs
 * after a restart, read it again (the manifest's version is pinned, so the rows are the same).
 */
const HOLD_TASKS = 250_000;

function heldTasks(batches: readonly (readonly ManifestTask[])[]): AsyncIterableIterator<ManifestTask[]> {
  let next = 0;
  const done = { done: true as const, value: undefined };
  return {
    // copies: a unit sorts its tasks in place
    next: () => Promise.resolve(next < batches.length ? { done: false as const, value: batches[next++]!.slice() } : done),
    return: () => {
      next = batches.length;
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
  /** The row after the last one applied. */
  nextRow: number;
}

/**
 * Runs S3 Batch Operations jobs. One loop: lease the highest-priority job that has work and no other worker holds,
 * do one bounded step of it (prepare, activate, one unit of tasks, or the report and the final status), repeat.
 * Every step is one durable transaction: a unit's task writes, its failures, the cursor and the counters commit
 * together, so after a kill -9 the job resumes from the cursor and no row is applied or counted twice.
 *
 * Several workers (nodes) may share one database: each works only on the job it leases (JobService.claimNext),
 * renews the lease while it works, and gives it up when it moves to another job or stops. A unit committed after
 * the lease was lost to another worker applies nothing (JobStore.commitUnit), so no manifest row is applied twice;
 * a killed worker's job is taken over once its lease expires and resumes from the durable cursor.
 */
export class BatchJobWorker implements Worker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly cursors = new Map<string, OpenCursor>();
  private readonly permissions = new Map<string, RolePermissions | null>();
  /** The tasks Preparing read, per job, when there were at most HOLD_TASKS (see heldTasks). */
  private readonly held = new Map<string, ManifestTask[][]>();
  private readonly unitSize: number;
  private readonly holder: string;
  private readonly leaseMs: number;
  /** The job this worker holds the lease of, if any. */
  private leased: string | undefined;

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
    await this.release().catch((err: unknown) => this.deps.log.warn({ err }, 'releasing the batch job lease failed'));
  }

  /**
   * Give up the lease this worker holds (another worker may take the job at once), with what it kept in memory for
   * the job: another node may finish it.
   */
  private async release(): Promise<void> {
    const jobId = this.leased;
    if (jobId === undefined) return;
    this.leased = undefined;
    const cursor = this.cursors.get(jobId);
    this.cursors.delete(jobId);
    this.held.delete(jobId);
    this.permissions.delete(jobId);
    await cursor?.iterator.return?.(undefined);
    await this.deps.jobs.releaseLease(jobId, this.holder);
  }

  /** Run `work` while renewing the lease on `jobId` every third of its TTL. */
  private async withLease<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      this.deps.jobs.renewLease(jobId, this.holder, this.leaseMs).then(
        (held) => {
          if (!held) this.deps.log.warn({ job: jobId }, 'batch job lease lost to another worker');
        },
        (err: unknown) => this.deps.log.warn({ err, job: jobId }, 'renewing the batch job lease failed'),
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

  /** What one step does with a job in each status the worker has work in (jobStateMachine.RUNNABLE_STATUSES). */
  private readonly steps: Readonly<Record<RunnableStatus, (job: RunnableJob) => Promise<unknown>>> = {
    New: (job) => this.deps.jobs.transition(job.id, 'New', 'Preparing'),
    Preparing: (job) => this.prepare(job),
    Ready: (job) => this.deps.jobs.transition(job.id, 'Ready', 'Active'),
    Active: (job) => this.runUnit(job),
    Cancelling: (job) => this.finish(job, 'Cancelling'),
    Failing: (job) => this.finish(job, 'Failing'),
  };

  /** One bounded step of the most urgent job this worker may lease; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const job = await this.deps.jobs.claimNext(this.holder, this.leaseMs);
    if (this.leased !== undefined && this.leased !== job?.id) await this.release();
    if (job === undefined) return false;
    this.leased = job.id;
    if (!isRunnable(job)) {
      this.deps.log.warn({ job: job.id, status: job.status, at: this.deps.clock() }, 'batch job in an unexpected state');
      return false;
    }
    await this.withLease(job.id, () => this.steps[job.status](job));
    return true;
  }

  private opener(): ObjectOpener {
    const { services } = this.deps;
    return async (bucket, key, versionId) => {
      const version = await services.objects.getVersion(bucket, key, versionId);
      if (version === undefined || version.isDeleteMarker) return undefined;
      return { stream: services.objects.openContent(version), etag: version.etag, versionId: version.versionId };
    };
  }

  /** The job's tasks from row 0, in manifest order. */
  private tasks(job: Job, onOpened?: (versionId: string) => void): AsyncIterableIterator<ManifestTask[]> {
    const held = this.held.get(job.id);
    if (held !== undefined) return heldTasks(held);
    if (job.generatedManifest !== undefined) return readManifest(job.generatedManifest, this.opener(), undefined, onOpened);
    if (job.spec.generator !== undefined) return generateManifest(this.deps.versions, job.spec.generator);
    if (job.spec.manifest === undefined) throw new ManifestError('InvalidManifest', 'The job has neither a manifest nor a generator');
    return readManifest(job.spec.manifest, this.opener(), job.manifestVersionId, onOpened);
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
        let held: ManifestTask[][] | undefined = job.confirmationRequired ? undefined : [];
        this.held.delete(job.id);
        for await (const batch of this.tasks(job, (v) => (manifestVersionId = v))) {
          total += batch.length;
          held?.push(batch);
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

  private async cursorFor(job: Job): Promise<OpenCursor> {
    let cursor = this.cursors.get(job.id);
    if (cursor !== undefined && cursor.nextRow === job.cursor) return cursor;
    if (cursor !== undefined) await cursor.iterator.return?.(undefined);
    const iterator = this.tasks(job);
    cursor = { iterator, pending: [], nextRow: 0 };
    // resume: skip what earlier units applied (after a restart, or when another step moved the cursor)
    while (cursor.nextRow < job.cursor) {
      const next = await iterator.next();
      if (next.done === true) break;
      const batch = next.value;
      const keep = batch.findIndex((t) => t.row >= job.cursor);
      if (keep >= 0) {
        cursor.pending = batch.slice(keep);
        cursor.nextRow = job.cursor;
        break;
      }
      cursor.nextRow = batch[batch.length - 1]!.row + 1;
    }
    this.cursors.set(job.id, cursor);
    return cursor;
  }

  private async runUnit(job: Job): Promise<void> {
    const { jobs, services } = this.deps;
    const started = Date.now();
    const cursor = await this.cursorFor(job);
    let tasks: ManifestTask[] = cursor.pending;
    let done = false;
    while (tasks.length < this.unitSize) {
      const next = await cursor.iterator.next();
      if (next.done === true) {
        done = true;
        break;
      }
      tasks = tasks.length === 0 ? next.value : tasks.concat(next.value);
    }
    const pending = tasks.length > this.unitSize ? tasks.slice(this.unitSize) : [];
    if (tasks.length > this.unitSize) tasks = tasks.slice(0, this.unitSize);
    const end = tasks.length > 0 ? tasks[tasks.length - 1]!.row + 1 : cursor.nextRow;
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
        !(await permissions.allows(operation, task, owner, async () => (await metadata.getTags(task.bucket, task.key, task.versionId))?.tags ?? []))
      ) {
        prechecks.push({ row: task.row, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' });
      } else prechecks.push(undefined);
    }
    const after = await jobs.commitUnit(job.id, this.holder, planTagWrites(operation, tasks, prechecks), (results) => {
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
      // no longer Active (cancelled meanwhile), or the lease was lost to another worker: nothing of this unit was applied
      await cursor.iterator.return?.(undefined);
      this.cursors.delete(job.id);
      return;
    }
    cursor.nextRow = end;
    cursor.pending = pending;
    // the failure rule (applied as the unit committed) may have moved the job to Failing: the next step finishes it
    if (after.status !== 'Active') return;
    if ((done && pending.length === 0) || (after.totalTasks !== undefined && after.cursor >= after.totalTasks)) {
      await this.finish(after, 'Active');
    }
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
        await writeReport(current, services, jobs, () => this.tasks(current), clock());
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
