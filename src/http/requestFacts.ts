import type { RequestFacts } from '../policy/RequestFacts.js';
import { header, type S3Request } from './S3Request.js';

/** The facts every API's authorization sees about an HTTP request (the same for S3, S3 Control and IAM). */
export function requestFactsOf(request: S3Request, now: Date): RequestFacts {
  return {
    now,
    sourceIp: request.remoteAddress,
    secureTransport: request.secure,
    userAgent: header(request, 'user-agent'),
    referer: header(request, 'referer'),
  };
}
