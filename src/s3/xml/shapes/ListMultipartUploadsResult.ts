import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { renderXml } from '../../../xml/codec.js';
import { principalElement, type PrincipalView } from './ListPartsResult.js';

export interface UploadView {
  readonly key: string;
  readonly uploadId: string;
  readonly initiator: PrincipalView;
  readonly owner: PrincipalView;
  readonly storageClass: string;
  readonly initiated: Date;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumType?: string;
}

export interface ListMultipartUploadsResultView {
  readonly bucket: string;
  readonly keyMarker: string;
  readonly uploadIdMarker: string;
  readonly nextKeyMarker?: string;
  readonly nextUploadIdMarker?: string;
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxUploads: number;
  readonly isTruncated: boolean;
  readonly uploads: readonly UploadView[];
  readonly commonPrefixes: readonly string[];
  readonly encodingType?: 'url';
}

/**
 * ListMultipartUploads' response body. Key-like fields (Key, Prefix, Delimiter, KeyMarker, NextKeyMarker, common
 * prefixes) must already be encoded when encoding-type=url; this only lays them out.
 */
export function renderListMultipartUploadsResult(view: ListMultipartUploadsResultView): string {
  return renderXml('ListMultipartUploadsResult', {
    Bucket: view.bucket,
    KeyMarker: view.keyMarker,
    UploadIdMarker: view.uploadIdMarker,
    NextKeyMarker: view.nextKeyMarker,
    Prefix: view.prefix,
    Delimiter: view.delimiter,
    NextUploadIdMarker: view.nextUploadIdMarker,
    MaxUploads: view.maxUploads,
    IsTruncated: view.isTruncated,
    Upload: view.uploads.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: principalElement(u.initiator),
      Owner: principalElement(u.owner),
      StorageClass: u.storageClass,
      Initiated: u.initiated,
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    })),
    CommonPrefixes: view.commonPrefixes.map((prefix) => ({ Prefix: prefix })),
    EncodingType: view.encodingType,
  });
}
