/**
 * Word lists for aliases ("Amber Falcon"): 48 × 48 = 2,304 names, easy to say and tell
 * apart, none of them a person's name. When every one is in use, a code such as C-7Q3K is
 * used instead.
 */
export const ALIAS_ADJECTIVES = [
  'Amber', 'Azure', 'Bold', 'Brave', 'Bright', 'Calm', 'Clever', 'Coral', 'Crimson', 'Dapper',
  'Eager', 'Early', 'Electric', 'Emerald', 'Fancy', 'Gentle', 'Golden', 'Happy', 'Hidden', 'Indigo',
  'Ivory', 'Jade', 'Jolly', 'Keen', 'Kind', 'Lively', 'Lucky', 'Lunar', 'Mellow', 'Misty',
  'Noble', 'Olive', 'Patient', 'Polar', 'Quick', 'Quiet', 'Rapid', 'Rustic', 'Scarlet', 'Silver',
  'Solar', 'Steady', 'Sunny', 'Swift', 'Teal', 'Velvet', 'Witty', 'Zesty',
] as const;

export const ALIAS_NOUNS = [
  'Badger', 'Beacon', 'Bison', 'Canyon', 'Cedar', 'Comet', 'Condor', 'Coyote', 'Crane', 'Delta',
  'Dolphin', 'Falcon', 'Fern', 'Finch', 'Fjord', 'Fox', 'Gazelle', 'Glacier', 'Harbor', 'Hawk',
  'Heron', 'Ibis', 'Jaguar', 'Kestrel', 'Koala', 'Lark', 'Lynx', 'Maple', 'Meadow', 'Merlin',
  'Moose', 'Nebula', 'Orca', 'Otter', 'Owl', 'Panda', 'Pebble', 'Puffin', 'Quartz', 'Raven',
  'Reef', 'Robin', 'Sparrow', 'Summit', 'Tiger', 'Walrus', 'Willow', 'Wren',
] as const;

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I

/** A random word alias. */
export function randomWordAlias(random: () => number = Math.random): string {
  const a = ALIAS_ADJECTIVES[Math.floor(random() * ALIAS_ADJECTIVES.length)]!;
  const n = ALIAS_NOUNS[Math.floor(random() * ALIAS_NOUNS.length)]!;
  return `${a} ${n}`;
}

/** A random code alias: `C-7Q3K` for customers, `E-…` for experts. */
export function randomCodeAlias(prefix: 'C' | 'E', random: () => number = Math.random): string {
  let code = '';
  for (let i = 0; i < 4; i++) code += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)];
  return `${prefix}-${code}`;
}
