import { encodeEventKey } from './eventKey.js';

/**
 * The JSON messages S3 sends to a destination (the user guide's "Event message structure"): one record per
 * message, `{ "Records": [ record ] }`, its properties in S3's order; and the `s3:TestEvent` message S3 sends to a
 * destination when a configuration naming it is saved.
 */

/** What an event message says, from the change that fired it and the configuration it matched. */
export interface EventInput {
  /** The full event type, e.g. `s3:ObjectCreated:Put` (never a wildcard). The record names it without `s3:`. */
  readonly eventName: string;
  /** When S3 finished processing the request. */
  readonly eventTime: Date;
  /** The bucket's region. */
  readonly awsRegion: string;
  /** Who made the request (the requester's canonical or IAM principal ID). */
  readonly principalId: string;
  readonly sourceIPAddress: string;
  /** The request's `x-amz-request-id` and `x-amz-id-2`, as its response carried them. */
  readonly requestId: string;
  readonly hostId: string;
  /** The ID of the configuration that matched. */
  readonly configurationId: string;
  readonly bucket: {
    readonly name: string;
    /** The bucket owner's principal ID. */
    readonly ownerPrincipalId: string;
    /** Default `arn:aws:s3:::<name>`. */
    readonly arn?: string;
  };
  readonly object: {
    /** As stored; the record writes it URL-encoded (encodeEventKey). */
    readonly key: string;
    readonly size?: number;
    /** With or without its quotes; the record writes it without. */
    readonly eTag?: string;
    /** Absent (or `null`) when the bucket has never had versioning enabled: the record then has no versionId. */
    readonly versionId?: string;
    /** The change's position in the bucket's history (increasing); the record writes it as the `sequencer`. */
    readonly sequence?: bigint | number;
  };
  /** For `s3:ObjectRestore:Completed`: when the restored copy expires, and the storage class it was restored from. */
  readonly restore?: { readonly expiryTime: Date; readonly storageClass: string };
}

export interface EventRecord {
  readonly eventVersion: string;
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity: { readonly principalId: string }; readonly arn: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer?: string;
    };
  };
  readonly glacierEventData?: {
    readonly restoreEventData: { readonly lifecycleRestorationExpiryTime: string; readonly lifecycleRestoreStorageClass: string };
  };
}

export interface EventMessage {
  readonly Records: readonly EventRecord[];
}

/**
 * The record's `eventVersion`: S3 writes 2.2 for replication events; 2.3 for S3 Lifecycle (expiration and
 * transition), S3 Intelligent-Tiering, object ACL, object tagging and restored-copy deletion events; and 2.1 for
 * every other event (user guide, "Event message structure"; S3's tagging and ACL messages as recorded by
 * LocalStack's AWS-validated tests).
 */
export function eventVersionOf(eventName: string): string {
  const name = withoutS3Prefix(eventName);
  if (name.startsWith('Replication:')) return '2.2';
  if (
    name.startsWith('LifecycleExpiration:') ||
    name === 'LifecycleTransition' ||
    name === 'IntelligentTiering' ||
    name.startsWith('ObjectAcl:') ||
    name.startsWith('ObjectTagging:') ||
    name === 'ObjectRestore:Delete'
  ) {
    return '2.3';
  }
  return '2.1';
}

function withoutS3Prefix(eventName: string): string {
  return eventName.startsWith('s3:') ? eventName.slice(3) : eventName;
}

/** Width of a sequencer: 18 hex digits, as S3's own (e.g. `0055AED6DCD90281E5`); enough for any 64-bit sequence. */
export const SEQUENCER_WIDTH = 18;

/**
 * The `sequencer` of a change with this sequence number: upper-case hex, zero-padded to a fixed width, so that
 * comparing two sequencers as strings orders the changes to one key as their sequence numbers do.
 */
