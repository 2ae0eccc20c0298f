/** Tickets are shown to people as `HN-<id>`. */
export function ticketPublicId(id: number): string {
  return `HN-${id}`;
}

/** `HN-12` (any case, or a bare `12`) → 12; anything else → undefined. */
export function parseTicketPublicId(text: string): number | undefined {
  const m = /^(?:hn-)?(\d{1,12})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}
