import { hrefOf, type BucketTab } from '../router.js';
import { BucketSettings } from '../buckets/BucketSettings.js';
import { MetricsTab } from '../metrics/MetricsTab.js';
import { ObjectBrowser } from '../objects/ObjectBrowser.js';

/** One bucket: its objects, its settings (tags, versioning, policy, lifecycle, replication), or its metrics. */
export function BucketPage(props: { readonly bucket: string; readonly prefix: string; readonly tab: BucketTab }) {
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
        <a href={hrefOf({ page: 'bucket', bucket: props.bucket, prefix: '', tab: 'metrics' })} aria-current={props.tab === 'metrics' ? 'page' : undefined}>
          Metrics
        </a>
      </nav>
      {props.tab === 'objects' ? (
        <ObjectBrowser bucket={props.bucket} prefix={props.prefix} />
      ) : props.tab === 'settings' ? (
        <BucketSettings bucket={props.bucket} />
      ) : (
        <MetricsTab bucket={props.bucket} />
      )}
    </>
  );
}
