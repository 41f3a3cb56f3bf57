import { useId, useState } from 'react';
import { storageStats, type TagBreakdown } from '../aws/storageStats.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

/** Bytes as a number with thousands separators, the exact figure the server gave. */
function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}

/** A bucket's storage figures (Tessera's tessera-stats) and, for a tag key the user types, the figures by value. */
export function StorageFigures(props: { readonly bucket: string }) {
  const { clients } = useSession();
  const { bucket } = props;
  const stats = useAsync(() => storageStats(clients, bucket), [bucket]);
  const [key, setKey] = useState('');
  const [byTag, setByTag] = useState<TagBreakdown | undefined>(undefined);
  const [tagError, setTagError] = useState<string | undefined>(undefined);
  const id = useId();
  const s = stats.data;

  const show = async (): Promise<void> => {
    setByTag(undefined);
    setTagError(
      await attempt(async () => {
        const answer = await storageStats(clients, bucket, key);
        setByTag(answer.byTag);
      }),
    );
  };

  return (
    <section className="panel" aria-labelledby={`${id}-figures`}>
      <h2 id={`${id}-figures`}>Storage</h2>
      <Notice error={stats.error} />
      {s === undefined ? (
        stats.loading && <p>Loading figures…</p>
      ) : (
        <dl className="meta" aria-label="Storage figures">
          <div>
            <dt>Objects</dt>
            <dd>{s.objects.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Object bytes</dt>
            <dd>{bytes(s.objectBytes)}</dd>
          </div>
          <div>
            <dt>Versions</dt>
            <dd>{s.versions.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Version bytes</dt>
            <dd>{bytes(s.versionBytes)}</dd>
          </div>
          <div>
            <dt>Delete markers</dt>
            <dd>{s.deleteMarkers.toLocaleString('en-US')}</dd>
          </div>
        </dl>
      )}
      <button type="button" onClick={stats.reload}>
        Refresh figures
      </button>
      <h3>By tag</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void show();
        }}
      >
        <label>
          Tag key
          <input value={key} onChange={(e) => setKey(e.target.value)} required />
        </label>
        <button type="submit" disabled={key === ''}>
          Show by tag
        </button>
      </form>
      <Notice error={tagError} />
      {byTag !== undefined && (
        <>
          <p className="tracked">
            {byTag.tracked
              ? `Tag key "${byTag.key}" is tracked: its figures are kept by the server and exported to Prometheus.`
              : `Tag key "${byTag.key}" is not tracked: counted for this answer (add it to TESSERA_METRICS_TAG_KEYS to chart it).`}
          </p>
          <table className="list" aria-label={`Objects by tag ${byTag.key}`}>
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Objects</th>
                <th scope="col">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {byTag.values.map((v) => (
                <tr key={v.value}>
                  <td>{v.value}</td>
                  <td>{v.objects.toLocaleString('en-US')}</td>
                  <td>{bytes(v.bytes)}</td>
                </tr>
              ))}
              <tr className="untagged">
                <td>
                  <em>(untagged)</em>
                </td>
                <td>{byTag.untagged.objects.toLocaleString('en-US')}</td>
                <td>{bytes(byTag.untagged.bytes)}</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
