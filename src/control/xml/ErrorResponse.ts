import type { ApiError } from '../../errors/ApiError.js';
import { renderXml } from '../../xml/codec.js';

/** S3 Control's error body: <ErrorResponse><Error><Code/><Message/></Error><RequestId/><HostId/></ErrorResponse>. */
export function renderErrorResponse(error: ApiError, requestId: string, hostId: string): string {
  return renderXml(
    'ErrorResponse',
    { Error: { Code: error.code, Message: error.message, ...error.details }, RequestId: requestId, HostId: hostId },
    { xmlns: null },
  );
}
