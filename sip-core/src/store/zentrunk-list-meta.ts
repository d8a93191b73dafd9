// Zentrunk's list envelope (BEHAVIOUR.md §14.1): `meta` with `limit`, `offset`, `total_count` and the
// `previous`/`next` page links, which have no leading slash. The emulator's Call API wraps a `CdrPage` in it.

export interface ZentrunkListMeta {
  readonly limit: number;
  readonly offset: number;
  readonly total_count: number;
  readonly previous: string | null;
  readonly next: string | null;
}

/**
 * The `meta` of a page. `resourcePath` is the list's path without a leading slash
 * (`v1/Account/MA123/Zentrunk/Call/`); `filters` are repeated in the links so that `next` stays on the same
 * filtered list.
 */
export function zentrunkListMeta(
  page: { readonly limit: number; readonly offset: number; readonly total_count: number },
  resourcePath: string,
  filters: Readonly<Record<string, string | number>> = {},
): ZentrunkListMeta {
  const link = (offset: number): string => {
    const query = new URLSearchParams({ limit: String(page.limit), offset: String(offset) });
    for (const [name, value] of Object.entries(filters)) query.append(name, String(value));
    return `${resourcePath}?${query.toString()}`;
  };
  const hasNext = page.offset + page.limit < page.total_count;
  return {
    limit: page.limit,
    offset: page.offset,
    total_count: page.total_count,
    previous: page.offset > 0 ? link(Math.max(0, page.offset - page.limit)) : null,
    next: hasNext ? link(page.offset + page.limit) : null,
  };
}
