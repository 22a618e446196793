import type { Preview } from '@storybook/react-vite';
import { createStoryChat, type StoryChat, type StoryChatScript } from './story-chat';

/**
 * Every story: full-screen layout, axe run after the play function with violations failing the
 * story's test (`a11y.test: 'error'`: contrast, names, roles, in whichever theme the story
 * shows), and a 375-px phone among the viewports. A story with a `chat` parameter gets a real
 * chat client over the scripted transport as `loaded.chat`, disposed when the story unloads.
 */
const preview: Preview = {
  parameters: {
    layout: 'fullscreen',
    a11y: { test: 'error' },
    viewport: {
      options: {
        mobile375: {
          name: 'Phone, 375 px',
          styles: { width: '375px', height: '667px' },
          type: 'mobile',
        },
      },
    },
  },
  loaders: [
    ({ parameters }) => ({
      chat: parameters.chat ? createStoryChat(parameters.chat as StoryChatScript) : null,
    }),
  ],
  beforeEach: ({ loaded }) => {
    const chat = loaded.chat as StoryChat | null;
    return () => chat?.client.dispose();
  },
};

export default preview;
