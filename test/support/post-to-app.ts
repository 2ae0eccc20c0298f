export interface AppResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** How a sender puts a request on the wire: postToApp, or a cheaper client (the benchmarks'). */
export type PostFn = (url: string, headers: Record<string, string>, body: string) => Promise<AppResponse>;

/** POSTs a raw body to the app and reads the answer, JSON or not. No test-framework imports. */
export async function postToApp(url: string, headers: Record<string, string>, body: string): Promise<AppResponse> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
