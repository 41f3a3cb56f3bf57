import type { ObjectChecksum } from '../../../core/objects/ObjectVersion.js';
import { renderXml } from '../../../xml/codec.js';
import { checksumElement } from './CompleteMultipartUpload.js';

export interface CompleteMultipartUploadResultView {
  readonly location: string;
  readonly bucket: string;
  readonly key: string;
  /** Unquoted; rendered in quotes. */
  readonly etag: string;
  readonly checksum?: ObjectChecksum;
}

/** CompleteMultipartUpload's response body (the version id travels in the x-amz-version-id header). */
export function renderCompleteMultipartUploadResult(view: CompleteMultipartUploadResultView): string {
  return renderXml('CompleteMultipartUploadResult', {
    Location: view.location,
    Bucket: view.bucket,
    Key: view.key,
    ETag: `"${view.etag}"`,
    ...(view.checksum !== undefined
      ? { [checksumElement(view.checksum.algorithm)]: view.checksum.value, ChecksumType: view.checksum.type }
      : {}),
  });
}
