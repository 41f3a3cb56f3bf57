import { renderXml } from '../../../xml/codec.js';

/** What a browser POST upload answers with `success_action_status=201`. */
export interface PostResponse {
  /** URL of the new object. */
  readonly location: string;
  readonly bucket: string;
  readonly key: string;
  /** The ETag, quoted as in the ETag header. */
  readonly etag: string;
}

/** `<PostResponse><Location/><Bucket/><Key/><ETag/></PostResponse>` (AWS sends it without a namespace). */
export function renderPostResponse(response: PostResponse): string {
  return renderXml(
    'PostResponse',
    { Location: response.location, Bucket: response.bucket, Key: response.key, ETag: response.etag },
    { xmlns: null },
  );
}
