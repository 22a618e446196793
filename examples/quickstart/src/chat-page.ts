/** What the chat page needs from the server. */
export interface ChatPageOptions {
  /** The sample agent's publishable key (`pk_…`): public by design, like a Stripe publishable key. */
  agentKey: string;
  /** Where the Parley handler is mounted, e.g. `/api/parley`. */
  apiBase: string;
  /** A fresh random value per response, allowing the page's own script and style under its CSP. */
  nonce: string;
}

/** Messages a newcomer can send with one click. */
const suggestions = [
  'Hello!',
  'Where is order PO-1002?',
  'Is the Trailblazer jacket in stock?',
  'I want to return an item',
  'What are your opening hours?',
];

/** The Content-Security-Policy of the page: its own script and style only, requests to itself only. */
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

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

// The browser side, plain ES2020 with no template literals (it sits inside one). It speaks the
// routes directly: create a widget session, read the SSE stream with fetch (the customer token
// travels in Authorization), resume with Last-Event-ID after a drop, post messages, cancel.
const clientScript = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('parley-config').textContent);
  var api = config.apiBase + '/v1';
  var storageKey = 'parley-quickstart:' + config.agentKey.slice(0, 11);
  var $ = function (id) { return document.getElementById(id); };
  var log = $('log'), draft = $('draft'), statusLine = $('status'), input = $('message');
  var stopButton = $('stop');
  var session = null, lastOffset = -1, draftId = null, retryDelay = 1000, stream = null;
  var statusText = { acknowledged: 'Received', processing: 'Working on it...', typing: 'Typing...', ready: '', cancelled: 'Stopped.' };

  function setStatus(text) { statusLine.textContent = text; }
  function authHeaders(extra) {
    return Object.assign({ authorization: 'Bearer ' + session.customerToken }, extra || {});
  }
  function newId() {
    return crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function addBubble(kind, author, text) {
    var item = document.createElement('li');
    item.className = 'bubble ' + kind;
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = author;
    var body = document.createElement('p');
    body.textContent = text;
    item.append(who, body);
    log.append(item);
    item.scrollIntoView({ block: 'end' });
  }
  function showDraft(text) {
    draft.hidden = text === null;
    draft.textContent = text || '';
    if (text) draft.scrollIntoView({ block: 'end' });
  }

  function onEvent(event) {
    if (event.offset <= lastOffset) return;
    lastOffset = event.offset;
    if (event.kind === 'message') {
      if (event.id === draftId) { draftId = null; showDraft(null); }
      if (event.source === 'customer') addBubble('customer', 'You', event.data.text);
      else if (event.source === 'human_agent') addBubble('agent', event.data.participantName || 'Support team', event.data.text);
      else addBubble('agent', 'Parley Outfitters', event.data.text);
    } else if (event.kind === 'tool') {
      addBubble('tool', 'Tool', 'Looked up: ' + event.data.calls.map(function (call) { return call.toolName; }).join(', '));
    } else if (event.kind === 'status') {
      var status = event.data.status;
      stopButton.disabled = !(status === 'acknowledged' || status === 'processing' || status === 'typing');
      if (status === 'error') {
        setStatus('Something went wrong (' + event.data.error.code + ')' + (event.data.error.retryable ? '; please try again.' : '.'));
      } else setStatus(statusText[status] || '');
      if (status === 'cancelled' || status === 'error') { draftId = null; showDraft(null); }
    }
  }
  function onDelta(delta, isSnapshot) {
    if (delta.messageId !== draftId || isSnapshot) { draftId = delta.messageId; draft.textContent = ''; }
    showDraft(draft.textContent + delta.text);
  }
  function onFrame(block) {
    var name = 'message', data = '';
    block.split(/\r?\n/).forEach(function (line) {
      if (!line || line[0] === ':') return;
      var colon = line.indexOf(':');
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data += (data ? '\n' : '') + value;
      else if (field === 'retry' && Number(value) > 0) retryDelay = Number(value);
    });
    if (!data) return;
    var payload = JSON.parse(data);
    if (name === 'event') onEvent(payload);
    else if (name === 'delta') onDelta(payload, false);
    else if (name === 'snapshot') onDelta(payload, true);
  }

  function openStream() {
    var controller = new AbortController();
    stream = controller;
    // Resume after the last event shown: the server replays everything after it.
    var headers = authHeaders({ accept: 'text/event-stream', 'last-event-id': String(lastOffset) });
    fetch(api + '/sessions/' + session.sessionId + '/stream', { headers: headers, signal: controller.signal })
      .then(function (response) {
        if (response.status === 401 || response.status === 404) { forget(); return start(); }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        retryDelay = 1000;
        if (statusLine.textContent === 'Reconnecting...') setStatus('');
        var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        var buffer = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) throw new Error('stream ended');
            buffer += chunk.value;
            var frames = buffer.split(/\r?\n\r?\n/);
            buffer = frames.pop();
            frames.forEach(onFrame);
            return pump();
          });
        }
        return pump();
      })
      .catch(function () {
        if (controller.signal.aborted) return;
        setStatus('Reconnecting...');
        setTimeout(openStream, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      });
  }

  function forget() { localStorage.removeItem(storageKey); session = null; }
  function start() {
    try { session = JSON.parse(localStorage.getItem(storageKey) || 'null'); } catch (error) { session = null; }
    if (session && Date.parse(session.expiresAt) - Date.now() > 60000) return openStream();
    setStatus('Starting a conversation...');
    return fetch(api + '/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentKey: config.agentKey }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + response.status);
        session = { sessionId: body.session.id, customerToken: body.customerToken, expiresAt: body.expiresAt };
        localStorage.setItem(storageKey, JSON.stringify(session));
        lastOffset = -1;
        setStatus('');
        openStream();
      });
    }).catch(function (error) { setStatus('Could not start the conversation: ' + error.message); });
  }

  function send(text) {
    if (!session || !text) return;
    fetch(api + '/sessions/' + session.sessionId + '/events', {
      method: 'POST',
      headers: authHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ text: text, clientMessageId: newId() }),
    }).then(function (response) {
      if (response.ok) return;
      return response.json().then(function (body) { throw new Error(body.error ? body.error.message : 'HTTP ' + response.status); });
    }).catch(function (error) { setStatus('Could not send: ' + error.message); input.value = text; });
  }

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    input.value = '';
    send(text);
  });
  stopButton.addEventListener('click', function () {
    if (session) fetch(api + '/sessions/' + session.sessionId + '/cancel', { method: 'POST', headers: authHeaders() });
  });
  $('restart').addEventListener('click', function () {
    if (stream) stream.abort();
    forget();
    log.replaceChildren();
    showDraft(null);
    start();
  });
  document.querySelectorAll('.suggestion').forEach(function (button) {
    button.addEventListener('click', function () { send(button.textContent); input.focus(); });
  });
  start();
})();
`;

const style = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  main { max-width: 42rem; margin: 0 auto; padding: 1rem; display: flex; flex-direction: column; gap: .75rem; min-height: 100vh; box-sizing: border-box; }
  h1 { margin: 0; font-size: 1.4rem; } header p { margin: .25rem 0 0; opacity: .75; }
  #log { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .5rem; flex: 1; }
  .bubble { padding: .5rem .75rem; border-radius: .75rem; max-width: 85%; white-space: pre-wrap; }
  .bubble p { margin: 0; } .who { display: block; font-size: .75rem; font-weight: 600; opacity: .7; }
  .customer { align-self: flex-end; background: #2563eb; color: #fff; }
  .agent { align-self: flex-start; background: color-mix(in srgb, CanvasText 10%, Canvas); margin: 0; }
  .tool { align-self: center; font-size: .8rem; opacity: .75; background: none; }
  #status { min-height: 1.2em; margin: 0; font-size: .9rem; opacity: .8; }
  form { display: flex; gap: .5rem; } input { flex: 1; padding: .6rem; font: inherit; }
  button { font: inherit; padding: .5rem .9rem; cursor: pointer; }
  .suggestions { display: flex; flex-wrap: wrap; gap: .4rem; } .suggestion { font-size: .85rem; border-radius: 1rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

/**
 * The quickstart's chat page: a minimal, accessible chat (a `role="log"` list announced by
 * screen readers once each reply is complete, a `role="status"` line, a labelled form) in
 * plain JavaScript, with no external request. Every text is set through `textContent`.
 */
export function renderChatPage(options: ChatPageOptions): string {
  const config = scriptJson({ agentKey: options.agentKey, apiBase: options.apiBase });
  const buttons = suggestions
    .map((text) => `<button type="button" class="suggestion">${text}</button>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley Outfitters support (Parley quickstart)</title>
<style nonce="${options.nonce}">${style}</style>
</head>
<body>
<main>
  <header><h1>Parley Outfitters</h1><p>Support chat, served by the Parley quickstart</p></header>
  <ol id="log" role="log" aria-live="polite" aria-label="Conversation"></ol>
  <p id="draft" class="bubble agent" aria-hidden="true" hidden></p>
  <p id="status" role="status"></p>
  <div class="suggestions" aria-label="Suggested messages">${buttons}</div>
  <form id="composer">
    <label for="message" class="visually-hidden">Your message</label>
    <input id="message" autocomplete="off" maxlength="4000" placeholder="Ask about an order, a return, stock...">
    <button type="submit">Send</button>
    <button id="stop" type="button" disabled>Stop</button>
  </form>
  <p><button id="restart" type="button">Start a new conversation</button></p>
</main>
<script id="parley-config" type="application/json">${config}</script>
<script nonce="${options.nonce}">${clientScript}</script>
</body>
</html>
`;
}
