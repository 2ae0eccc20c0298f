/**
 * The least a server in Helpnet's place could do, for the benchmarks to measure beside
 * Helpnet and the floors: an HTTP server that checks the signature of what it receives,
 * stores it with one INSERT, answers 200, and passes it on with one HTTP call — a Zendesk
 * webhook to Slack (`POST /zendesk/webhook` → `chat.postMessage`), a Slack event to
 * Zendesk (`POST /slack/events` → a comment). Nothing else: no ticket, no alias, no
 * routing, no retries. Not product code; run by bench/support.ts as a process of its own,
 * on the same database engine, fakes and load as the real server.
 *
 *   env: PORT, DATABASE_URL, SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
 *        ZENDESK_API_URL, ZENDESK_EMAIL, ZENDESK_API_TOKEN, ZENDESK_WEBHOOK_SECRET
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createSequelize } from '../src/db/create-sequelize.ts';
import { request } from '../src/lib/http-request.ts';

const env = process.env as Record<string, string>;
const sequelize = createSequelize(env.DATABASE_URL!);
await sequelize.query('CREATE TABLE IF NOT EXISTS minimal_received (id INTEGER PRIMARY KEY AUTO_INCREMENT, body TEXT NOT NULL)'.replace('AUTO_INCREMENT', sequelize.getDialect() === 'sqlite' ? 'AUTOINCREMENT' : 'AUTO_INCREMENT'));
const zendeskAuth = `Basic ${Buffer.from(`${env.ZENDESK_EMAIL}/token:${env.ZENDESK_API_TOKEN}`).toString('base64')}`;
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      let passOn: () => Promise<unknown>;
      if (req.url === '/zendesk/webhook') {
        const signature = createHmac('sha256', env.ZENDESK_WEBHOOK_SECRET!).update(header('x-zendesk-webhook-signature-timestamp') + raw).digest('base64');
        if (!same(signature, header('x-zendesk-webhook-signature'))) return res.writeHead(401).end();
        const ticketId = (JSON.parse(raw) as { ticket: { id: string } }).ticket.id;
        passOn = () =>
          request(`${env.SLACK_API_URL}chat.postMessage`, {
            method: 'POST',
            headers: { authorization: `Bearer ${env.SLACK_BOT_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ channel: 'C0BENCH000', text: `Zendesk ticket ${ticketId}` }),
            timeoutMs: 10_000,
          });
      } else if (req.url === '/slack/events') {
        const signature = `v0=${createHmac('sha256', env.SLACK_SIGNING_SECRET!).update(`v0:${header('x-slack-request-timestamp')}:${raw}`).digest('hex')}`;
        if (!same(signature, header('x-slack-signature'))) return res.writeHead(401).end();
        const { event } = JSON.parse(raw) as { event: { text: string; zendesk_ticket_id?: number } };
        passOn = () =>
          request(`${env.ZENDESK_API_URL}/tickets/${event.zendesk_ticket_id}.json`, {
            method: 'PUT',
            headers: { authorization: zendeskAuth, 'content-type': 'application/json' },
            body: JSON.stringify({ ticket: { comment: { body: event.text, public: true } } }),
            timeoutMs: 10_000,
          });
      } else return res.writeHead(404).end();
      await sequelize.query('INSERT INTO minimal_received (body) VALUES (?)', { replacements: [raw] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      await passOn();
    })().catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
});
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: 'minimal server is listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => {
  server.close();
  void sequelize.close().then(() => process.exit(0));
});
