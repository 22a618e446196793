/** A long markdown reply, and the text a reader sees once it is rendered. */
export interface LongMarkdownReply {
  /** As the model writes it. */
  markdown: string;
  /** As rendered: the markdown's words without its syntax. */
  rendered: string;
}

const vocabulary = [
  'parcel',
  'warehouse',
  'carrier',
  'refund',
  'label',
  'return',
  'address',
  'order',
  'invoice',
  'delivery',
  'tracking',
  'customer',
];

/**
 * A reply of exactly `characters` characters the way an agent writes a long answer: headings,
 * paragraphs with bold words, lists and code blocks, then plain words to the length asked.
 */
export function longMarkdownReply(characters: number): LongMarkdownReply {
  const markdown: string[] = [];
  const rendered: string[] = [];
  let section = 0;
  const word = (index: number) => `${vocabulary[(index + section) % vocabulary.length]}${section}`;
  const length = () => markdown.join('\n\n').length;
  const add = (block: string, text: string) => {
    markdown.push(block);
    rendered.push(text);
  };
  while (length() < characters - 600) {
    section += 1;
    add(`### Step ${section}`, `Step ${section}`);
    const sentence = Array.from({ length: 30 }, (_, index) => word(index));
    add(
      sentence.map((text, index) => (index % 7 === 0 ? `**${text}**` : text)).join(' '),
      sentence.join(' '),
    );
    const items = [1, 2, 3].map((item) => `${word(item)} ${word(item + 4)}`);
    add(items.map((item) => `- ${item}`).join('\n'), items.join(' '));
    if (section % 3 === 0) add(`\`\`\`\nship ${word(2)}\n\`\`\``, `ship ${word(2)}`);
  }
  // Plain words up to the exact length (the last one cut to fit).
  const room = characters - length() - 2;
  let tail = '';
  for (let index = 0; tail.length < room; index += 1) tail += `${word(index)} `;
  tail = tail.slice(0, room).trim();
  add(tail, tail);
  const text = markdown.join('\n\n');
  return {
    markdown: text.padEnd(characters, '.'),
    rendered: `${rendered.join(' ')}${'.'.repeat(characters - text.length)}`,
  };
}
