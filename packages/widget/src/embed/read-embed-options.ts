import type { ParleyTheme } from '../react/parley-frame';
import type { ParleyStrings } from '../react/strings';
import type { LauncherPosition, MountParleyLauncherOptions } from './mount-parley-launcher';

/** What {@link readEmbedOptions} found: the options to mount with, or why there are none. */
export type EmbedOptionsResult =
  | { ok: true; options: MountParleyLauncherOptions; warnings: string[] }
  | { ok: false; error: string };

const themes: readonly ParleyTheme[] = ['light', 'dark', 'system'];
const positions: readonly LauncherPosition[] = ['left', 'right'];
const directions = ['ltr', 'rtl', 'auto'] as const;

function oneOf<TValue extends string>(
  allowed: readonly TValue[],
  value: string | undefined,
  attribute: string,
  warnings: string[],
): TValue | undefined {
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as TValue;
  warnings.push(`${attribute}="${value}" is not one of ${allowed.join(', ')}; ignored.`);
  return undefined;
}

function json<TValue>(
  value: string | undefined,
  attribute: string,
  isValid: (parsed: unknown) => parsed is TValue,
  expected: string,
  warnings: string[],
): TValue | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (isValid(parsed)) return parsed;
  } catch {
    // Reported below, as a value of the wrong shape is.
  }
  warnings.push(`${attribute} must be ${expected}; ignored.`);
  return undefined;
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isObject = (value: unknown): value is Partial<ParleyStrings> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the launcher's options from the `data-` attributes of the `<script>` tag that loads
 * the embed:
 *
 * - `data-agent-key` (required): the publishable key, `pk_…`;
 * - `data-endpoint` (required): the Parley handler's base URL, e.g. `/api/parley`;
 * - `data-theme`: `light`, `dark` or `system` (default);
 * - `data-position`: `right` (default) or `left`;
 * - `data-dir`: `ltr`, `rtl` or `auto` (default: the page's direction);
 * - `data-title`: the chat's title until the agent's name is known;
 * - `data-strings`: JSON, replacements for any of the widget's strings (translations);
 * - `data-suggested-replies`: JSON, an array of messages offered as buttons;
 * - `data-open`: present (or `true`) to open the panel at once.
 *
 * A missing key or endpoint is an error (nothing is mounted); a malformed optional value is a
 * warning and keeps its default.
 */
export function readEmbedOptions(element: HTMLElement): EmbedOptionsResult {
  const data = element.dataset;
  const agentKey = data.agentKey?.trim();
  const endpoint = data.endpoint?.trim();
  if (!agentKey)
    return { ok: false, error: 'data-agent-key (the publishable key, pk_…) is missing.' };
  if (!endpoint) return { ok: false, error: 'data-endpoint (e.g. /api/parley) is missing.' };

  const warnings: string[] = [];
  const options: MountParleyLauncherOptions = { agentKey, endpoint };
  const theme = oneOf(themes, data.theme, 'data-theme', warnings);
  if (theme) options.theme = theme;
  const position = oneOf(positions, data.position, 'data-position', warnings);
  if (position) options.position = position;
  const dir = oneOf(directions, data.dir, 'data-dir', warnings);
  if (dir) options.dir = dir;
  const strings = json(data.strings, 'data-strings', isObject, 'a JSON object', warnings);
  if (strings || data.title)
    options.strings = { ...strings, ...(data.title ? { chatTitle: data.title } : {}) };
  const suggestedReplies = json(
    data.suggestedReplies,
    'data-suggested-replies',
    isStringList,
    'a JSON array of strings',
    warnings,
  );
  if (suggestedReplies) options.suggestedReplies = suggestedReplies;
  if (data.open !== undefined && data.open !== 'false') options.defaultOpen = true;
  if (element.nonce) options.nonce = element.nonce;
  return { ok: true, options, warnings };
}
