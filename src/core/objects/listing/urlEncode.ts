/**
 * `encoding-type=url`: how S3 encodes keys, prefixes, markers and delimiters in listing responses. Every UTF-8 byte
 * outside the RFC 3986 unreserved set (A–Z a–z 0–9 - . _ ~) becomes %XX (upper-case hex), except `/`, which S3
 * leaves as is (s3-tests, checked against AWS: `foo+1/` → `foo%2B1/`, `quux ab/` → `quux%20ab/`).
 */
export function urlEncodeListingValue(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%2F/g, '/');
}

/** The encoder a listing response applies to its key-like fields: identity unless encoding-type=url. */
export function listingEncoder(encodingType: 'url' | undefined): (value: string) => string {
  return encodingType === 'url' ? urlEncodeListingValue : (value) => value;
}
