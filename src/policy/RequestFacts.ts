/**
 * What any API knows about the request being authorized, for the global condition keys (aws:CurrentTime,
 * aws:SourceIp, aws:SecureTransport, aws:UserAgent, aws:Referer). S3, S3 Control and IAM build it from the HTTP request
 * the same way (`requestFactsOf` in src/http/requestFacts.ts); work done on nobody's request (batch tasks run by the
 * job's role) has the clock alone.
 */
export interface RequestFacts {
  readonly now: Date;
  readonly sourceIp?: string | undefined;
  readonly secureTransport?: boolean | undefined;
  readonly userAgent?: string | undefined;
  readonly referer?: string | undefined;
}
