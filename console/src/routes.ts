/** The page the location's hash names: `#/`, `#/new`, `#/connectors/<name>`. */
export type Route =
  | { readonly page: 'list' }
  | { readonly page: 'create' }
  | { readonly page: 'connector'; readonly name: string };

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/new') return { page: 'create' };
  const match = /^\/connectors\/([^/]+)$/.exec(path);
  if (match) {
    try {
      return { page: 'connector', name: decodeURIComponent(match[1]!) };
    } catch {
      // A hand-typed `%` that is not an escape: the list, rather than a broken page.
      return { page: 'list' };
    }
  }
  return { page: 'list' };
}

export const connectorHref = (name: string) => `#/connectors/${encodeURIComponent(name)}`;
