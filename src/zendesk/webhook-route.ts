import express, { Router } from 'express';
import type { ZendeskConfig } from '../config/load-config.ts';
import type { DatabaseAccess } from '../db/database.ts';
import type { Outbox } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';
import { createDeliveryStore } from './store-deliveries.ts';
import { INVOCATION_HEADER, parseZendeskDelivery, zendeskDedupeKey } from './webhook-payload.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyZendeskSignature } from './webhook-signature.ts';

export const ZENDESK_WEBHOOK_PATH = '/zendesk/webhook';

/**
 * POST /zendesk/webhook: checks the signature, stores the delivery and queues its
 * processing in one transaction (shared with the deliveries arriving at the same time, see
 * store-deliveries.ts), and answers 200 once that has committed. A repeat of one delivery
 * (see zendeskDedupeKey) is recognised and answered 200 without doing anything twice.
 */
export function zendeskWebhookRoutes(deps: { config: ZendeskConfig | undefined; db: DatabaseAccess; outbox: Outbox; logger: Logger }): Router {
  const router = Router();
  const deliveries = createDeliveryStore(deps);
  router.post(ZENDESK_WEBHOOK_PATH, express.raw({ type: () => true, limit: '2mb' }), async (req, res, next) => {
    try {
      if (!deps.config) {
        res.status(503).json({ ok: false, error: 'zendesk_not_configured' });
        return;
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const timestamp = req.get(TIMESTAMP_HEADER);
      const check = verifyZendeskSignature(deps.config.webhookSecret, { signature: req.get(SIGNATURE_HEADER), timestamp }, raw);
      if (!check.ok) {
        deps.logger.warn({ reason: check.reason, ip: req.ip }, 'Zendesk webhook refused: bad signature');
        res.status(401).json({ ok: false, error: 'invalid_signature', reason: check.reason });
        return;
      }
      const text = raw.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        res.status(400).json({ ok: false, error: 'invalid_json', message: 'the body is not JSON' });
        return;
      }
      const delivery = parseZendeskDelivery(body);
      if ('error' in delivery) {
        res.status(400).json({ ok: false, error: 'unrecognised_payload', message: delivery.error });
        return;
      }
      if ('ignored' in delivery) {
        // 200, so that Zendesk neither retries it nor counts it against the webhook.
        deps.logger.debug({ reason: delivery.ignored }, 'Zendesk webhook ignored');
        res.json({ ok: true, ignored: true });
        return;
      }
      const dedupeKey = zendeskDedupeKey(delivery, { rawBody: text, timestamp: timestamp ?? '', invocationId: req.get(INVOCATION_HEADER) });
      if ((await deliveries.store({ dedupeKey, payload: text })) === 'duplicate') {
        res.json({ ok: true, duplicate: true });
        return;
      }
      res.json({ ok: true });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
