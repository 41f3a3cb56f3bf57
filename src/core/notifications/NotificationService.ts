import { randomBytes } from 'node:crypto';
import { S3Error } from '../../errors/S3Error.js';
import type { Bucket } from '../buckets/Bucket.js';
import type { BucketStore } from '../ports/BucketStore.js';
import type { Change, ChangeFeed } from '../ports/ChangeFeed.js';
import type { EventSink, EventTarget, EventTargetDirectory } from '../ports/EventTargets.js';
import type { DeadLetter, NotificationStore } from '../ports/NotificationStore.js';
import { eventMessage, testEventMessage } from './eventRecord.js';
import { matchingConfigurations } from './matchEvent.js';
import { EMPTY_NOTIFICATION_CONFIGURATION, targetsOf, type NotificationConfiguration } from './NotificationConfiguration.js';
import type { NotificationDraft } from './NotificationDraft.js';
import { validateNotification } from './validateNotification.js';
import { backoffMs } from '../changes/backoff.js';

/** The consumer name notifications follow buckets' change feeds under. */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/** Attempts before a delivery goes to the dead letters and the bucket's later changes go on. */
export const MAX_NOTIFICATION_ATTEMPTS = 6;

export interface NotificationServiceDeps {
  readonly store: NotificationStore;
  readonly feed: ChangeFeed;
  readonly targets: EventTargetDirectory;
  readonly sink: EventSink;
  readonly buckets: Pick<BucketStore, 'getBucket'>;
  readonly region: string;
  readonly clock: () => Date;
}

/** The registered target an ARN names: its last `:`-separated part (`arn:aws:sqs:us-east-1:000000000000:NAME`). */
export function targetNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * S3 event notifications: configurations (every destination must be a registered target, and receives AWS's
 * s3:TestEvent before the configuration is stored), and delivery — each change of a followed bucket, in order, as
 * AWS's event JSON to every configuration it matches, at least once, retried with backoff, then dead-lettered.
 */
export class NotificationService {
  constructor(private readonly deps: NotificationServiceDeps) {}

  async getConfiguration(bucket: Bucket): Promise<NotificationConfiguration> {
    return (await this.deps.store.getNotification(bucket.name)) ?? EMPTY_NOTIFICATION_CONFIGURATION;
  }

  /** Validate (S3's codes and messages), send each destination a test event, then store (empty: remove). */
  async putConfiguration(bucket: Bucket, draft: NotificationDraft, requestId: string): Promise<void> {
    const registered = new Set((await this.deps.targets.list()).map((t) => t.name));
    const configuration = validateNotification(draft, { resolveTarget: (arn) => registered.has(targetNameOf(arn)) });
    const unreachable: string[] = [];
    for (const arn of new Set(targetsOf(configuration).map(({ target }) => target.arn))) {
      const target = await this.deps.targets.get(targetNameOf(arn));
      if (target === undefined) continue;
      const test = testEventMessage({ time: this.deps.clock(), bucket: bucket.name, requestId, hostId: requestId });
      await this.deps.sink.send(target, test).catch(() => unreachable.push(arn));
    }
    if (unreachable.length > 0) {
      const details: Record<string, string> = {};
      unreachable.forEach((arn, i) => {
        details[`ArgumentName${i + 1}`] = arn;
        details[`ArgumentValue${i + 1}`] = 'The destination did not accept the test event';
      });
      throw new S3Error('InvalidArgument', { message: 'Unable to validate the following destination configurations', details });
    }
    if ((await this.deps.store.putNotification(bucket.name, configuration)) === 'missing') {
      throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
    }
  }

  followedBuckets(): Promise<string[]> {
    return this.deps.feed.followed(NOTIFICATIONS_CONSUMER);
  }

  deadLetters(bucket: string, limit: number): Promise<DeadLetter[]> {
    return this.deps.store.deadLetters(bucket, limit);
  }

  /** Deliver the bucket's next changes in order, up to `limit`; stops at one waiting for its next attempt. */
  async deliver(bucket: string, limit: number): Promise<number> {
    const configuration = await this.deps.store.getNotification(bucket);
    if (configuration === undefined) return 0;
    const owner = (await this.deps.buckets.getBucket(bucket))?.ownerAccountId ?? '';
    let handled = 0;
    for (const change of await this.deps.feed.pending(NOTIFICATIONS_CONSUMER, bucket, limit)) {
      const previous = await this.deps.store.attemptsOf(change.seq);
      if (previous !== undefined && previous.nextAt.getTime() > this.deps.clock().getTime()) break;
      const failed = await this.send(configuration, change, owner);
      if (failed.length === 0) {
        await this.deps.store.completeChange(change, []);
        handled++;
        continue;
      }
      const attempts = (previous?.attempts ?? 0) + 1;
      const error = failed.map((f) => `${f.target}: ${f.error}`).join('; ');
      if (attempts < MAX_NOTIFICATION_ATTEMPTS) {
        await this.deps.store.recordAttempt(change, error, new Date(this.deps.clock().getTime() + backoffMs(attempts)));
        break;
      }
      await this.deps.store.completeChange(
        change,
        failed.map((f) => ({ bucket, seq: change.seq, target: f.target, event: change.event, key: change.key, attempts, lastError: f.error, message: f.message })),
      );
      handled++;
    }
    return handled;
  }

  /** Send the change to every configuration it matches; the ones that failed. */
  private async send(
    configuration: NotificationConfiguration,
    change: Change,
    owner: string,
  ): Promise<{ target: string; error: string; message: string }[]> {
    const matched = matchingConfigurations(configuration, change.event, change.key);
    if (matched.length === 0) return [];
    const failed: { target: string; error: string; message: string }[] = [];
    for (const { target: configured } of matched) {
      const name = targetNameOf(configured.arn);
      const message = eventMessage({
        eventName: change.event,
        eventTime: change.at,
        awsRegion: this.deps.region,
        principalId: owner,
        sourceIPAddress: '',
        requestId: '',
        hostId: '',
        configurationId: configured.id,
        bucket: { name: change.bucket, ownerPrincipalId: owner },
        object: {
          key: change.key,
          ...(change.kind === 'put' && change.size !== undefined ? { size: change.size } : {}),
          ...(change.kind !== 'delete-version' && change.etag !== undefined ? { eTag: change.etag } : {}),
          versionId: change.versionId,
          sequence: change.seq,
        },
      });
      const target: EventTarget | undefined = await this.deps.targets.get(name);
      try {
        if (target === undefined) throw new Error(`no target named ${name} is registered (tessera targets add)`);
        await this.deps.sink.send(target, message);
      } catch (error) {
        failed.push({ target: name, error: error instanceof Error ? error.message : String(error), message: JSON.stringify(message) });
      }
    }
    return failed;
  }
}


/** A request id for the test event of a configuration saved outside a request. */
export function newEventRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}
