import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { useState } from 'react';
import { errorText } from '../aws/errorText.js';
import { useSession } from '../session/SessionContext.js';

interface Progress {
  readonly key: string;
  readonly loaded: number;
  readonly total: number;
  readonly state: 'uploading' | 'done' | 'failed';
  readonly message?: string;
}

/** Files larger than this go up as multipart uploads, in parts of this size, four at a time. */
const PART_SIZE = 5 * 1024 * 1024;

async function uploadOne(s3: S3Client, bucket: string, key: string, file: File, onProgress: (loaded: number) => void): Promise<void> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: file, ContentType: file.type === '' ? 'application/octet-stream' : file.type },
    partSize: PART_SIZE,
    queueSize: 4,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (p) => onProgress(p.loaded ?? 0));
  await upload.done();
}

/** Upload files or a whole folder under the current prefix, with a progress bar per file. */
export function UploadPanel(props: { readonly bucket: string; readonly prefix: string; readonly onUploaded: () => void }) {
  const { clients } = useSession();
  const [progress, setProgress] = useState<Progress[]>([]);

  const start = async (files: FileList | null): Promise<void> => {
    if (files === null || files.length === 0) return;
    const list = [...files].map((file) => ({ file, key: props.prefix + (file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name) }));
    setProgress(list.map(({ key, file }) => ({ key, loaded: 0, total: file.size, state: 'uploading' })));
    const update = (key: string, change: Partial<Progress>): void => setProgress((all) => all.map((p) => (p.key === key ? { ...p, ...change } : p)));
    for (const { file, key } of list) {
      try {
        await uploadOne(clients.s3, props.bucket, key, file, (loaded) => update(key, { loaded }));
        update(key, { loaded: file.size, state: 'done' });
      } catch (err) {
        update(key, { state: 'failed', message: errorText(err) });
      }
    }
    props.onUploaded();
  };

  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload</h2>
      <div className="row">
        <label>
          Files
          <input type="file" multiple onChange={(e) => void start(e.target.files)} />
        </label>
        <label>
          A folder
          <input type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => void start(e.target.files)} />
        </label>
      </div>
      {progress.length > 0 && (
        <ul className="progress-list" aria-label="Upload progress">
          {progress.map((p) => (
            <li key={p.key}>
              <span className="key">{p.key}</span>
              <progress max={p.total === 0 ? 1 : p.total} value={p.total === 0 ? (p.state === 'done' ? 1 : 0) : p.loaded} aria-label={`Upload of ${p.key}`} />
              <span className={`state ${p.state}`}>{p.state === 'failed' ? `failed: ${p.message ?? ''}` : p.state}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
