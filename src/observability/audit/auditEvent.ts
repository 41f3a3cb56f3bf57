import type { Principal } from '../../core/identity/Principal.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { FinishedRequest } from '../../http/RequestObserver.js';
import type { RequestScope } from '../requestScope.js';

/** The identity of a CloudTrail record (`userIdentity`). Never holds a secret or a session token. */
export interface AuditIdentity {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'AWSAccount' | 'Anonymous' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly sessionContext?: { readonly sessionIssuer: { readonly type: 'Role'; readonly arn: string; readonly userName: string; readonly principalId: string } };
}

/** The CloudTrail record version the audit records follow. */
export const AUDIT_EVENT_VERSION = '1.09';

/** One line of the audit log: a CloudTrail event record's fields, as far as Tessera knows them. */
export interface AuditEvent {
  readonly eventVersion: typeof AUDIT_EVENT_VERSION;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventCategory: 'Data' | 'Management';
  readonly eventType: 'AwsApiCall';
  readonly readOnly: boolean;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly requestID: string;
  readonly userIdentity: AuditIdentity;
  readonly requestParameters?: Readonly<Record<string, string>>;
  readonly resources?: readonly { readonly type: string; readonly ARN: string }[];
  readonly httpStatus: number;
  readonly errorCode?: string;
  readonly additionalEventData: {
    readonly bytesTransferredIn: number;
    readonly bytesTransferredOut: number;
    readonly totalSeconds: number;
    readonly completed: boolean;
    /** The object's tags at the time of the request, when the bucket's audit configuration asks for them. */
    readonly objectTags?: Readonly<Record<string, string>>;
  };
}

/** CloudTrail's `userIdentity` for a principal (undefined: the request failed before authentication). */
export function auditIdentity(principal: Principal | undefined): AuditIdentity {
  if (principal === undefined) return { type: 'Unknown' };
  if (principal.kind === 'anonymous') return { type: 'Anonymous', principalId: 'ANONYMOUS_PRINCIPAL' };
  const common = { arn: principal.arn, accountId: principal.accountId, accessKeyId: principal.accessKeyId };
  if (principal.role !== undefined) {
    const role = principal.role;
    return {
      type: 'AssumedRole',
      principalId: `${role.roleId}:${role.sessionName}`,
      ...common,
      sessionContext: { sessionIssuer: { type: 'Role', arn: role.arn, userName: role.roleName, principalId: role.roleId } },
    };
  }
  if (principal.isRoot) return { type: 'Root', principalId: principal.accountId, ...common };
  return { type: 'IAMUser', principalId: principal.userId ?? principal.accountId, ...common, ...(principal.userName === undefined ? {} : { userName: principal.userName }) };
}

const EVENT_SOURCE: Readonly<Record<string, string>> = {
  s3: 's3.amazonaws.com',
  's3-control': 's3.amazonaws.com',
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
};

/** Whether an S3 request is a data event (object-level, listings included) rather than a management event. */
export function isDataEvent(api: string, scope: RequestScope | undefined): boolean {
  return api === 's3' && scope !== undefined && scope.kind !== 'bucket';
}

/**
 * The audit record of a finished request. Only what identifies the request and its target is recorded — the
 * bucket, key, version id and listing prefix — never a header, a query string, a signature, a secret or a session
 * token (a presigned URL's signature and credentials are in its query string).
 */
export function auditEvent(done: FinishedRequest, region: string, scope: RequestScope | undefined, objectTags: readonly Tag[] | undefined): AuditEvent {
  const trace = done.trace;
  const req = done.request;
  const bucket = req?.bucket;
  const params: Record<string, string> = {};
  const resources: { type: string; ARN: string }[] = [];
  if (bucket !== undefined && trace.api === 's3') {
    params.bucketName = bucket;
    if (req?.key !== undefined) {
      params.key = req.key;
      resources.push({ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${req.key}` });
    }
    resources.push({ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` });
    const versionId = req?.query.get('versionId') ?? done.versionId;
    if (versionId !== undefined) params.versionId = versionId;
    if (scope?.kind === 'listing') params.prefix = scope.prefix;
  }
  const tags = objectTags === undefined ? undefined : Object.fromEntries(objectTags.map((t) => [t.key, t.value]));
  return {
    eventVersion: AUDIT_EVENT_VERSION,
    eventTime: new Date(trace.at).toISOString(),
    eventSource: EVENT_SOURCE[trace.api] ?? 's3.amazonaws.com',
    eventName: trace.operation ?? 'Unknown',
    eventCategory: isDataEvent(trace.api, scope) ? 'Data' : 'Management',
    eventType: 'AwsApiCall',
    readOnly: done.method === 'GET' || done.method === 'HEAD',
    awsRegion: region,
    sourceIPAddress: done.sourceIp,
    ...(done.userAgent === undefined ? {} : { userAgent: done.userAgent }),
    requestID: done.requestId,
    userIdentity: auditIdentity(trace.principal),
    ...(Object.keys(params).length === 0 ? {} : { requestParameters: params }),
    ...(resources.length === 0 ? {} : { resources }),
    httpStatus: done.status,
    ...(trace.errorCode === undefined ? {} : { errorCode: trace.errorCode }),
    additionalEventData: {
      bytesTransferredIn: done.bytesIn,
      bytesTransferredOut: done.bytesOut,
      totalSeconds: Math.round(done.totalSeconds * 1e6) / 1e6,
      completed: done.completed,
      ...(tags === undefined ? {} : { objectTags: tags }),
    },
  };
}
