import { fieldPattern } from './render-template';

/**
 * A canned response's text as retrieval reads it: each `{{field}}` becomes the words of its
 * path (`{{clinic.parking}}` → "clinic parking", `{{plans.fibre_300.price}}` → "plans fibre
 * 300 price"). The fields say what a reply tells where its fixed words may say little. A
 * tool's name is left out (`{{lookup_booking.booking.reference}}` → "booking reference"):
 * it names an action, not what the reply says, and would pull the reply towards every
 * message that names the action.
 */
export function templateSearchText(
  template: string,
  toolNames: ReadonlySet<string> = new Set(),
): string {
  return template.replace(fieldPattern, (_placeholder, path: string) => {
    const segments = path.split('.');
    const shown = toolNames.has(segments[0] as string) ? segments.slice(1) : segments;
    return ` ${shown
      .join(' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replaceAll('_', ' ')} `;
  });
}
