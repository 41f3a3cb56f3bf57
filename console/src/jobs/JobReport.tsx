import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
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
        // a presigned GET read with fetch: the browser's own stream, signed by the SDK
        const url = await getSignedUrl(clients.s3, new GetObjectCommand({ Bucket: props.bucket, Key: key }), { expiresIn: 60 });
        const response = await fetch(url);
        const body = await response.text();
        if (!response.ok) throw Object.assign(new Error(new DOMParser().parseFromString(body, 'application/xml').querySelector('Message')?.textContent ?? ''), { name: `HTTP ${response.status}` });
        setText({ key, body });
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
