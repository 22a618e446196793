import { defineAgent } from '../../../definition/define-agent';

/** The one reply of {@link bistro}. */
export const bistroHours = 'We are open from noon to 10 pm, Tuesday to Sunday.';

/** What {@link bistro}'s engine says when nothing fits. */
export const bistroFallbackReply = 'Sorry, I can only help with opening hours.';

/** A one-guideline agent for the kit's own tests: a bistro that tells its opening hours. */
export const bistro = defineAgent({
  name: 'Bistro',
  compositionMode: 'canned_strict',
  guidelines: [
    {
      key: 'opening_hours',
      condition: 'the customer asks when the bistro is open',
      action: 'tell the opening hours',
      examples: ['when are you open?', 'what are your opening hours?'],
    },
  ],
  cannedResponses: [{ template: bistroHours }],
});
