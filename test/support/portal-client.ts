/**
 * A stand-in for one person's browser on the portal's pages, over real HTTP: keeps the
 * cookies the server sets (by name), follows no redirect by itself, and sends its own
 * X-Forwarded-For (the test server trusts loopback proxies) so each one is its own client
 * address for the per-address limits. No test-framework imports.
 */

/** What a page answered. */
export interface PortalPage {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
  setCookies: string[];
}

const randomOctet = () => Math.floor(Math.random() * 250);

export class PortalClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly base: () => string,
    readonly address = `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`,
  ) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<PortalPage> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.base()}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get('location'), setCookies };
  }

  get(path: string): Promise<PortalPage> {
    return this.request('GET', path);
  }

  /** Opens the form's page first (for its CSRF token), then posts the fields with it. */
  async submit(formPath: string, action: string, fields: Record<string, string>): Promise<PortalPage> {
    const page = await this.get(formPath);
    return this.request('POST', action, { ...fields, _csrf: csrfOf(page.html, action) });
  }
}

/** The CSRF token of the form posting to `action` on a page (the first form's without one). */
export function csrfOf(html: string, action = ''): string {
  const forms = [...html.matchAll(/<form method="post" action="([^"]*)"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">/g)];
  const form = forms.find((m) => m[1] === action) ?? forms[0];
  if (!form) throw new Error(`no form with a CSRF token on the page:\n${html}`);
  return form[2]!;
}

/** Handlebars' escaping undone. */
export const unescapeHtml = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');

/** The value an input of the page holds, unescaped; undefined without such an input. */
export const inputValue = (html: string, name: string) => {
  const m = new RegExp(`<input[^>]*name="${name}" value="([^"]*)"`).exec(html);
  return m ? unescapeHtml(m[1]!) : undefined;
};

/** The page without what differs from one request to the next (CSRF tokens, the email typed). */
export const pageShape = (html: string, email: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replaceAll(email, 'EMAIL');
