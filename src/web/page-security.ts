import helmet from 'helmet';

/** The Content-Security-Policy of every server-rendered page (see pageSecurityHeaders). */
const PAGE_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

const pageHeaders = (directives: Record<string, string[]>) =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });

/**
 * The headers of every server-rendered page (the portal, the survey): no script at all,
 * styles and images only from this origin, forms posting only here, no framing, no referrer
 * (survey and confirmation links hold their token in the URL), HSTS from helmet's defaults.
 * The widget's panel, which is framed on purpose, has its own (web/widget/widget-routes.ts).
 */
export const pageSecurityHeaders = pageHeaders(PAGE_DIRECTIVES);

/**
 * The same, for a page that runs a script of this origin (the portal's ticket page, which
 * polls its conversation): scripts and fetches only from here; still no inline script.
 */
export const scriptedPageSecurityHeaders = pageHeaders({ ...PAGE_DIRECTIVES, scriptSrc: ["'self'"], connectSrc: ["'self'"] });
