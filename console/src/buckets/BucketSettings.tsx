import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketTaggingCommand,
  DeleteBucketTaggingCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { useState } from 'react';
import { useSession } from '../session/SessionContext.js';
import { MAX_BUCKET_TAGS, rowsOf, tagSetOf } from '../tags/tagRules.js';
import { Notice } from '../ui/Notice.js';
import { TagEditor } from '../ui/TagEditor.js';
import { attempt, useAsync } from '../ui/useAsync.js';
import { PolicyEditor } from './PolicyEditor.js';

/** Absent configurations are not errors: NoSuchTagSet and friends mean "none". */
async function orNone<T>(call: Promise<T>, absent: string): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if ((err as { name?: string }).name === absent) return undefined;
    throw err;
  }
}

/** A bucket's settings: versioning, tags, policy, and its lifecycle rules and replication as stored. */
export function BucketSettings(props: { readonly bucket: string }) {
  const { clients } = useSession();
  const { bucket } = props;
  const versioning = useAsync(() => clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })), [bucket]);
  const tags = useAsync(() => orNone(clients.s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), 'NoSuchTagSet'), [bucket]);
  const lifecycle = useAsync(() => orNone(clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), 'NoSuchLifecycleConfiguration'), [bucket]);
  const replication = useAsync(() => orNone(clients.s3.send(new GetBucketReplicationCommand({ Bucket: bucket })), 'ReplicationConfigurationNotFoundError'), [bucket]);
  const [error, setError] = useState<string | undefined>(undefined);
  const status = versioning.data?.Status ?? 'Unversioned';

  const setVersioning = async (to: 'Enabled' | 'Suspended'): Promise<void> => {
    setError(await attempt(() => clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: to } }))));
    versioning.reload();
  };
  const saveTags = (rows: { key: string; value: string }[]): Promise<string | undefined> =>
    attempt(() =>
      rows.length === 0
        ? clients.s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))
        : clients.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSetOf(rows) } })),
    );

  return (
    <>
      <section className="panel" aria-labelledby="versioning-title">
        <h2 id="versioning-title">Versioning</h2>
        <p>
          Versioning is <strong className="versioning-status">{status}</strong>.
        </p>
        <div className="actions">
          <button type="button" onClick={() => void setVersioning('Enabled')} disabled={status === 'Enabled'}>
            Enable versioning
          </button>
          <button type="button" onClick={() => void setVersioning('Suspended')} disabled={status !== 'Enabled'}>
            Suspend versioning
          </button>
        </div>
        <Notice error={error ?? versioning.error} />
      </section>
      <section className="panel">
        {tags.error !== undefined ? (
          <Notice error={`Cannot read the bucket tags: ${tags.error}`} />
        ) : tags.loading ? (
          <p>Loading tags…</p>
        ) : (
          <TagEditor initial={rowsOf(tags.data?.TagSet)} maxTags={MAX_BUCKET_TAGS} label="Bucket tags" onSave={saveTags} />
        )}
      </section>
      <PolicyEditor bucket={bucket} />
      <section className="panel" aria-labelledby="lifecycle-title">
        <h2 id="lifecycle-title">Lifecycle rules</h2>
        <Notice error={lifecycle.error} />
        {lifecycle.data === undefined ? (
          <p>No lifecycle rules (set them with the API or `tessera lifecycle`).</p>
        ) : (
          <pre aria-label="Lifecycle rules">{JSON.stringify(lifecycle.data.Rules, null, 2)}</pre>
        )}
      </section>
      <section className="panel" aria-labelledby="replication-title">
        <h2 id="replication-title">Replication</h2>
        <Notice error={replication.error} />
        {replication.data === undefined ? (
          <p>No replication configuration.</p>
        ) : (
          <pre aria-label="Replication">{JSON.stringify(replication.data.ReplicationConfiguration, null, 2)}</pre>
        )}
      </section>
    </>
  );
}
