import {
  DeleteBucketMetricsConfigurationCommand,
  ListBucketMetricsConfigurationsCommand,
  PutBucketMetricsConfigurationCommand,
  type MetricsConfiguration,
} from '@aws-sdk/client-s3';
import { useId, useState } from 'react';
import type { Clients } from '../session/clients.js';
import { useSession } from '../session/SessionContext.js';
import { MAX_OBJECT_TAGS, type TagRow } from '../tags/tagRules.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';
import { configurationOf, draftProblems, filterText } from './metricsConfigRules.js';

/** Every configuration of the bucket, all pages (100 a page) followed through their continuation tokens. */
async function listAll(clients: Clients, bucket: string): Promise<MetricsConfiguration[]> {
  const all: MetricsConfiguration[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }));
    all.push(...(page.MetricsConfigurationList ?? []));
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return all;
}

/** A bucket's metrics configurations: the list, a form to add one (checked before sending), delete. */
export function MetricsConfigurations(props: { readonly bucket: string }) {
  const { clients } = useSession();
  const { bucket } = props;
  const list = useAsync(() => listAll(clients, bucket), [bucket]);
  const [id, setId] = useState('');
  const [prefix, setPrefix] = useState('');
  const [rows, setRows] = useState<TagRow[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const htmlId = useId();
  const tags = rows.filter((r) => r.key !== '' || r.value !== '');
  const draft = { id, prefix, tags };
  const problems = draftProblems(draft);

  const run = async (action: () => Promise<unknown>, done: string, what: string): Promise<boolean> => {
    setBusy(true);
    setStatus(undefined);
    const refused = await attempt(action);
    setBusy(false);
    setError(refused === undefined ? undefined : `The server refused ${what}: ${refused}`);
    if (refused === undefined) setStatus(done);
    list.reload();
    return refused === undefined;
  };
  const add = async (): Promise<void> => {
    const config = configurationOf(draft);
    const ok = await run(
      () => clients.s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: bucket, Id: id, MetricsConfiguration: config })),
      `Metrics configuration ${id} saved.`,
      `the configuration ${id}`,
    );
    if (ok) {
      setId('');
      setPrefix('');
      setRows([]);
    }
  };
  const remove = (configId: string): Promise<boolean> =>
    run(
      () => clients.s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: configId })),
      `Metrics configuration ${configId} deleted.`,
      `deleting ${configId}`,
    );
  const change = (i: number, row: TagRow): void => setRows(rows.map((r, j) => (j === i ? row : r)));

  const configs = list.data ?? [];
  return (
    <section className="panel" aria-labelledby={`${htmlId}-title`}>
      <h2 id={`${htmlId}-title`}>Metrics configurations</h2>
      <p className="hint">
        Each configuration gets S3's request metrics (requests, bytes, errors, latency) for the requests its filter
        matches. Prometheus scrapes them at <code>{clients.origin}/_tessera/metrics</code>, or at <code>/metrics</code>{' '}
        on <code>TESSERA_METRICS_ADDRESS</code> when the server has its own metrics address (with{' '}
        <code>TESSERA_METRICS_TOKEN</code> as a bearer token when set); the console does not read them.
      </p>
      <Notice error={list.error} />
      <p aria-live="polite">{list.loading ? 'Loading configurations…' : `${configs.length} configuration${configs.length === 1 ? '' : 's'}`}</p>
      {configs.length > 0 && (
        <table className="list" aria-label="Metrics configurations">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Filter</th>
              <th scope="col">
                <span className="visually-hidden">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c) => (
              <tr key={c.Id}>
                <td>{c.Id}</td>
                <td>{filterText(c)}</td>
                <td>
                  <button type="button" onClick={() => void remove(c.Id ?? '')} disabled={busy} aria-label={`Delete ${c.Id ?? ''}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        aria-labelledby={`${htmlId}-add`}
        onSubmit={(e) => {
          e.preventDefault();
          if (problems.length === 0) void add();
        }}
      >
        <h3 id={`${htmlId}-add`}>Add a configuration</h3>
        <div className="row">
          <label>
            Id
            <input value={id} onChange={(e) => setId(e.target.value)} maxLength={200} />
          </label>
          <label>
            Prefix (optional)
            <input value={prefix} onChange={(e) => setPrefix(e.target.value)} />
          </label>
        </div>
        <fieldset>
          <legend>Filter tags (optional; an object must have all of them)</legend>
          {rows.map((row, i) => (
            <div className="row" key={i}>
              <label>
                {`Filter tag ${i + 1} key`}
                <input value={row.key} onChange={(e) => change(i, { ...row, key: e.target.value })} />
              </label>
              <label>
                {`Filter tag ${i + 1} value`}
                <input value={row.value} onChange={(e) => change(i, { ...row, value: e.target.value })} />
              </label>
              <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove filter tag ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setRows([...rows, { key: '', value: '' }])} disabled={rows.length >= MAX_OBJECT_TAGS}>
            Add filter tag
          </button>
          <span className="hint"> {rows.length} of {MAX_OBJECT_TAGS} tags</span>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || problems.length > 0}>
            Add configuration
          </button>
        </div>
        <div role="alert">
          {problems.length > 0 && (id !== '' || tags.length > 0) && (
            <ul className="error" aria-label="Configuration problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      </form>
      <Notice error={error} status={status} />
    </section>
  );
}
