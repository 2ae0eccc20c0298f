import { describe, expect, it } from 'vitest';
import { buildDeliveryAlert, buildEscalationAlert, buildUnroutableAlert } from '../../src/slack/blocks/alert-messages.ts';

describe('alert messages', () => {
  it('link the channel, or the person for a page, and escape what came from outside', () => {
    expect(JSON.stringify(buildDeliveryAlert({ channel: 'C0EXCH001', what: 'a ticket message', error: 'channel_not_found' }).blocks)).toContain('<#C0EXCH001>');
    expect(JSON.stringify(buildDeliveryAlert({ channel: 'U0EXPERT1', what: 'a page', error: 'user_not_found' }).blocks)).toContain('<@U0EXPERT1>');
    const unroutable = JSON.stringify(buildUnroutableAlert({ source: 'Zendesk', reference: 'ticket #7', reason: 'tags <!channel> & co' }).blocks);
    expect(unroutable).toContain('&lt;!channel&gt; &amp; co');
    expect(JSON.stringify(buildEscalationAlert({ publicId: 'HN-7', categoryName: 'A & <B>', tierCount: 2, channels: ['C1', 'C2'] }).blocks)).toContain('A &amp; &lt;B&gt;');
  });
});
