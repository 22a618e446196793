import { describe, expect, it } from 'vitest';
import { conditionInCustomerWords } from './condition-in-customer-words';

describe('conditionInCustomerWords', () => {
  it('puts a condition about the customer in the first person', () => {
    expect(conditionInCustomerWords('the customer asks when their bill is due')).toBe(
      'I ask when my bill is due',
    );
    expect(conditionInCustomerWords('the customer is moving house')).toBe('I am moving house');
    expect(conditionInCustomerWords('the customer wants to speak to a person')).toBe(
      'I want to speak to a person',
    );
    expect(conditionInCustomerWords('the customer thanks the assistant and they say goodbye')).toBe(
      'I thank you and I say goodbye',
    );
  });

  it('puts any verb in the first person', () => {
    expect(conditionInCustomerWords('the customer wishes to leave')).toBe('I wish to leave');
    expect(conditionInCustomerWords('the customer tries again')).toBe('I try again');
    expect(conditionInCustomerWords('the customer has a toothache')).toBe('I have a toothache');
  });

  it('leaves a condition written otherwise as it is', () => {
    expect(conditionInCustomerWords('a slot is free that day')).toBe('a slot is free that day');
  });
});
