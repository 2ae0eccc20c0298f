/** A small routing file for tests: two categories over three groups, with fast timeouts. */
export function testRouting() {
  return {
    groups: [
      { key: 'exchange-l1', name: 'Exchange first line', channel: 'C0EXCH001', pageTop: 2 },
      { key: 'messaging-l2', name: 'Messaging specialists', channel: 'C0MSGS002', pageTop: 3 },
      { key: 'windows-l1', channel: 'C0WIND003', pageTop: 2 },
    ],
    categories: [
      {
        key: 'ms-exchange',
        name: 'MS Exchange',
        rates: { customer: 40, expert: 30 },
        tiers: [
          { group: 'exchange-l1', timeoutMinutes: 10 },
          { group: 'messaging-l2', timeoutMinutes: 20 },
        ],
      },
      {
        key: 'windows-nt',
        name: 'Windows NT',
        rates: { customer: 35, expert: 25 },
        tiers: [{ group: 'windows-l1', timeoutMinutes: 15 }],
      },
    ],
    defaultCategory: 'windows-nt',
    managersChannel: 'C0MGRS001',
    widget: { allowedOrigins: ['https://shop.example.com'] },
  };
}
