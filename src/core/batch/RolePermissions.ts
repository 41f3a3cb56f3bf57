import type { RoleInfo } from '../identity/RoleDirectory.js';
import type { Tag } from '../tags/Tag.js';
import type { Policy } from '../../policy/engine/index.js';
import { authorizeIdentity } from '../../policy/authorizeIdentity.js';
import { CompiledPolicies } from '../../policy/CompiledPolicies.js';
import { decisionIgnoresObjectKey } from '../../policy/objectKeyIndependence.js';
import type { ManifestTask } from './ManifestTask.js';
import type { JobOperation } from './Job.js';

/** The IAM action a task performs: the Version variant when the manifest names a version. */
export function taskAction(operation: JobOperation, task: ManifestTask): string {
  const versioned = task.versionId !== undefined;
  if (operation.kind === 'S3PutObjectTagging') return versioned ? 's3:PutObjectVersionTagging' : 's3:PutObjectTagging';
  return versioned ? 's3:DeleteObjectVersionTagging' : 's3:DeleteObjectTagging';
}

/**
 * What the job's role may do: its permission policies compiled once per job, evaluated per task on the object ARN
 * as the role's session (arn:aws:sts::<account>:assumed-role/<role>/s3-batch-operations). When the policies decide
 * the same for every object of a bucket (no condition, resources naming whole buckets: decisionIgnoresObjectKey), the
 * decision is made once per action and bucket and reused for the job's other tasks there.
 */
export class RolePermissions {
  private readonly policies: readonly Policy[];
  private readonly principal;
  /**
   * Per bucket: undefined when the policies' decision depends on the object (decisionIgnoresObjectKey), else the
   * decisions made there so far, by bucket owner and action.
   */
  private readonly byBucket = new Map<string, Map<string, Map<string, boolean>> | undefined>();

  constructor(
    private readonly role: RoleInfo,
    private readonly clock: () => Date,
  ) {
    this.policies = new CompiledPolicies(undefined).compile(role.policies);
    this.principal = {
      kind: 'user' as const,
      accountId: role.accountId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/s3-batch-operations`,
      isRoot: false,
    };
  }

  /**
   * The decision for the task when it is already known without evaluating (a bucket where the policies ignore the
   * object key and an earlier task had the same action and bucket owner); undefined otherwise: ask `allows`.
   */
  known(operation: JobOperation, task: ManifestTask, bucketOwner: string | undefined): boolean | undefined {
    return this.decisions(task.bucket)?.get(bucketOwner ?? '')?.get(taskAction(operation, task));
  }

  /** `existingTags` loads the object's current tags, only if a policy condition needs them (s3:ExistingObjectTag). */
  async allows(
    operation: JobOperation,
    task: ManifestTask,
    bucketOwner: string | undefined,
    existingTags?: () => Promise<readonly Tag[]>,
  ): Promise<boolean> {
    const decisions = this.decisions(task.bucket);
    if (decisions === undefined) return this.decide(operation, task, bucketOwner, existingTags);
    const action = taskAction(operation, task);
    let ofOwner = decisions.get(bucketOwner ?? '');
    if (ofOwner === undefined) decisions.set(bucketOwner ?? '', (ofOwner = new Map<string, boolean>()));
    let allowed = ofOwner.get(action);
    if (allowed === undefined) {
      allowed = await this.decide(operation, task, bucketOwner, existingTags);
      ofOwner.set(action, allowed);
    }
    return allowed;
  }

  /** The decisions kept for a bucket, or undefined when they depend on the object there. */
  private decisions(bucket: string): Map<string, Map<string, boolean>> | undefined {
    if (!this.byBucket.has(bucket)) this.byBucket.set(bucket, decisionIgnoresObjectKey(this.policies, bucket) ? new Map() : undefined);
    return this.byBucket.get(bucket);
  }

  private async decide(
    operation: JobOperation,
    task: ManifestTask,
    bucketOwner: string | undefined,
    existingTags?: () => Promise<readonly Tag[]>,
  ): Promise<boolean> {
    // tasks run on nobody's HTTP request: the facts are the clock alone (no source IP, transport or user agent)
    const decision = await authorizeIdentity({
      principal: this.principal,
      action: taskAction(operation, task),
      resource: `arn:aws:s3:::${task.bucket}/${task.key}`,
      resourceOwnerAccountId: bucketOwner ?? this.role.accountId,
      facts: { now: this.clock() },
      conditions: {
        resourceAccount: bucketOwner,
        versionId: task.versionId,
        requestObjectTags: operation.kind === 'S3PutObjectTagging' ? operation.tags : undefined,
        existingObjectTags: existingTags,
      },
      identityPolicies: this.policies,
    });
    return decision.effect === 'Allow';
  }
}
