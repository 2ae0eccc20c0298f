import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 that keeps every mail it is given, parsed, and can refuse
 * connections for a while (to prove mail is retried). Plain SMTP without auth or STARTTLS,
 * like a local relay. No test-framework imports.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  raw: string;
}

export class FakeSmtp {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private boundPort = 0;

  static async start(): Promise<FakeSmtp> {
    const fake = new FakeSmtp();
    await fake.acceptConnections();
    return fake;
  }

  /** What to set SMTP_URL to. */
  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  /** Listens (again, on the same port once it has one). */
  async acceptConnections(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              this.mails.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                messageId: parsed.messageId ?? '',
                raw,
              });
              done();
            })
            .catch(done);
        });
      },
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.boundPort, '127.0.0.1', () => ok());
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
  }

  /** Closes the listener: connections are refused until acceptConnections(). */
  async refuseConnections(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }

  stop(): Promise<void> {
    return this.refuseConnections();
  }
}
