import { useId, useState } from 'react';
import { MAX_OBJECT_TAGS, tagProblems, type TagRow } from '../tags/tagRules.js';
import { Notice } from './Notice.js';

/**
 * An inline tag editor: rows of key and value, checked against S3's limits as the user types; Save sends the whole
 * set only when it passes, and shows the server's message when the server refuses it anyway.
 */
export function TagEditor(props: {
  readonly initial: readonly TagRow[];
  readonly maxTags?: number;
  readonly label: string;
  readonly disabled?: boolean;
  readonly onSave: (tags: TagRow[]) => Promise<string | undefined>;
}) {
  const max = props.maxTags ?? MAX_OBJECT_TAGS;
  const [rows, setRows] = useState<TagRow[]>(() => [...props.initial]);
  const [serverError, setServerError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [refusedAdd, setRefusedAdd] = useState(false);
  const [saving, setSaving] = useState(false);
  const id = useId();
  // a row with neither key nor value is a blank line: not a problem, and not sent
  const filled = rows.filter((r) => r.key !== '' || r.value !== '');
  const problems = tagProblems(filled, max);
  const change = (i: number, row: TagRow): void => {
    setRows(rows.map((r, j) => (j === i ? row : r)));
    setStatus(undefined);
  };
  const add = (): void => {
    if (rows.length >= max) {
      setRefusedAdd(true);
      return;
    }
    setRefusedAdd(false);
    setRows([...rows, { key: '', value: '' }]);
  };
  const save = async (): Promise<void> => {
    setSaving(true);
    setServerError(undefined);
    setStatus(undefined);
    const refused = await props.onSave(filled);
    setSaving(false);
    if (refused === undefined) setStatus('Tags saved.');
    else setServerError(`The server refused the tags: ${refused}`);
  };
  return (
    <section className="tag-editor" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.label}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Tag ${i + 1} key`} value={row.key} onChange={(e) => change(i, { ...row, key: e.target.value })} disabled={props.disabled} />
              </td>
              <td>
                <input aria-label={`Tag ${i + 1} value`} value={row.value} onChange={(e) => change(i, { ...row, value: e.target.value })} disabled={props.disabled} />
              </td>
              <td>
                <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} disabled={props.disabled} aria-label={`Remove tag ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {rows.length} of {max} tags · keys up to 128 characters, values up to 256, no <code>aws:</code> keys
      </p>
      <div className="actions">
        <button type="button" onClick={add} disabled={props.disabled}>
          Add tag
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={props.disabled === true || saving || problems.length > 0}>
          Save tags
        </button>
      </div>
      {refusedAdd && (
        <p className="error" role="alert">
          Object tags cannot be greater than {max}: remove a tag before adding another.
        </p>
      )}
      <div role="alert">
        {problems.length > 0 && (
          <ul className="error" aria-label="Tag problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </div>
      <Notice error={serverError} status={status} />
    </section>
  );
}
