import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { renderXml, type XmlElement } from '../../../xml/codec.js';
import { checksumElement } from './CompleteMultipartUpload.js';

/** An Owner or Initiator element. */
export interface PrincipalView {
  readonly id: string;
  readonly displayName?: string;
}

export interface PartView {
  readonly partNumber: number;
  readonly lastModified: Date;
  /** Unquoted; rendered in quotes. */
  readonly etag: string;
  readonly size: number;
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
}

export interface ListPartsResultView {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly partNumberMarker: number;
  readonly nextPartNumberMarker?: number;
  readonly maxParts: number;
  readonly isTruncated: boolean;
  readonly parts: readonly PartView[];
  readonly initiator: PrincipalView;
  readonly owner: PrincipalView;
  readonly storageClass: string;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumType?: string;
}

export function principalElement(p: PrincipalView): XmlElement {
  return { ID: p.id, DisplayName: p.displayName };
}

/** ListParts' response body. */
export function renderListPartsResult(view: ListPartsResultView): string {
  return renderXml('ListPartsResult', {
    Bucket: view.bucket,
    Key: view.key,
    UploadId: view.uploadId,
    PartNumberMarker: view.partNumberMarker,
    NextPartNumberMarker: view.nextPartNumberMarker,
    MaxParts: view.maxParts,
    IsTruncated: view.isTruncated,
    Part: view.parts.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...(p.checksum !== undefined ? { [checksumElement(p.checksum.algorithm)]: p.checksum.value } : {}),
    })),
    Initiator: principalElement(view.initiator),
    Owner: principalElement(view.owner),
    StorageClass: view.storageClass,
    ChecksumAlgorithm: view.checksumAlgorithm,
    ChecksumType: view.checksumType,
  });
}
