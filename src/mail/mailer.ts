import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A stable id, so a message sent twice after a crash is recognisably the same one. */
  messageId: string;
}

/** A failure worth retrying (connection refused, timeout, a 4xx "try later"). */
export class RetryableMailError extends Error {
  override readonly name = 'RetryableMailError';
}

/** The server refused for good (5xx: no such mailbox, rejected sender). */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Mail over SMTP_URL from MAIL_FROM, with failures sorted into retry-or-not. */
export function createMailer(config: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (typeof code === 'number' && code >= 500) throw new PermanentMailError(`the mail server refused: ${(err as Error).message}`);
        throw new RetryableMailError(`could not send mail: ${(err as Error).message}`);
      }
    },
    close: () => transport.close(),
  };
}
