import type { Routing } from '../config/routing.ts';

/**
 * Which routing category a Zendesk ticket belongs to: the custom field (if the routing file
 * names one), then its tags — a tag equal to a category key, listed in a category's
 * `zendeskTags`, or mapped in `zendesk.tagMap` — then `defaultCategory`. Only categories in
 * `active` count. Undefined when nothing matches and there is no default.
 */
export function mapZendeskCategory(
  routing: Routing,
  ticket: { tags: string[]; custom_fields?: { id: number; value: unknown }[] },
  active: ReadonlySet<string>,
): { key: string; by: 'field' | 'tag' | 'default' } | undefined {
  const viaName = (name: string): string | undefined => {
    const lower = name.trim().toLowerCase();
    const mapped = routing.zendesk.tagMap[lower] ?? routing.zendesk.tagMap[name];
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
  for (const tag of ticket.tags) {
    const key = viaName(tag);
    if (key) return { key, by: 'tag' };
  }
  if (routing.defaultCategory && active.has(routing.defaultCategory)) return { key: routing.defaultCategory, by: 'default' };
  return undefined;
}
