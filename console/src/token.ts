/**
 * The server's admin token, when it has one (a non-loopback host, or `--auth strict`): the link the server prints
 * carries it as `?token=`. It is kept for this tab in sessionStorage and taken out of the address bar (so it is not
 * bookmarked or shared by accident), then sent on every request: as a header, or in the query for EventSource, which
 * cannot set headers.
 */
const KEY = "localvpc.adminToken";

const fromUrl = (): string | null => {
  const url = new URL(location.href);
  const t = url.searchParams.get("token");
  if (t === null) return null;
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  return t;
};

const given = fromUrl();
if (given !== null) sessionStorage.setItem(KEY, given);
const token = sessionStorage.getItem(KEY);

/** Headers that carry the token (none when the server needs none). */
export const tokenHeaders = (): Record<string, string> => (token === null ? {} : { "x-localvpc-token": token });

/** A same-origin URL with the token in its query (for EventSource). */
export const withToken = (path: string): string =>
  token === null ? path : `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;

/** `fetch` with the token's header added. */
export const adminFetch = (input: string, init: RequestInit = {}): Promise<Response> =>
  fetch(input, { ...init, headers: { ...tokenHeaders(), ...(init.headers as Record<string, string> | undefined) } });
