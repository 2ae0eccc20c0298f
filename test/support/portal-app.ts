import { afterAll, beforeAll } from 'vitest';
import { FakeSmtp } from './fake-smtp.ts';
import { startTestApp, type TestApp } from './start-test-app.ts';

/**
 * The server the portal's tests run against, with mail to a fake SMTP server (confirmation,
 * reset and message emails are read from it): started before the file's tests, stopped after.
 */
export function usePortalApp(): { readonly app: TestApp; readonly smtp: FakeSmtp } {
  let app: TestApp | undefined;
  let smtp: FakeSmtp | undefined;
  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    app = await startTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'help@helpnet.test', PUBLIC_URL: 'http://helpnet.test' } });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the portal test server is not started yet (use it inside a test or hook)');
    return value;
  };
  return {
    get app() {
      return started(app);
    },
    get smtp() {
      return started(smtp);
    },
  };
}
