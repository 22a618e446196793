/**
 * The widget's colours, one palette per theme. Each becomes a `--parley-…` CSS custom property
 * (`agentBubble` → `--parley-agent-bubble`), which a site may override on `.parley-root`.
 * Every text colour is paired with the background it is drawn on in {@link contrastPairs};
 * a test holds each pair to WCAG AA in both themes.
 */
export interface ParleyPalette {
  /** The chat's background and the text on it. */
  background: string;
  text: string;
  /** Secondary text (status line, timestamps) on the background. */
  mutedText: string;
  /** Header and composer bar. */
  surface: string;
  /** Boundaries of inputs and cards (3:1 against the background, WCAG 1.4.11). */
  border: string;
  /** Primary buttons (send, the launcher's bubble) and their label. */
  accent: string;
  onAccent: string;
  /** The customer's own messages. */
  customerBubble: string;
  onCustomerBubble: string;
  /** The agent's messages, and links inside them and in the sources under them. */
  agentBubble: string;
  onAgentBubble: string;
  link: string;
  /** Code blocks inside agent messages. */
  codeBackground: string;
  onCode: string;
  /** The error notice. */
  errorBackground: string;
  onError: string;
  /** The unread badge. */
  badge: string;
  onBadge: string;
  /** The focus ring (3:1 against the background and the surface). */
  focus: string;
  /**
   * The launcher bubble's focus ring, drawn on the host page, whose colour the widget does not
   * know: two tones, an inner ring and an outer one, far enough apart that on any page one of
   * them stands out at 3:1 or more (a light page sees the dark one, a dark page the light one).
   */
  launcherFocusInner: string;
  launcherFocusOuter: string;
}

/** The light and dark palettes; `system` picks one through `prefers-color-scheme`. */
export const parleyPalettes: { light: ParleyPalette; dark: ParleyPalette } = {
  light: {
    background: '#ffffff',
    text: '#1b1f24',
    mutedText: '#57606a',
    surface: '#f4f6f8',
    border: '#7d8590',
    accent: '#0b5cad',
    onAccent: '#ffffff',
    customerBubble: '#0b5cad',
    onCustomerBubble: '#ffffff',
    agentBubble: '#eef1f4',
    onAgentBubble: '#1b1f24',
    link: '#0a4f96',
    codeBackground: '#dfe4ea',
    onCode: '#1b1f24',
    errorBackground: '#fdecea',
    onError: '#8a1c13',
    badge: '#c4281c',
    onBadge: '#ffffff',
    focus: '#0b5cad',
    launcherFocusInner: '#ffffff',
    launcherFocusOuter: '#08325e',
  },
  dark: {
    background: '#14171a',
    text: '#e8eaed',
    mutedText: '#a3acb6',
    surface: '#1d2126',
    border: '#7d8793',
    accent: '#6cb0f5',
    onAccent: '#0b1520',
    customerBubble: '#1d4f85',
    onCustomerBubble: '#ffffff',
    agentBubble: '#262b31',
    onAgentBubble: '#e8eaed',
    link: '#8cc4ff',
    codeBackground: '#0d0f12',
    onCode: '#e8eaed',
    errorBackground: '#3b1614',
    onError: '#ffb4ab',
    badge: '#ff8a80',
    onBadge: '#1f0604',
    focus: '#8cc4ff',
    launcherFocusInner: '#ffffff',
    launcherFocusOuter: '#08325e',
  },
};

/** A foreground drawn on a background, and the contrast it needs (4.5 text, 3 UI parts). */
export interface ContrastPair {
  foreground: keyof ParleyPalette;
  background: keyof ParleyPalette;
  minimum: number;
}

/** Every colour pair the styles draw, with the WCAG AA ratio it must reach. */
export const contrastPairs: ContrastPair[] = [
  { foreground: 'text', background: 'background', minimum: 4.5 },
  { foreground: 'text', background: 'surface', minimum: 4.5 },
  { foreground: 'mutedText', background: 'background', minimum: 4.5 },
  { foreground: 'mutedText', background: 'surface', minimum: 4.5 },
  { foreground: 'onAccent', background: 'accent', minimum: 4.5 },
  { foreground: 'onCustomerBubble', background: 'customerBubble', minimum: 4.5 },
  { foreground: 'onAgentBubble', background: 'agentBubble', minimum: 4.5 },
  { foreground: 'link', background: 'agentBubble', minimum: 4.5 },
  // A reply's sources are drawn under its bubble, on the conversation's background.
  { foreground: 'link', background: 'background', minimum: 4.5 },
  { foreground: 'onCode', background: 'codeBackground', minimum: 4.5 },
  { foreground: 'onError', background: 'errorBackground', minimum: 4.5 },
  { foreground: 'onBadge', background: 'badge', minimum: 4.5 },
  { foreground: 'border', background: 'background', minimum: 3 },
  { foreground: 'border', background: 'surface', minimum: 3 },
  { foreground: 'accent', background: 'background', minimum: 3 },
  { foreground: 'focus', background: 'background', minimum: 3 },
  { foreground: 'focus', background: 'surface', minimum: 3 },
  { foreground: 'launcherFocusInner', background: 'launcherFocusOuter', minimum: 3 },
];

/** `agentBubble` → `--parley-agent-bubble`. */
export function paletteVariable(name: keyof ParleyPalette): string {
  return `--parley-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
