import { renderXml } from '../../../xml/codec.js';

/** CreateMultipartUpload's response body. */
export function renderInitiateMultipartUploadResult(result: { bucket: string; key: string; uploadId: string }): string {
  return renderXml('InitiateMultipartUploadResult', { Bucket: result.bucket, Key: result.key, UploadId: result.uploadId });
}
