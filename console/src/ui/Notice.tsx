/** A status line read out by screen readers: an error (role=alert) or a plain status. */
export function Notice(props: { readonly error?: string | undefined; readonly status?: string | undefined }) {
  if (props.error !== undefined && props.error !== '') return <p className="error" role="alert">{props.error}</p>;
  if (props.status !== undefined && props.status !== '') return <p className="status" role="status">{props.status}</p>;
  return null;
}
