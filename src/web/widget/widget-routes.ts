import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { DomainContext } from '../../domain/domain-context.ts';
import { loadViews, publicFile } from '../views.ts';

/** A file of web/public/ with the version its URLs carry (`?v=`) and its ETag. */
export interface WidgetAsset {
  body: Buffer;
  version: string;
  type: string;
}

function asset(name: string, type: string): WidgetAsset {
  const body = publicFile(name);
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 16) };
}

/** A year, for a URL that names the exact version it serves. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Five minutes for `/widget.js` itself: a new version reaches pages soon after a deploy. */
export const SHORT_CACHE = 'public, max-age=300';

/**
 * Serves an asset: with `?v=` equal to its version, cached for a year as immutable; without
 * (or with an older version), for five minutes. Either way with its ETag, so a revalidation
 * costs a 304. Any site may load it (Cross-Origin-Resource-Policy).
 */
function serve(a: WidgetAsset, req: Request, res: Response): void {
  const etag = `"${a.version}"`;
  res.set({
    'Content-Type': a.type,
    'Cache-Control': req.query.v === a.version ? IMMUTABLE : SHORT_CACHE,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if ((req.get('if-none-match') ?? '').split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}`)) {
    res.status(304).end();
    return;
  }
  res.status(200).send(a.body);
}

/**
 * The embeddable widget: `GET /widget.js`, the script a site includes; `GET /widget/frame`,
 * the panel it opens, an iframe of this server (so the API it calls is same-origin and its
 * CSP stays strict), framed only by the routing file's `widget.allowedOrigins`
 * (`frame-ancestors`; none listed, no site may frame it); and the panel's script and style.
 */
export function widgetRoutes(ctx: DomainContext): Router {
  const loader = asset('widget.js', 'application/javascript; charset=utf-8');
  const script = asset('widget-frame.js', 'application/javascript; charset=utf-8');
  const style = asset('widget-frame.css', 'text/css; charset=utf-8');
  const render = loadViews(['widget-frame']);
  const origins = ctx.routing.widget.allowedOrigins;

  const frameHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: origins.length > 0 ? [...origins] : ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // X-Frame-Options cannot name several sites; frame-ancestors decides.
    frameguard: false,
  });

  const router = Router();
  router.get('/widget.js', (req, res) => serve(loader, req, res));
  router.get('/widget/frame.js', (req, res) => serve(script, req, res));
  router.get('/widget/frame.css', (req, res) => serve(style, req, res));
  router.get('/widget/frame', frameHeaders, (req, res) => {
    const wanted = typeof req.query.category === 'string' ? req.query.category : '';
    const category = ctx.routing.categories.some((c) => c.key === wanted) ? wanted : '';
    res
      .set('Cache-Control', 'no-cache')
      .type('html')
      .send(render('widget-frame', { category, scriptUrl: `frame.js?v=${script.version}`, cssUrl: `frame.css?v=${style.version}` }));
  });
  return router;
}

/** The version `/widget.js?v=` pins, for the docs and the operator (also its ETag). */
export function widgetVersion(): string {
  return asset('widget.js', '').version;
}
