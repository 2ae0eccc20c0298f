import type { Mailer, OutgoingMail } from '../mail/mailer.ts';

/** How many emails the mailbox keeps: the newest. */
const KEPT = 50;

export interface SandboxMail extends OutgoingMail {
  at: Date;
}

/**
 * The sandbox's mail, when SMTP_URL is not set: Helpnet's emails (portal confirmations,
 * survey links, new messages for widget customers) are kept here, in memory, and shown on
 * the sandbox page, so a demo can follow a link without a mail server.
 */
export class SandboxMailbox implements Mailer {
  private readonly mails: SandboxMail[] = [];

  async send(mail: OutgoingMail): Promise<void> {
    this.mails.unshift({ ...mail, at: new Date() });
    this.mails.length = Math.min(this.mails.length, KEPT);
  }

  /** Newest first. */
  list(): readonly SandboxMail[] {
    return this.mails;
  }

  close(): void {}
}
