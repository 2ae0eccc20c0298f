import { describe, expect, it } from 'vitest';
import { parseRouting } from '../../src/config/routing.ts';
import { mapZendeskCategory } from '../../src/zendesk/map-category.ts';
import { testRouting } from '../support/test-routing.ts';

const FIELD = 360001234567;
const routing = parseRouting(
  JSON.stringify({
    ...testRouting(),
    categories: testRouting().categories.map((c) => (c.key === 'windows-nt' ? { ...c, zendeskTags: ['Win-Server'] } : c)),
    zendesk: { categoryField: FIELD, tagMap: { 'Mail-Box': 'ms-exchange', nt4: 'windows-nt' } },
  }),
  'routing.yml',
);
const active = new Set(['ms-exchange', 'windows-nt']);

describe('Zendesk category mapping', () => {
  it('matches zendesk.tagMap keys written in mixed case (Zendesk tags are lower case)', () => {
    expect(mapZendeskCategory(routing, { tags: ['vip', 'mail-box'] }, active)).toEqual({ key: 'ms-exchange', by: 'tag' });
    expect(mapZendeskCategory(routing, { tags: ['win-server'] }, active)).toEqual({ key: 'windows-nt', by: 'tag' });
  });

  it('takes the field first, and falls back to the tags when the field is empty or names no category', () => {
    const tags = ['nt4'];
    expect(mapZendeskCategory(routing, { tags, custom_fields: [{ id: FIELD, value: 'MS-Exchange' }] }, active)).toEqual({ key: 'ms-exchange', by: 'field' });
    expect(mapZendeskCategory(routing, { tags, custom_fields: [{ id: FIELD, value: 'Mail-Box' }] }, active)).toEqual({ key: 'ms-exchange', by: 'field' });
    expect(mapZendeskCategory(routing, { tags, custom_fields: [{ id: FIELD, value: '' }] }, active)).toEqual({ key: 'windows-nt', by: 'tag' });
    expect(mapZendeskCategory(routing, { tags, custom_fields: [{ id: FIELD, value: 'printers' }] }, active)).toEqual({ key: 'windows-nt', by: 'tag' });
    expect(mapZendeskCategory(routing, { tags, custom_fields: [] }, active)).toEqual({ key: 'windows-nt', by: 'tag' });
    expect(mapZendeskCategory(routing, { tags: ['printers'], custom_fields: [{ id: FIELD, value: 'printers' }] }, active)).toEqual({ key: 'windows-nt', by: 'default' });
  });
});
