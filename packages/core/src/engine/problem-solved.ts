/**
 * Whether a customer's message says that what they tried solved their problem ("that fixed
 * it", "all working now") or did not ("restarted it, no difference at all", "still slow even
 * after rebooting"), in English; `null` when it says neither. Troubleshooting steps ask it
 * ("restart the router: is it fast again?"), and their ways on are told apart by it, where
 * the words the two share ("restart") would not tell them.
 */
export function problemSolved(message: string): 'solved' | 'unsolved' | null {
  const text = message.toLowerCase().replace(/[’']/g, "'");
  if (unsolvedInMessage.test(text)) return 'unsolved';
  return solvedInMessage.test(text) ? 'solved' : null;
}

/**
 * Whether a transition's condition is the problem solved ("the restart fixed it and it is
 * fast again") or not ("the customer says it is still slow after restarting"); `null` for
 * anything else.
 */
export function conditionSolved(condition: string): 'solved' | 'unsolved' | null {
  const text = condition.toLowerCase().replace(/[’']/g, "'");
  if (unsolvedInCondition.test(text)) return 'unsolved';
  return solvedInCondition.test(text) ? 'solved' : null;
}

// "Not" words come first: "not fixed", "didn't work" are unsolved, whatever follows.
const unsolvedInMessage =
  /\b(still|even after|no difference|no change|no better|no luck|same (problem|thing|again|as before)|nothing (changed|happened|helped)|(did ?n[o']?t|does ?n[o']?t|has ?n[o']?t|have ?n[o']?t|not|never) (help|work|fix|solve|change|make)\w*|not (working|fixed|sorted|better)|keeps? (happening|dropping|failing|crashing)|worse)\b/;
const solvedInMessage =
  /\b(fixed|(it|that|this) worked|sorted|solved|resolved|(works?|working) (now|again|fine)|back (to normal|on|up)|all good|that did it|that helped|it helped|fast again|good as new|problem gone)\b/;
const unsolvedInCondition =
  /\b(still|did not (help|work|fix|solve)|does not (help|work)|not (fixed|solved|resolved|working)|persists|no better|unresolved)\b/;
const solvedInCondition =
  /\b(fixed|worked|solved|resolved|sorted|works? again|is working|fast again|back to normal)\b/;
