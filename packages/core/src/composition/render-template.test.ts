import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template';

describe('renderTemplate', () => {
  it('fills fields, nested paths and repeated fields', () => {
    const rendered = renderTemplate(
      'Hi {{ name }}! Order {{order.number}} is {{order.status}}. Bye {{name}}.',
      {
        name: 'Ada',
        order: { number: 42, status: 'shipped' },
      },
    );
    expect(rendered).toEqual({ text: 'Hi Ada! Order 42 is shipped. Bye Ada.', missingFields: [] });
  });

  it('lists missing and null fields and leaves their placeholders', () => {
    const rendered = renderTemplate('Your plan is {{plan}}, renewing {{renewal.date}}.', {
      plan: null,
      renewal: {},
    });
    expect(rendered.missingFields).toEqual(['plan', 'renewal.date']);
    expect(rendered.text).toBe('Your plan is {{plan}}, renewing {{renewal.date}}.');
  });

  it('writes structured values as JSON and never reads inherited properties', () => {
    expect(renderTemplate('{{tags}}', { tags: ['a', 'b'] }).text).toBe('["a","b"]');
    expect(renderTemplate('{{constructor}}', {}).missingFields).toEqual(['constructor']);
  });
});
