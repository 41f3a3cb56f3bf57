import { useEffect, useState } from 'react';

/** The console's pages, addressed by the URL's hash so the server serves one page (index.html) only. */
/** A bucket's tabs. */
export type BucketTab = 'objects' | 'settings' | 'metrics';

export type Route =
  | { readonly page: 'buckets' }
  | { readonly page: 'bucket'; readonly bucket: string; readonly prefix: string; readonly tab: BucketTab }
  | { readonly page: 'object'; readonly bucket: string; readonly key: string }
  | { readonly page: 'jobs' }
  | { readonly page: 'iam' };

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'buckets':
      return '#/';
    case 'bucket': {
      const q = new URLSearchParams();
      if (route.prefix !== '') q.set('prefix', route.prefix);
      if (route.tab !== 'objects') q.set('tab', route.tab);
      const qs = q.toString();
      return `#/b/${encodeURIComponent(route.bucket)}${qs === '' ? '' : `?${qs}`}`;
    }
    case 'object':
      return `#/b/${encodeURIComponent(route.bucket)}/o?key=${encodeURIComponent(route.key)}`;
    case 'jobs':
      return '#/jobs';
    case 'iam':
      return '#/iam';
  }
}

function tabOf(text: string | null): BucketTab {
  return text === 'settings' || text === 'metrics' ? text : 'objects';
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'jobs') return { page: 'jobs' };
  if (parts[0] === 'iam') return { page: 'iam' };
  if (parts[0] === 'b' && parts[1] !== undefined) {
    const bucket = decodeURIComponent(parts[1]);
    if (parts[2] === 'o') return { page: 'object', bucket, key: query.get('key') ?? '' };
    return { page: 'bucket', bucket, prefix: query.get('prefix') ?? '', tab: tabOf(query.get('tab')) };
  }
  return { page: 'buckets' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function go(route: Route): void {
  window.location.hash = hrefOf(route);
}
