import type { Routing } from '../config/routing.ts';

/**
 * Which routing category a Zendesk ticket belongs to: the custom field (if the routing file
 * names one and the ticket has a value in it that names a category), else its tags — a tag
 * equal to a category key, listed in a category's `zendeskTags`, or mapped in
 * `zendesk.tagMap` — else `defaultCategory`. Names are compared without regard to case.
 * Only categories in `active` count. Undefined when nothing matches and there is no default.
 */
export function mapZendeskCategory(
  routing: Routing,
  ticket: { tags: string[]; custom_fields?: { id: number; value: unknown }[] },
  active: ReadonlySet<string>,
): { key: string; by: 'field' | 'tag' | 'default' } | undefined {
  const { tagMap } = routing.zendesk;
  const viaName = (name: string): string | undefined => {
    const lower = name.trim().toLowerCase();
    // Zendesk tags are lower case, so tagMap keys are compared lower-cased (first match wins).
    const mapped = tagMap[lower] ?? tagMap[name] ?? Object.entries(tagMap).find(([from]) => from.trim().toLowerCase() === lower)?.[1];
    if (mapped && active.has(mapped)) return mapped;
    if (active.has(lower)) return lower;
    return routing.categories.find((c) => active.has(c.key) && c.zendeskTags?.some((t) => t.toLowerCase() === lower))?.key;
  };
  if (routing.zendesk.categoryField) {
    const field = ticket.custom_fields?.find((f) => f.id === routing.zendesk.categoryField);
    if (typeof field?.value === 'string' && field.value) {
      const key = viaName(field.value);
      if (key) return { key, by: 'field' };
    }
  }
  // No field configured, or the ticket's field is empty or names no category: its tags.
  for (const tag of ticket.tags) {
    const key = viaName(tag);
    if (key) return { key, by: 'tag' };
  }
  if (routing.defaultCategory && active.has(routing.defaultCategory)) return { key: routing.defaultCategory, by: 'default' };
  return undefined;
}