export function sequencerOf(sequence: bigint | number): string {
  const n = BigInt(sequence);
  if (n < 0n) throw new RangeError(`a sequence number is never negative: ${n}`);
  const hex = n.toString(16).toUpperCase();
  if (hex.length > SEQUENCER_WIDTH) throw new RangeError(`sequence number too large for a sequencer: ${n}`);
  return hex.padStart(SEQUENCER_WIDTH, '0');
}

/**
 * Which object fields S3 leaves out of a record of each kind, whatever is known: a removal has no size or ETag
 * (a delete marker has an ETag, the empty object's, but no size); tagging and ACL events have neither size nor
 * sequencer (the object did not change).
 */
function omitted(eventName: string): { readonly size: boolean; readonly eTag: boolean; readonly sequencer: boolean } {
  const name = withoutS3Prefix(eventName);
  if (name === 'ObjectRemoved:Delete' || name === 'LifecycleExpiration:Delete') return { size: true, eTag: true, sequencer: false };
  if (name.endsWith(':DeleteMarkerCreated')) return { size: true, eTag: false, sequencer: false };
  if (name.startsWith('ObjectTagging:') || name.startsWith('ObjectAcl:')) return { size: true, eTag: false, sequencer: true };
  return { size: false, eTag: false, sequencer: false };
}

function unquoted(eTag: string): string {
  return eTag.length >= 2 && eTag.startsWith('"') && eTag.endsWith('"') ? eTag.slice(1, -1) : eTag;
}

/** One record of an event message. */
export function eventRecord(input: EventInput): EventRecord {
  const { object } = input;
  const omit = omitted(input.eventName);
  return {
    eventVersion: eventVersionOf(input.eventName),
    eventSource: 'aws:s3',
    awsRegion: input.awsRegion,
    eventTime: input.eventTime.toISOString(),
    eventName: withoutS3Prefix(input.eventName),
    userIdentity: { principalId: input.principalId },
    requestParameters: { sourceIPAddress: input.sourceIPAddress },
    responseElements: { 'x-amz-request-id': input.requestId, 'x-amz-id-2': input.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId,
      bucket: {
        name: input.bucket.name,
        ownerIdentity: { principalId: input.bucket.ownerPrincipalId },
        arn: input.bucket.arn ?? `arn:aws:s3:::${input.bucket.name}`,
      },
      object: {
        key: encodeEventKey(object.key),
        ...(object.size === undefined || omit.size ? {} : { size: object.size }),
        ...(object.eTag === undefined || omit.eTag ? {} : { eTag: unquoted(object.eTag) }),
        ...(object.versionId === undefined || object.versionId === 'null' ? {} : { versionId: object.versionId }),
        ...(object.sequence === undefined || omit.sequencer ? {} : { sequencer: sequencerOf(object.sequence) }),
      },
    },
    ...(input.restore === undefined || withoutS3Prefix(input.eventName) !== 'ObjectRestore:Completed'
      ? {}
      : {
          glacierEventData: {
            restoreEventData: {
              lifecycleRestorationExpiryTime: input.restore.expiryTime.toISOString(),
              lifecycleRestoreStorageClass: input.restore.storageClass,
            },
          },
        }),
  };
}

/** The message S3 sends to a destination for one event: `{ "Records": [ record ] }`. */
export function eventMessage(input: EventInput): EventMessage {
  return { Records: [eventRecord(input)] };
}

export interface TestEventInput {
  readonly time: Date;
  readonly bucket: string;
  /** The PutBucketNotificationConfiguration request's `x-amz-request-id` and `x-amz-id-2`. */
  readonly requestId: string;
  readonly hostId: string;
}

export interface TestEventMessage {
  readonly Service: 'Amazon S3';
  readonly Event: 's3:TestEvent';
  readonly Time: string;
  readonly Bucket: string;
  readonly RequestId: string;
  readonly HostId: string;
}

/** The message S3 sends each destination of a configuration when the configuration is saved. */
export function testEventMessage(input: TestEventInput): TestEventMessage {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: input.time.toISOString(),
    Bucket: input.bucket,
    RequestId: input.requestId,
    HostId: input.hostId,
  };
}
