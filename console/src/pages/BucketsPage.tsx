import { CreateBucketCommand, DeleteBucketCommand, ListBucketsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { useState, type FormEvent } from 'react';
import { go, hrefOf } from '../router.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

/** Buckets: list, create (versioning on or off), delete when empty, or open one by name. */
export function BucketsPage() {
  const { clients } = useSession();
  const list = useAsync(() => clients.s3.send(new ListBucketsCommand({})), []);
  const [name, setName] = useState('');
  const [versioning, setVersioning] = useState(false);
  const [open, setOpen] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setStatus(undefined);
    const bucket = name.trim();
    const refused = await attempt(async () => {
      await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      if (versioning) await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    });
    setError(refused);
    if (refused === undefined) {
      setStatus(`Bucket ${bucket} created.`);
      setName('');
      list.reload();
    }
  };
  const remove = async (bucket: string): Promise<void> => {
    if (!window.confirm(`Delete the empty bucket ${bucket}?`)) return;
    const refused = await attempt(() => clients.s3.send(new DeleteBucketCommand({ Bucket: bucket })));
    setError(refused);
    if (refused === undefined) {
      setStatus(`Bucket ${bucket} deleted.`);
      list.reload();
    }
  };

  return (
    <>
      <h1>Buckets</h1>
      <form className="row" onSubmit={(e) => void create(e)} aria-label="Create bucket">
        <label>
          New bucket name
          <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={versioning} onChange={(e) => setVersioning(e.target.checked)} />
          Versioning
        </label>
        <button type="submit" className="primary">
          Create bucket
        </button>
      </form>
      <form
        className="row"
        aria-label="Open bucket"
        onSubmit={(e) => {
          e.preventDefault();
          if (open.trim() !== '') go({ page: 'bucket', bucket: open.trim(), prefix: '', tab: 'objects' });
        }}
      >
        <label>
          Open a bucket by name
          <input value={open} onChange={(e) => setOpen(e.target.value)} />
        </label>
        <button type="submit">Open</button>
      </form>
      <Notice error={error} status={status} />
      {list.error !== undefined && <Notice error={`Cannot list buckets: ${list.error}`} />}
      <table className="list" aria-label="Buckets">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.Buckets ?? []).map((b) => (
            <tr key={b.Name}>
              <td>
                <a href={hrefOf({ page: 'bucket', bucket: b.Name ?? '', prefix: '', tab: 'objects' })}>{b.Name}</a>
              </td>
              <td>{b.CreationDate?.toLocaleString()}</td>
              <td>
                <a href={hrefOf({ page: 'bucket', bucket: b.Name ?? '', prefix: '', tab: 'settings' })}>Settings</a>{' '}
                <button type="button" onClick={() => void remove(b.Name ?? '')} aria-label={`Delete bucket ${b.Name}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data !== undefined && (list.data.Buckets ?? []).length === 0 && <p>No buckets yet.</p>}
    </>
  );
}
