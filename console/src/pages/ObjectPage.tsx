import { DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectTaggingCommand, DeleteObjectTaggingCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { useState } from 'react';
import { formatSize } from '../objects/ObjectBrowser.js';
import { go, hrefOf } from '../router.js';
import { useSession } from '../session/SessionContext.js';
import { rowsOf, tagSetOf } from '../tags/tagRules.js';
import { Notice } from '../ui/Notice.js';
import { TagEditor } from '../ui/TagEditor.js';
import { attempt, useAsync } from '../ui/useAsync.js';

const EXPIRIES = [
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 604_800, label: '7 days' },
] as const;

/** One object: metadata, tags (inline editor), versions with delete markers, download, a presigned share link, delete. */
export function ObjectPage(props: { readonly bucket: string; readonly objectKey: string }) {
  const { clients } = useSession();
  const { bucket, objectKey: key } = props;
  const head = useAsync(() => clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), [bucket, key]);
  const tags = useAsync(() => clients.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })), [bucket, key]);
  const versions = useAsync(() => clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 100 })), [bucket, key]);
  const [expiry, setExpiry] = useState<number>(3600);
  const [link, setLink] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const name = key.slice(key.lastIndexOf('/') + 1);

  const share = async (): Promise<void> => {
    setError(await attempt(async () => setLink(await getSignedUrl(clients.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiry }))));
  };
  const download = async (versionId?: string): Promise<void> => {
    setError(
      await attempt(async () => {
        const url = await getSignedUrl(
          clients.s3,
          new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: `attachment; filename="${name.replace(/["\\]/g, '_')}"`, ...(versionId !== undefined ? { VersionId: versionId } : {}) }),
          { expiresIn: 300 },
        );
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.click();
      }),
    );
  };
  const remove = async (versionId?: string): Promise<void> => {
    if (!window.confirm(versionId === undefined ? `Delete ${key}?` : `Delete version ${versionId} of ${key} for good?`)) return;
    const refused = await attempt(() => clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}) })));
    setError(refused);
    if (refused === undefined) {
      if (versionId === undefined) go({ page: 'bucket', bucket, prefix: key.slice(0, key.lastIndexOf('/') + 1), tab: 'objects' });
      else versions.reload();
    }
  };
  const saveTags = (rows: { key: string; value: string }[]): Promise<string | undefined> =>
    attempt(() =>
      rows.length === 0
        ? clients.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }))
        : clients.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tagSetOf(rows) } })),
    );
  const own = [...(versions.data?.Versions ?? []).map((v) => ({ ...v, marker: false })), ...(versions.data?.DeleteMarkers ?? []).map((d) => ({ ...d, Size: undefined, marker: true }))]
    .filter((v) => v.Key === key)
    .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0));

  return (
    <>
      <p className="crumbs">
        <a href={hrefOf({ page: 'buckets' })}>Buckets</a> / <a href={hrefOf({ page: 'bucket', bucket, prefix: '', tab: 'objects' })}>{bucket}</a> / <strong>{key}</strong>
      </p>
      <h1>Object {key}</h1>
      <Notice error={error} />
      <section className="panel" aria-labelledby="meta-title">
        <h2 id="meta-title">Metadata</h2>
        {head.error !== undefined ? (
          <Notice error={`Cannot read this object: ${head.error}`} />
        ) : (
          <dl className="meta">
            <dt>Size</dt>
            <dd>{head.data !== undefined ? formatSize(head.data.ContentLength ?? 0) : '…'}</dd>
            <dt>Content type</dt>
            <dd>{head.data?.ContentType}</dd>
            <dt>ETag</dt>
            <dd>
              <code>{head.data?.ETag}</code>
            </dd>
            <dt>Last modified</dt>
            <dd>{head.data?.LastModified?.toLocaleString()}</dd>
            <dt>Version</dt>
            <dd>
              <code>{head.data?.VersionId ?? 'null'}</code>
            </dd>
            <dt>Storage class</dt>
            <dd>{head.data?.StorageClass ?? 'STANDARD'}</dd>
            {Object.entries(head.data?.Metadata ?? {}).map(([k, v]) => (
              <div key={k}>
                <dt>x-amz-meta-{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
        <div className="actions">
          <button type="button" onClick={() => void download()}>
            Download
          </button>
          <button type="button" onClick={() => void remove()}>
            Delete
          </button>
        </div>
      </section>
      <section className="panel" aria-labelledby="share-title">
        <h2 id="share-title">Share link</h2>
        <div className="row">
          <label>
            Expires after
            <select value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
              {EXPIRIES.map((x) => (
                <option key={x.seconds} value={x.seconds}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void share()}>
            Create presigned link
          </button>
        </div>
        {link !== undefined && (
          <label>
            Presigned link (signed with your key)
            <input className="wide" readOnly value={link} onFocus={(e) => e.target.select()} />
          </label>
        )}
      </section>
      <section className="panel">
        {tags.error !== undefined ? (
          <Notice error={`Cannot read the tags: ${tags.error}`} />
        ) : tags.data === undefined ? (
          <p>Loading tags…</p>
        ) : (
          <TagEditor initial={rowsOf(tags.data.TagSet)} label="Tags" onSave={saveTags} />
        )}
      </section>
      <section className="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <Notice error={versions.error} />
        <table className="list" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Last modified</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {own.map((v) => (
              <tr key={v.VersionId} className={v.marker ? 'delete-marker' : undefined}>
                <td>
                  <code>{v.VersionId}</code>
                  {v.IsLatest === true ? ' (latest)' : ''}
                </td>
                <td>{v.LastModified?.toLocaleString()}</td>
                <td>{v.marker ? 'delete marker' : formatSize(v.Size ?? 0)}</td>
                <td>
                  {!v.marker && (
                    <button type="button" onClick={() => void download(v.VersionId)}>
                      Download
                    </button>
                  )}
                  <button type="button" onClick={() => void remove(v.VersionId)}>
                    Delete version
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
