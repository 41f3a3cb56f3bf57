import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { renderXml } from '../../../xml/codec.js';
import { checksumElement } from './CompleteMultipartUpload.js';

/** UploadPartCopy's response body: the new part's ETag (quoted), time, and checksum when the upload has one. */
export function renderCopyPartResult(view: {
  etag: string;
  lastModified: Date;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}): string {
  return renderXml('CopyPartResult', {
    ETag: `"${view.etag}"`,
    LastModified: view.lastModified,
    ...(view.checksum !== undefined ? { [checksumElement(view.checksum.algorithm)]: view.checksum.value } : {}),
  });
}
