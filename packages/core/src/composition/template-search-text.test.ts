import { describe, expect, it } from 'vitest';
import { templateSearchText } from './template-search-text';

const squeezed = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('templateSearchText', () => {
  it('reads each variable field as the words of its path', () => {
    expect(
      squeezed(
        templateSearchText('We are at {{clinic.address}}, parking {{clinic.parkingSpaces}}'),
      ),
    ).toBe('We are at clinic address , parking clinic parking Spaces');
    expect(squeezed(templateSearchText('{{plans.fibre_300.price}} a month'))).toBe(
      'plans fibre 300 price a month',
    );
  });

  it("leaves out the tool's name from a tool field", () => {
    expect(
      squeezed(
        templateSearchText('Ref {{lookup_booking.booking.reference}}', new Set(['lookup_booking'])),
      ),
    ).toBe('Ref booking reference');
  });

  it('leaves a template without fields as it is', () => {
    expect(templateSearchText('See you soon.')).toBe('See you soon.');
  });
});
