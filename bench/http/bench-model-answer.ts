/**
 * The one answer the fake OpenAI server gives to every call of the HTTP bench. The fake
 * answers requests in the order they arrive, whatever they ask for, and with a thousand turns
 * at once the judgement calls (structured output) and the reply calls (streamed text)
 * interleave unpredictably; so one text must serve both. It is a valid guideline judgement
 * (nothing applies; the extra `reply` field is dropped by the schema), and as a reply it
 * streams in 19 word-sized deltas, about the length of a short answer.
 */
export const benchModelAnswer =
  '{"guidelines": [], "journey": {"id": null, "nextState": null}, "cannedResponse": null, ' +
  '"reply": "Thanks for asking, your order left our warehouse today."}';
