import { renderXml } from '../../../xml/codec.js';
import { ownerElement, type OwnerView } from './Owner.js';

export interface ListedBucket {
  readonly name: string;
  readonly createdAt: Date;
  readonly region: string;
}

export interface ListAllMyBucketsView {
  readonly buckets: readonly ListedBucket[];
  readonly owner: OwnerView;
  /** Present when more buckets follow (the next request's continuation-token). */
  readonly continuationToken?: string;
  /** Echoed when the request had a prefix. */
  readonly prefix?: string;
}

/** ListBuckets' answer. */
export function renderListAllMyBucketsResult(view: ListAllMyBucketsView): string {
  return renderXml('ListAllMyBucketsResult', {
    Buckets: {
      Bucket: view.buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })),
    },
    Owner: ownerElement(view.owner),
    ContinuationToken: view.continuationToken,
    Prefix: view.prefix,
  });
}
