import type { StorybookConfig } from '@storybook/react-vite';
import react from '@vitejs/plugin-react';

/**
 * Storybook for `@parley/widget`: one story per state of the chat, each driven by the real chat
 * client over the scripted in-browser transport. `pnpm storybook` serves it, `pnpm
 * build-storybook` writes it to storybook-static/, and the `storybook` project of the root
 * vitest config runs every story as a test in Chromium (`@storybook/addon-vitest`).
 */
const config: StorybookConfig = {
  stories: ['../packages/widget/src/**/*.stories.tsx'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: {
    // The machines reach no network but the package registries; nothing is sent anywhere.
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
    enableCrashReports: false,
  },
  // The stories document states, not props tables: no docgen pass over the sources.
  typescript: { reactDocgen: false },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(viteConfig, { plugins: [react()] });
  },
};

export default config;
