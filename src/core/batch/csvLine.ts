/**
 * One CSV record (RFC 4180: fields separated by commas, a field may be double-quoted, "" inside quotes is a quote).
 * Returns undefined for a record with an unterminated quote. Manifests and inventory files never span lines (keys
 * are URL-encoded), so a record is one line.
 */
export function parseCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== ',') return undefined;
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/** A CSV field as AWS writes it: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  if (!value.includes(',') && !value.includes('"') && !value.includes('\n') && !value.includes('\r')) return value;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Keys in manifests and reports are URL-encoded (form encoding: '+' is a space). */
export function decodeManifestKey(encoded: string): string | undefined {
  if (!encoded.includes('%') && !encoded.includes('+')) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** URL-encode a key for a report (as S3 does: RFC 3986 unreserved characters and '/' are kept). */
export function encodeReportKey(key: string): string {
  if (/^[A-Za-z0-9\-._~/]*$/.test(key)) return key;
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
