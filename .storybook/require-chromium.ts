import { requireChromium } from './chromium';

/**
 * Global setup of the `storybook` vitest project: stops the run with a way to install a browser
 * when none is there, instead of skipping the story tests or failing with Playwright's words.
 */
export default function setup(): void {
  requireChromium();
}
