import type { S3Error } from '../../s3/errors/S3Error.js';
import { renderXml } from '../../s3/xml/codec.js';

/** S3 Control's error body: <ErrorResponse><Error><Code/><Message/></Error><RequestId/><HostId/></ErrorResponse>. */
export function renderErrorResponse(error: S3Error, requestId: string, hostId: string): string {
  return renderXml(
    'ErrorResponse',
    { Error: { Code: error.code, Message: error.message, ...error.details }, RequestId: requestId, HostId: hostId },
    { xmlns: null },
  );
}
