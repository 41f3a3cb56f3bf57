import type { S3Error } from '../../../errors/S3Error.js';
import { renderXml } from '../../../xml/codec.js';

/** The S3 error body: <Error><Code/><Message/>[details]<Resource/><RequestId/><HostId/></Error> (no namespace). */
export function renderError(error: S3Error, resource: string, requestId: string, hostId: string): string {
  return renderXml(
    'Error',
    {
      Code: error.code,
      Message: error.message,
      ...error.details,
      Resource: resource,
      RequestId: requestId,
      HostId: hostId,
    },
    { xmlns: null },
  );
}
