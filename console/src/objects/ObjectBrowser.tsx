import { DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { useState } from 'react';
import { listTaggedObjects } from '../aws/taggedObjects.js';
import { CreateJobForm } from '../jobs/CreateJobForm.js';
import { go, hrefOf } from '../router.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';
import { BulkTagPanel } from './BulkTagPanel.js';
import { UploadPanel } from './UploadPanel.js';

const PAGE_SIZE = 50;

interface Row {
  readonly key: string;
  readonly size?: number | undefined;
  readonly lastModified?: Date | undefined;
  readonly versionId?: string | undefined;
  readonly isLatest?: boolean | undefined;
  readonly deleteMarker?: boolean;
}

interface Listing {
  readonly folders: readonly string[];
  readonly rows: readonly Row[];
  readonly next?: string | undefined;
}

type Filter = { readonly kind: 'prefix' } | { readonly kind: 'tag'; readonly key: string; readonly value: string } | { readonly kind: 'versions' };

/** Browse a bucket by prefix (folders by '/'), by tag (the server's tag index) or by version; select, tag, delete, upload. */
export function ObjectBrowser(props: { readonly bucket: string; readonly prefix: string }) {
  const { clients } = useSession();
  const { bucket, prefix } = props;
  const [filter, setFilter] = useState<Filter>({ kind: 'prefix' });
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [search, setSearch] = useState(prefix);
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [panel, setPanel] = useState<'none' | 'upload' | 'tags' | 'job'>('none');
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const token = pages[pages.length - 1];

  const listing = useAsync(async (): Promise<Listing> => {
    if (filter.kind === 'tag') {
      const page = await listTaggedObjects(clients, bucket, { key: filter.key, value: filter.value, prefix, maxKeys: PAGE_SIZE, ...(token !== undefined ? { after: token } : {}) });
      const rows = page.objects.map((o) => ({ key: o.key, size: o.size, lastModified: new Date(o.lastModified) })).sort((a, b) => (a.key < b.key ? -1 : 1));
      return { folders: [], rows, next: page.next };
    }
    if (filter.kind === 'versions') {
      const [keyMarker, versionMarker] = token === undefined ? [undefined, undefined] : (JSON.parse(token) as [string, string]);
      const out = await clients.s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: PAGE_SIZE, ...(keyMarker !== undefined ? { KeyMarker: keyMarker, VersionIdMarker: versionMarker } : {}) }),
      );
      const rows: Row[] = [
        ...(out.Versions ?? []).map((v) => ({ key: v.Key ?? '', size: v.Size, lastModified: v.LastModified, versionId: v.VersionId, isLatest: v.IsLatest })),
        ...(out.DeleteMarkers ?? []).map((d) => ({ key: d.Key ?? '', lastModified: d.LastModified, versionId: d.VersionId, isLatest: d.IsLatest, deleteMarker: true })),
      ].sort((a, b) => (a.key === b.key ? (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) : a.key < b.key ? -1 : 1));
      return { folders: [], rows, next: out.IsTruncated === true ? JSON.stringify([out.NextKeyMarker, out.NextVersionIdMarker]) : undefined };
    }
    const out = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', MaxKeys: PAGE_SIZE, ...(token !== undefined ? { ContinuationToken: token } : {}) }),
    );
    return {
      folders: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
      rows: (out.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size, lastModified: o.LastModified })),
      next: out.IsTruncated === true ? out.NextContinuationToken : undefined,
    };
  }, [bucket, prefix, filter, token]);

  const resetPages = (): void => {
    setPages([undefined]);
    setSelected(new Set());
  };
  const toggle = (key: string): void => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setSelected(next);
  };
  const rows = listing.data?.rows ?? [];
  const deleteSelected = async (): Promise<void> => {
    const keys = [...selected];
    if (!window.confirm(`Delete ${keys.length} objects?`)) return;
    const refused = await attempt(async () => {
      const out = await clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      const first = out.Errors?.[0];
      if (first !== undefined) throw Object.assign(new Error(`${first.Key ?? ''}: ${first.Message ?? ''}`), { name: first.Code ?? 'Error' });
    });
    setError(refused);
    if (refused === undefined) setStatus(`Deleted ${keys.length} objects.`);
    setSelected(new Set());
    listing.reload();
  };

  return (
    <>
      <form
        className="row"
        aria-label="Search by prefix"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ kind: 'prefix' });
          resetPages();
          go({ page: 'bucket', bucket, prefix: search, tab: 'objects' });
        }}
      >
        <label>
          Prefix
          <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="photos/2026/" />
        </label>
        <button type="submit">Search</button>
      </form>
      <form
        className="row"
        aria-label="Filter by tag"
        onSubmit={(e) => {
          e.preventDefault();
          resetPages();
          setFilter(tagKey === '' ? { kind: 'prefix' } : { kind: 'tag', key: tagKey, value: tagValue });
        }}
      >
        <label>
          Tag key
          <input value={tagKey} onChange={(e) => setTagKey(e.target.value)} />
        </label>
        <label>
          Tag value
          <input value={tagValue} onChange={(e) => setTagValue(e.target.value)} />
        </label>
        <button type="submit">Filter by tag</button>
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.kind === 'versions'}
            onChange={(e) => {
              resetPages();
              setFilter(e.target.checked ? { kind: 'versions' } : { kind: 'prefix' });
            }}
          />
          Show versions and delete markers
        </label>
      </form>
      {filter.kind === 'tag' && (
        <p className="status">
          Objects tagged <code>{filter.key}={filter.value}</code>
          {prefix !== '' ? ` under ${prefix}` : ''} (through the tag index){' '}
          <button
            type="button"
            onClick={() => {
              resetPages();
              setFilter({ kind: 'prefix' });
            }}
          >
            Clear tag filter
          </button>
        </p>
      )}
      <div className="toolbar" role="toolbar" aria-label="Object actions">
        <button type="button" onClick={() => setPanel(panel === 'upload' ? 'none' : 'upload')} aria-expanded={panel === 'upload'}>
          Upload…
        </button>
        <button type="button" onClick={() => setPanel(panel === 'tags' ? 'none' : 'tags')} disabled={selected.size === 0} aria-expanded={panel === 'tags'}>
          Tag selected…
        </button>
        <button type="button" onClick={() => setPanel(panel === 'job' ? 'none' : 'job')} aria-expanded={panel === 'job'}>
          Batch job…
        </button>
        <button type="button" onClick={() => void deleteSelected()} disabled={selected.size === 0}>
          Delete selected
        </button>
        <span>{selected.size} selected</span>
      </div>
      {panel === 'upload' && <UploadPanel bucket={bucket} prefix={prefix} onUploaded={listing.reload} />}
      {panel === 'tags' && <BulkTagPanel bucket={bucket} keys={[...selected]} onDone={listing.reload} />}
      {panel === 'job' && (
        <CreateJobForm
          bucket={bucket}
          initialSource={selected.size > 0 ? 'selection' : filter.kind === 'tag' ? 'tag' : 'prefix'}
          selection={[...selected]}
          prefix={prefix}
          tag={filter.kind === 'tag' ? { key: filter.key, value: filter.value } : undefined}
        />
      )}
      <Notice error={error} status={status} />
      {listing.error !== undefined && <Notice error={`Cannot list objects: ${listing.error}`} />}
      <p className="crumbs" aria-label="Prefix">
        <a href={hrefOf({ page: 'bucket', bucket, prefix: '', tab: 'objects' })}>{bucket}</a>
        {prefix
          .split('/')
          .filter((p) => p !== '')
          .map((part, i, all) => {
            const to = `${all.slice(0, i + 1).join('/')}/`;
            return (
              <span key={to}>
                {' / '}
                <a href={hrefOf({ page: 'bucket', bucket, prefix: to, tab: 'objects' })}>{part}</a>
              </span>
            );
          })}
      </p>
      <table className="list" aria-label="Objects" aria-busy={listing.loading}>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all on this page"
                checked={rows.length > 0 && rows.every((r) => selected.has(r.key))}
                onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.key)) : new Set())}
              />
            </th>
            <th scope="col">Key</th>
            <th scope="col">Size</th>
            <th scope="col">Last modified</th>
            {filter.kind === 'versions' && <th scope="col">Version</th>}
          </tr>
        </thead>
        <tbody>
          {(listing.data?.folders ?? []).map((folder) => (
            <tr key={folder}>
              <td />
              <td>
                <a href={hrefOf({ page: 'bucket', bucket, prefix: folder, tab: 'objects' })}>{folder.slice(prefix.length)}</a>
              </td>
              <td>folder</td>
              <td />
            </tr>
          ))}
          {rows.map((row) => (
            <tr key={`${row.key}\u0000${row.versionId ?? ''}`} className={row.deleteMarker === true ? 'delete-marker' : undefined}>
              <td>
                {row.deleteMarker !== true && (
                  <input type="checkbox" aria-label={`Select ${row.key}`} checked={selected.has(row.key)} onChange={() => toggle(row.key)} />
                )}
              </td>
              <td>
                <a href={hrefOf({ page: 'object', bucket, key: row.key })}>{filter.kind === 'prefix' ? row.key.slice(prefix.length) : row.key}</a>
              </td>
              <td>{row.deleteMarker === true ? 'delete marker' : formatSize(row.size ?? 0)}</td>
              <td>{row.lastModified?.toLocaleString()}</td>
              {filter.kind === 'versions' && (
                <td>
                  <code>{row.versionId}</code>
                  {row.isLatest === true ? ' (latest)' : ''}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {listing.data !== undefined && rows.length === 0 && (listing.data.folders.length === 0) && <p>Nothing here.</p>}
      <div className="pager">
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {pages.length}</span>
        <button type="button" disabled={listing.data?.next === undefined} onClick={() => setPages([...pages, listing.data?.next])}>
          Next page
        </button>
      </div>
    </>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
