import helmet from 'helmet';

/**
 * The headers of every server-rendered page (the portal, the survey): no script at all,
 * styles and images only from this origin, forms posting only here, no framing, no referrer
 * (survey and confirmation links hold their token in the URL), HSTS from helmet's defaults.
 * The widget's panel, which is framed on purpose, has its own (web/widget/widget-routes.ts).
 */
export const pageSecurityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
});
