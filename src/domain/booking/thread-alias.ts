/** The expert alias of the booking an `expert_thread` message belongs to (kept in its details). */
export function threadAliasId(thread: { details: string | null }): number | undefined {
  const id = (JSON.parse(thread.details ?? '{}') as { aliasId?: unknown }).aliasId;
  return typeof id === 'number' ? id : undefined;
}
