import { Router } from 'express';
import { publicFile } from '../views.ts';
import { loadSession, noStore, securityHeaders, sessionOf, type PortalKit } from './portal-kit.ts';

/** `GET /`: what Helpnet is, the two ways in, how it works, who can join, a short FAQ. And the portal's stylesheet. */
export function homeRoutes(kit: PortalKit): Router {
  const router = Router();
  const css = publicFile('portal.css');
  router.get('/portal.css', securityHeaders, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(css);
  });
  router.get('/', securityHeaders, noStore, loadSession(kit), (_req, res) => {
    const signedIn = !!sessionOf(res);
    kit.page(res, 200, 'portal-home', { title: 'IT help from vetted experts', helpHref: signedIn ? '/tickets' : '/signup' });
  });
  return router;
}
