import { hrefOf } from '../router.js';
import { BucketSettings } from '../buckets/BucketSettings.js';
import { ObjectBrowser } from '../objects/ObjectBrowser.js';

/** One bucket: its objects, or its settings (tags, versioning, policy, lifecycle, replication). */
export function BucketPage(props: { readonly bucket: string; readonly prefix: string; readonly tab: 'objects' | 'settings' }) {
  return (
    <>
      <p className="crumbs">
        <a href={hrefOf({ page: 'buckets' })}>Buckets</a> / <strong>{props.bucket}</strong>
      </p>
      <h1>Bucket {props.bucket}</h1>
      <nav className="tabs" aria-label="Bucket pages">
        <a href={hrefOf({ page: 'bucket', bucket: props.bucket, prefix: props.prefix, tab: 'objects' })} aria-current={props.tab === 'objects' ? 'page' : undefined}>
          Objects
        </a>
        <a href={hrefOf({ page: 'bucket', bucket: props.bucket, prefix: '', tab: 'settings' })} aria-current={props.tab === 'settings' ? 'page' : undefined}>
          Settings
        </a>
      </nav>
      {props.tab === 'objects' ? <ObjectBrowser bucket={props.bucket} prefix={props.prefix} /> : <BucketSettings bucket={props.bucket} />}
    </>
  );
}
