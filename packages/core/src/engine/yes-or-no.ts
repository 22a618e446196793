/**
 * Whether a short message says yes or no, in English: "yep that works", "lovely, yes
 * please", "go ahead and book it" say yes; "nah, I'll stay on what I have", "actually no,
 * I'll keep it" say no. A refusal word wins over an agreeing one ("ok, no thanks"). `null`
 * when the message says neither, or is too long to be a plain answer.
 */
export function yesOrNo(message: string): 'yes' | 'no' | null {
  const text = message.toLowerCase().replace(/[’']/g, "'");
  if (text.split(/\s+/).filter(Boolean).length > 12) return null;
  if (refusal.test(text)) return 'no';
  return agreement.test(text) ? 'yes' : null;
}

/**
 * Whether a transition's condition is the customer agreeing ("the customer accepts the
 * slot: yes, book it") or declining ("does not want to book after all", "keeps their
 * plan", "gives up or will send it another time"); `null` for anything else ("names another
 * day").
 */
export function conditionExpects(condition: string): 'yes' | 'no' | null {
  const text = condition.toLowerCase();
  if (declining.test(text)) return 'no';
  return agreeing.test(text) ? 'yes' : null;
}

const agreement =
  /\b(yes|yep|yeah|yup|yea|sure|ok|okay|alright|go ahead|sounds good|that works|works for me|perfect|great|lovely|brilliant|do it|book it|book me|correct|absolutely|definitely|fine|please do|confirm|confirmed|go on|go for it|book that|do that|deal|why not|let's do it)\b/;
const refusal =
  /\b(no|nope|nah|not|don't|do not|never mind|leave it|keep it|i'll keep|i will keep|i'll stay|stay on|rather not|changed my mind|forget it)\b/;
const declining =
  /\b(does not want|doesn't want|do not want|declines|refuses|keeps?|changes (their|his|her) mind|after all|says no|gives? up|decides? not|another time|not now|no longer wants?)\b/;
const agreeing = /\b(accepts|agrees|confirms|says yes|yes)\b/;
