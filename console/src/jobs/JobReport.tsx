import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { useState } from 'react';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

/** A finished job's completion report: its files (<prefix>/job-<id>/), each readable in place. */
export function JobReport(props: { readonly bucket: string; readonly folder: string }) {
  const { clients } = useSession();
  const files = useAsync(() => clients.s3.send(new ListObjectsV2Command({ Bucket: props.bucket, Prefix: `${props.folder}/` })), [props.bucket, props.folder]);
  const [text, setText] = useState<{ key: string; body: string } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const open = async (key: string): Promise<void> => {
    setError(
      await attempt(async () => {
        const out = await clients.s3.send(new GetObjectCommand({ Bucket: props.bucket, Key: key }));
        setText({ key, body: (await out.Body?.transformToString()) ?? '' });
      }),
    );
  };
  return (
    <div className="report">
      <Notice error={files.error ?? error} />
      <ul aria-label="Report files">
        {(files.data?.Contents ?? []).map((o) => (
          <li key={o.Key}>
            <button type="button" onClick={() => void open(o.Key ?? '')}>
              Open {o.Key}
            </button>
          </li>
        ))}
      </ul>
      {text !== undefined && (
        <figure>
          <figcaption>{text.key}</figcaption>
          <pre aria-label="Report content">{text.body}</pre>
        </figure>
      )}
    </div>
  );
}
