import { Router } from 'express';
import type { DomainContext } from '../../domain/domain-context.ts';
import type { Logger } from '../../lib/logger.ts';
import { expertJoinRoutes } from './expert-join-routes.ts';
import { homeRoutes } from './home-routes.ts';
import { loginRoutes } from './login-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { createPortalKit, portalErrors, type PortalKit } from './portal-kit.ts';
import { profileRoutes } from './profile-routes.ts';
import { signupRoutes } from './signup-routes.ts';
import { ticketsRoutes } from './tickets-routes.ts';

/**
 * The customer portal's pages (docs/portal.md): `/`, `/signup`, `/confirm/:token`, `/login`,
 * `POST /logout`, `/profile`, `/experts/join`. Sessions live in the database; every form carries a CSRF token.
 */
export function portalRoutes(ctx: DomainContext, opts: { secret: string; publicUrl: string; mail: boolean; expertsConnected?: boolean; logger?: Logger; throttle?: PortalKit['throttle'] }): Router {
  const kit = createPortalKit(ctx, { secret: opts.secret, secureCookies: opts.publicUrl.startsWith('https:'), mail: opts.mail, expertsConnected: opts.expertsConnected, logger: opts.logger, throttle: opts.throttle });
  const router = Router();
  router.use(homeRoutes(kit), signupRoutes(kit), loginRoutes(kit), profileRoutes(kit));
  // `/password/forgot` and `/password/reset/:token`.
  router.use(passwordRoutes(kit));
  // The customer's tickets: /tickets, /tickets/new, /tickets/:id (and its JSON and script).
  router.use(ticketsRoutes(kit));
  // The expert sign-up wizard: /experts/join and its steps.
  router.use(expertJoinRoutes(kit));
  // Only errors raised by the portal's own routes reach this: a page, not JSON.
  router.use(portalErrors(kit));
  return router;
}
