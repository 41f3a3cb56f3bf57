import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import { listingEncoder } from '../../../core/objects/listing/urlEncode.js';
import { XmlSequence, renderXml, type XmlElement } from '../../../xml/codec.js';
import { ownerElement, type OwnerView } from './Owner.js';

/**
 * `<ListVersionsResult>`: ListObjectVersions' answer. Version and DeleteMarker entries are interleaved in listing
 * order (key ascending, newest first), as AWS sends them. With encoding-type=url, KeyMarker, NextKeyMarker, Prefix,
 * Key and Delimiter are URL-encoded; version ids never are.
 */
export interface ListedVersion {
  readonly version: ObjectVersion;
  readonly owner: OwnerView;
}

export interface ListVersionsView {
  readonly bucket: string;
  readonly prefix: string;
  readonly keyMarker: string;
  readonly versionIdMarker: string;
  readonly nextKeyMarker: string | undefined;
  readonly nextVersionIdMarker: string | undefined;
  readonly maxKeys: number;
  readonly delimiter: string | undefined;
  readonly encodingType: 'url' | undefined;
  readonly isTruncated: boolean;
  readonly versions: readonly ListedVersion[];
  readonly commonPrefixes: readonly string[];
}

function versionEntry({ version, owner }: ListedVersion, encode: (s: string) => string): readonly [string, XmlElement] {
  if (version.isDeleteMarker) {
    return [
      'DeleteMarker',
      {
        Key: encode(version.key),
        VersionId: version.versionId,
        IsLatest: version.isLatest,
        LastModified: version.lastModified,
        Owner: ownerElement(owner),
      },
    ];
  }
  return [
    'Version',
    {
      Key: encode(version.key),
      VersionId: version.versionId,
      IsLatest: version.isLatest,
      LastModified: version.lastModified,
      ETag: `"${version.etag}"`,
      ChecksumAlgorithm: version.checksum?.algorithm,
      ChecksumType: version.checksum?.type,
      Size: version.size,
      Owner: ownerElement(owner),
      StorageClass: version.storageClass,
    },
  ];
}

export function renderListVersionsResult(view: ListVersionsView): string {
  const encode = listingEncoder(view.encodingType);
  return renderXml('ListVersionsResult', {
    Name: view.bucket,
    Prefix: encode(view.prefix),
    KeyMarker: encode(view.keyMarker),
    VersionIdMarker: view.versionIdMarker,
    NextKeyMarker: view.nextKeyMarker === undefined ? undefined : encode(view.nextKeyMarker),
    NextVersionIdMarker: view.nextVersionIdMarker,
    MaxKeys: view.maxKeys,
    Delimiter: view.delimiter === undefined ? undefined : encode(view.delimiter),
    EncodingType: view.encodingType,
    IsTruncated: view.isTruncated,
    Entries: new XmlSequence(view.versions.map((v) => versionEntry(v, encode))),
    CommonPrefixes: view.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}
