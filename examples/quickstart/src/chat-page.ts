/** What the chat page needs from the server. */
export interface ChatPageOptions {
  /** The sample agent's publishable key (`pk_…`): public by design, like a Stripe publishable key. */
  agentKey: string;
  /** Where the Parley handler is mounted, e.g. `/api/parley`. */
  apiBase: string;
  /** Where the widget's `<script>` embed is served, e.g. `/parley-widget.js`. */
  widgetScript: string;
  /** A fresh random value per response, allowing the page's own script and style under its CSP. */
  nonce: string;
}

/** Messages to try, offered by the widget as buttons until the first message. */
const suggestions = [
  'Hello!',
  'Where is order PO-1002?',
  'Is the Trailblazer jacket in stock?',
  'I want to return an item',
  'What are your opening hours?',
];

/**
 * The Content-Security-Policy of the page: scripts and styles only with the response's nonce
 * (the widget's script tag carries it; the widget's own CSS is a constructed stylesheet in its
 * shadow root, which the policy does not restrict), requests to itself only, nothing else.
 */
export function chatPageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Text safe in HTML content and in a double-quoted attribute. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const style = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  main { max-width: 42rem; margin: 0 auto; padding: 2rem 1rem 6rem; }
  h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
  h2 { margin: 1.5rem 0 .25rem; font-size: 1.1rem; }
  .lead { margin: 0; opacity: .8; }
  li { margin: .2rem 0; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; padding: .75rem; border-radius: .5rem; background: color-mix(in srgb, CanvasText 8%, Canvas); font-size: .85rem; }
`;

/**
 * The quickstart's page: what to try, and the real chat widget, loaded by the one `<script>`
 * tag a site adds (`@parley/widget`'s embed, in a Shadow DOM at the bottom corner), with the
 * sample agent's key injected here.
 */
export function renderChatPage(options: ChatPageOptions): string {
  const attributes = [
    `src="${escapeHtml(options.widgetScript)}"`,
    `data-agent-key="${escapeHtml(options.agentKey)}"`,
    `data-endpoint="${escapeHtml(options.apiBase)}"`,
  ];
  const tag = `<script ${attributes.join(' ')} defer></script>`;
  const tries = suggestions.map((text) => `<li>${escapeHtml(text)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley Outfitters support (Parley quickstart)</title>
<style nonce="${escapeHtml(options.nonce)}">${style}</style>
<script ${attributes.join(' ')} data-suggested-replies="${escapeHtml(JSON.stringify(suggestions))}" nonce="${escapeHtml(options.nonce)}" defer></script>
</head>
<body>
<main>
  <h1>Parley Outfitters</h1>
  <p class="lead">A sample support agent, served by the Parley quickstart.</p>
  <h2>Try it</h2>
  <p>Open the chat with the bubble at the bottom corner of the page and ask, for example:</p>
  <ul>${tries}</ul>
  <p>"I want to return an item" starts a journey: choose a refund or an exchange, give the order
  number (PO-1001), and a tool registers the return. Replies stream in; reload the page in the
  middle of one and the conversation carries on where it was.</p>
  <h2>On your own page</h2>
  <p>The chat is this one script tag; it makes no request but to the Parley server. On a page of
  another origin, use absolute URLs and add that origin to <code>PARLEY_ALLOWED_ORIGINS</code>.</p>
  <pre><code>${escapeHtml(tag)}</code></pre>
</main>
</body>
</html>
`;
}
