import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { useEffect, useState } from 'react';
import { errorText } from '../aws/errorText.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt } from '../ui/useAsync.js';
import { jsonErrorLine, serverMessageLine } from './policyLines.js';

interface Problem {
  readonly message: string;
  readonly line?: number | undefined;
}

/**
 * The bucket policy as JSON text. It is checked as JSON before it is sent; the server's MalformedPolicy message is
 * shown beside the line of the statement it names.
 */
export function PolicyEditor(props: { readonly bucket: string }) {
  const { clients } = useSession();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  useEffect(() => {
    clients.s3.send(new GetBucketPolicyCommand({ Bucket: props.bucket })).then(
      (out) => setText(JSON.stringify(JSON.parse(out.Policy ?? '{}'), null, 2)),
      (err: unknown) => {
        if ((err as { name?: string }).name !== 'NoSuchBucketPolicy') setProblem({ message: errorText(err) });
      },
    );
  }, [clients, props.bucket]);

  const save = async (): Promise<void> => {
    setStatus(undefined);
    try {
      JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      setProblem({ message: `Not valid JSON: ${message}`, line: jsonErrorLine(text, message) });
      return;
    }
    try {
      await clients.s3.send(new PutBucketPolicyCommand({ Bucket: props.bucket, Policy: text }));
      setProblem(undefined);
      setStatus('Policy saved.');
    } catch (err) {
      const message = errorText(err);
      setProblem({ message, line: serverMessageLine(text, message) });
    }
  };
  const remove = async (): Promise<void> => {
    const refused = await attempt(() => clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: props.bucket })));
    if (refused === undefined) {
      setText('');
      setProblem(undefined);
      setStatus('Policy deleted.');
    } else setProblem({ message: refused });
  };
  const lines = text.split('\n');
  return (
    <section className="panel" aria-labelledby="policy-title">
      <h2 id="policy-title">Bucket policy</h2>
      <div className="policy">
        <ol className="gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <li key={i} className={problem?.line === i + 1 ? 'bad-line' : undefined}>
              {i + 1}
            </li>
          ))}
        </ol>
        <textarea aria-label="Policy JSON" spellCheck={false} rows={Math.max(12, lines.length + 1)} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={problem !== undefined} aria-describedby="policy-problem" />
      </div>
      <div id="policy-problem">
        {problem !== undefined && (
          <p className="error" role="alert">
            {problem.line !== undefined ? `Line ${problem.line}: ` : ''}
            {problem.message}
          </p>
        )}
      </div>
      <Notice status={status} />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void save()}>
          Save policy
        </button>
        <button type="button" onClick={() => void remove()}>
          Delete policy
        </button>
      </div>
    </section>
  );
}
