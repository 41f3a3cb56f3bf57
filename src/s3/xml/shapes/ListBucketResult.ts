import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import { listingEncoder } from '../../../core/objects/listing/urlEncode.js';
import { renderXml, type XmlElement } from '../../../xml/codec.js';
import { ownerElement, type OwnerView } from './Owner.js';

/**
 * `<ListBucketResult>`: the answer of ListObjects (v1) and ListObjectsV2. With encoding-type=url the key-like
 * fields (Key, Prefix, Delimiter, Marker, NextMarker, StartAfter) are URL-encoded; continuation tokens never are.
 */

/** A listed object, with its owner when the listing shows owners. */
export interface ListedObject {
  readonly version: ObjectVersion;
  readonly owner?: OwnerView;
}

interface ListingCommon {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  readonly encodingType: 'url' | undefined;
  readonly isTruncated: boolean;
  readonly objects: readonly ListedObject[];
  readonly commonPrefixes: readonly string[];
}

export interface ListObjectsView extends ListingCommon {
  readonly marker: string;
  readonly nextMarker: string | undefined;
}

export interface ListObjectsV2View extends ListingCommon {
  readonly continuationToken: string | undefined;
  readonly nextContinuationToken: string | undefined;
  readonly startAfter: string | undefined;
  readonly keyCount: number;
}

/** A Contents (or Version) entry's object fields, in AWS's order. */
export function objectFields(version: ObjectVersion, encode: (s: string) => string): XmlElement {
  return {
    Key: encode(version.key),
    LastModified: version.lastModified,
    ETag: `"${version.etag}"`,
    ChecksumAlgorithm: version.checksum?.algorithm,
    ChecksumType: version.checksum?.type,
    Size: version.size,
  };
}

function contents(objects: readonly ListedObject[], encode: (s: string) => string): XmlElement[] {
  return objects.map(({ version, owner }) => ({
    ...objectFields(version, encode),
    Owner: owner === undefined ? undefined : ownerElement(owner),
    StorageClass: version.storageClass,
  }));
}

function commonPrefixes(prefixes: readonly string[], encode: (s: string) => string): XmlElement[] {
  return prefixes.map((p) => ({ Prefix: encode(p) }));
}

export function renderListObjectsResult(view: ListObjectsView): string {
  const encode = listingEncoder(view.encodingType);
  return renderXml('ListBucketResult', {
    Name: view.bucket,
    Prefix: encode(view.prefix),
    Marker: encode(view.marker),
    NextMarker: view.nextMarker === undefined ? undefined : encode(view.nextMarker),
    MaxKeys: view.maxKeys,
    Delimiter: view.delimiter === undefined ? undefined : encode(view.delimiter),
    EncodingType: view.encodingType,
    IsTruncated: view.isTruncated,
    Contents: contents(view.objects, encode),
    CommonPrefixes: commonPrefixes(view.commonPrefixes, encode),
  });
}

export function renderListObjectsV2Result(view: ListObjectsV2View): string {
  const encode = listingEncoder(view.encodingType);
  return renderXml('ListBucketResult', {
    Name: view.bucket,
    Prefix: encode(view.prefix),
    ContinuationToken: view.continuationToken,
    NextContinuationToken: view.nextContinuationToken,
    KeyCount: view.keyCount,
    MaxKeys: view.maxKeys,
    StartAfter: view.startAfter === undefined ? undefined : encode(view.startAfter),
    Delimiter: view.delimiter === undefined ? undefined : encode(view.delimiter),
    EncodingType: view.encodingType,
    IsTruncated: view.isTruncated,
    Contents: contents(view.objects, encode),
    CommonPrefixes: commonPrefixes(view.commonPrefixes, encode),
  });
}
