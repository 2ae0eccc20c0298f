/**
 * An email address as Helpnet stores and matches it: trimmed and in lower case. Sources
 * differ (the widget lower-cases, Zendesk keeps what the person typed) and so do the
 * engines (MariaDB compares ignoring case, SQLite does not): one form on the way in makes
 * one person one customer everywhere. Blank is none.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}
