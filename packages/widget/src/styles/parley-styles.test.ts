import { describe, expect, it } from 'vitest';
import { parleyStyles } from './parley-styles';
import { contrastPairs, paletteVariable, parleyPalettes } from './parley-theme';

/** The selectors of every rule, media queries opened up. */
function selectorsOf(css: string): string[] {
  const selectors: string[] = [];
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of withoutComments.matchAll(/([^{}]+)\{/g)) {
    const prelude = match[1]!.trim();
    if (prelude.startsWith('@')) continue;
    selectors.push(...splitTopLevel(prelude));
  }
  return selectors;
}

/** `a, b:not(c, d)` → `a`, `b:not(c, d)`: commas inside parentheses do not separate. */
function splitTopLevel(selectorList: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of selectorList) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current.trim());
  return parts;
}

function relativeLuminance(hex: string): number {
  const [red, green, blue] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort(
    (a, b) => b - a,
  ) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

describe('parleyStyles', () => {
  it('scopes every selector under a .parley- class, so no rule reaches the host page', () => {
    const selectors = selectorsOf(parleyStyles);
    expect(selectors.length).toBeGreaterThan(40);
    for (const selector of selectors) expect(selector).toMatch(/^\.parley-[a-z-]+/);
  });

  it('lays out with logical properties, so dir="rtl" mirrors the widget', () => {
    // Code stays left-to-right inside a right-to-left chat: the only physical alignment.
    const physical = parleyStyles
      .replace('direction:ltr;unicode-bidi:isolate;text-align:left', '')
      .match(
        /(^|[;{])\s*(margin|padding|border)-(left|right)\b|(^|[;{])\s*(left|right)\s*:|text-align:(left|right)|float:/g,
      );
    expect(physical).toBeNull();
    expect(parleyStyles).toContain('inset-inline-end');
  });

  it('defines every palette colour as a --parley- property, dark through the theme attribute and the system preference', () => {
    for (const [name, value] of Object.entries(parleyPalettes.light)) {
      expect(parleyStyles).toContain(`${paletteVariable(name as never)}:${value};`);
    }
    expect(parleyStyles).toContain('.parley-root[data-parley-theme="dark"]{');
    expect(parleyStyles).toMatch(
      /@media \(prefers-color-scheme:dark\)\{\.parley-root\[data-parley-theme="system"\]\{[^}]*--parley-background:#14171a/,
    );
    expect(parleyStyles).toContain('--parley-radius:');
    expect(parleyStyles).toContain('--parley-font:');
  });

  it('keeps the composer at 16px or more so iOS does not zoom, and fills the screen at 480px and less', () => {
    expect(parleyStyles).toMatch(/\.parley-input\{[^}]*font-size:16px/);
    expect(parleyStyles).toMatch(
      /@media \(max-width:480px\)\{[^@]*\.parley-launcher-open \.parley-panel\{width:100%;height:100%/,
    );
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes WCAG AA contrast for every colour pair in the ${theme} theme`, () => {
      const palette = parleyPalettes[theme];
      const failing = contrastPairs
        .map((pair) => ({
          ...pair,
          ratio: contrastRatio(palette[pair.foreground], palette[pair.background]),
        }))
        .filter((pair) => pair.ratio < pair.minimum);
      expect(failing).toEqual([]);
    });
  }

  it("draws the bubble's focus ring in two tones on top of the widget-wide ring", () => {
    const generic = parleyStyles.indexOf('.parley-root :focus-visible{');
    const bubble = parleyStyles.indexOf('.parley-bubble-button:focus-visible{');
    expect(generic).toBeGreaterThan(-1);
    // Later in the sheet at the same specificity: the bubble's rule wins.
    expect(bubble).toBeGreaterThan(generic);
    const rule = /\.parley-bubble-button:focus-visible\{([^}]*)\}/.exec(parleyStyles)?.[1] ?? '';
    expect(rule).toContain('outline-color:var(--parley-launcher-focus-outer)');
    expect(rule).toMatch(/box-shadow:0 0 0 2px var\(--parley-launcher-focus-inner\)/);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`keeps the bubble's focus ring at 3:1 or more on any page background in the ${theme} theme`, () => {
      const { launcherFocusInner, launcherFocusOuter } = parleyPalettes[theme];
      const hex = (value: number) => value.toString(16).padStart(2, '0');
      // Every grey from black to white, and pages of some colour: the dark footer the old
      // one-tone ring showed at 1.9:1 on, the widget's own blues, saturated colours.
      const pages = [
        ...Array.from({ length: 256 }, (_, value) => `#${hex(value).repeat(3)}`),
        '#1b1f24',
        '#0b5cad',
        '#6cb0f5',
        '#c4281c',
        '#2e7d32',
        '#ffd600',
        '#7b1fa2',
      ];
      const weakest = pages
        .map((page) => ({
          page,
          ratio: Math.max(
            contrastRatio(launcherFocusInner, page),
            contrastRatio(launcherFocusOuter, page),
          ),
        }))
        .sort((a, b) => a.ratio - b.ratio)[0]!;
      expect(weakest.ratio, weakest.page).toBeGreaterThanOrEqual(3);
      // The one-tone ring it replaces fails on a dark footer.
      expect(contrastRatio(parleyPalettes.light.focus, '#1b1f24')).toBeLessThan(3);
    });
  }

  it('holds the contrast check to account: a pale grey on white fails it', () => {
    expect(contrastRatio('#aaaaaa', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });
});
