import { type ParleyPalette, paletteVariable, parleyPalettes } from './parley-theme';

/**
 * All of the widget's CSS, as one string: the React components put it once into the
 * document's `<head>` (or into the shadow root they render in) as `<style data-parley>`.
 *
 * Rules it keeps: every selector starts at a `.parley-` class, so nothing reaches the host
 * page's own elements; colours, radius and font are `--parley-…` custom properties a site can
 * override on `.parley-root`; the theme is chosen by `data-parley-theme` (`light`, `dark`,
 * `system`); the launcher's bubble, drawn on the host page, has a two-tone focus ring that
 * shows on light and dark pages alike; layout uses logical properties (`inline-start`,
 * `inline-end`) so `dir="rtl"` mirrors it; the launcher's panel fills the screen at widths of
 * 480px and less.
 */
export const parleyStyles: string = buildStyles();

function declarations(palette: ParleyPalette): string {
  return (Object.keys(palette) as (keyof ParleyPalette)[])
    .map((name) => `${paletteVariable(name)}:${palette[name]};`)
    .join('');
}

function buildStyles(): string {
  const light = declarations(parleyPalettes.light);
  const dark = declarations(parleyPalettes.dark);
  return `
.parley-root{${light}--parley-radius:12px;--parley-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--parley-font-mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color-scheme:light;font-family:var(--parley-font);font-size:15px;line-height:1.45;color:var(--parley-text);text-align:start}
.parley-root[data-parley-theme="dark"]{${dark}color-scheme:dark}
@media (prefers-color-scheme:dark){.parley-root[data-parley-theme="system"]{${dark}color-scheme:dark}}
/* A clean slate inside the widget: the host page's element rules (p, div, button…) do not reach
   in, and the widget's own rules below, all at least as specific, apply on top. SVG keeps its
   attributes (its path data is a CSS property too). */
.parley-root :where(:not(svg,svg *)){all:revert}
.parley-root{margin:0;padding:0;letter-spacing:normal;text-transform:none;text-indent:0}
.parley-root,.parley-root *,.parley-root *::before,.parley-root *::after{box-sizing:border-box}
.parley-root :focus-visible{outline:2px solid var(--parley-focus);outline-offset:2px}
.parley-visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:-1px!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;white-space:nowrap!important;border:0!important}
.parley-button{font:inherit;font-size:14px;cursor:pointer;border-radius:calc(var(--parley-radius) / 1.5);border:1px solid var(--parley-border);background:var(--parley-background);color:var(--parley-text);padding:6px 12px;min-height:36px}
.parley-button:hover{background:var(--parley-surface)}
.parley-button:disabled{cursor:not-allowed;opacity:.7}
.parley-button-primary{background:var(--parley-accent);border-color:var(--parley-accent);color:var(--parley-on-accent);font-weight:600}
.parley-button-primary:hover{background:var(--parley-accent);filter:brightness(1.08)}
.parley-chat{display:flex;flex-direction:column;min-height:0;height:100%;background:var(--parley-background);border:1px solid var(--parley-border);border-radius:var(--parley-radius);overflow:hidden}
.parley-header{display:flex;align-items:center;gap:8px;padding:10px 14px;background:var(--parley-surface);border-block-end:1px solid var(--parley-border)}
.parley-title-block{flex:1;min-width:0}
.parley-title{margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.parley-description{margin:0;font-size:13px;color:var(--parley-muted-text)}
.parley-log{flex:1;min-height:0;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.parley-empty{margin:auto;color:var(--parley-muted-text);text-align:center}
.parley-earlier{align-self:center}
.parley-earlier-error{color:var(--parley-on-error);background:var(--parley-error-background);padding:4px 8px;border-radius:6px;align-self:center}
.parley-message{display:flex;flex-direction:column;max-width:85%;align-self:flex-start;gap:4px}
.parley-message-customer{align-self:flex-end;align-items:flex-end}
.parley-bubble{padding:8px 12px;border-radius:var(--parley-radius);background:var(--parley-agent-bubble);color:var(--parley-on-agent-bubble);overflow-wrap:anywhere;min-width:0;max-width:100%}
.parley-message-customer .parley-bubble{background:var(--parley-customer-bubble);color:var(--parley-on-customer-bubble);white-space:pre-wrap;border-end-end-radius:4px}
.parley-message-agent .parley-bubble{border-end-start-radius:4px}
.parley-message-preamble .parley-bubble{background:transparent;color:var(--parley-muted-text);font-style:italic;padding-block:2px}
.parley-author{font-size:12px;color:var(--parley-muted-text)}
.parley-delivery{font-size:12px;color:var(--parley-muted-text)}
.parley-delivery-failed{display:flex;align-items:center;gap:8px;color:var(--parley-on-error);background:var(--parley-error-background);padding:4px 8px;border-radius:6px}
.parley-streaming .parley-markdown>:last-child::after{content:"";display:inline-block;width:.5em;height:1em;margin-inline-start:2px;vertical-align:text-bottom;background:currentColor;opacity:.5}
.parley-markdown>:first-child{margin-block-start:0}
.parley-markdown>:last-child{margin-block-end:0}
.parley-markdown p,.parley-markdown ul,.parley-markdown ol,.parley-markdown blockquote,.parley-markdown pre,.parley-markdown table{margin-block:0 .6em;margin-inline:0}
.parley-markdown ul,.parley-markdown ol{padding-inline-start:1.4em}
.parley-markdown h1,.parley-markdown h2,.parley-markdown h3,.parley-markdown h4,.parley-markdown h5,.parley-markdown h6{font-size:1em;font-weight:700;margin-block:.6em .3em;margin-inline:0}
.parley-markdown a{color:var(--parley-link);text-decoration:underline}
.parley-markdown blockquote{border-inline-start:3px solid var(--parley-border);padding-inline-start:10px}
.parley-markdown code{font-family:var(--parley-font-mono);font-size:.9em;background:var(--parley-code-background);color:var(--parley-on-code);padding:1px 4px;border-radius:4px}
.parley-markdown pre{direction:ltr;unicode-bidi:isolate;text-align:left;background:var(--parley-code-background);color:var(--parley-on-code);padding:10px 12px;border-radius:8px;overflow-x:auto;white-space:pre;tab-size:2}
.parley-markdown pre code{background:none;padding:0;font-size:13px;display:block}
.parley-markdown table{border-collapse:collapse;display:block;overflow-x:auto}
.parley-markdown th,.parley-markdown td{border:1px solid var(--parley-border);padding:4px 8px}
.parley-markdown img{max-width:100%}
.parley-sources{font-size:13px;line-height:1.4;color:var(--parley-muted-text);overflow-wrap:anywhere;min-width:0;max-width:100%}
.parley-sources-label{font-weight:600}
.parley-sources-list{list-style:none;margin:0;padding:0}
.parley-source{display:flex;align-items:baseline;gap:4px}
.parley-source-number{flex:none;font-variant-numeric:tabular-nums}
.parley-source-title{min-width:0;min-height:24px;padding-block:3px;color:var(--parley-text)}
.parley-sources a{color:var(--parley-link);text-decoration:underline}
.parley-message-actions,.parley-suggestions{border:0;margin:0;min-width:0}
.parley-message-actions{display:flex;gap:4px;padding:0}
.parley-feedback svg{display:block;width:16px;height:16px}
.parley-feedback{font-size:13px;min-height:32px;padding:4px 8px}
.parley-feedback[aria-pressed="true"]{background:var(--parley-accent);border-color:var(--parley-accent);color:var(--parley-on-accent)}
.parley-tool{align-self:flex-start;display:flex;align-items:center;gap:6px;font-size:13px;color:var(--parley-muted-text);border:1px solid var(--parley-border);border-radius:999px;padding:2px 10px}
.parley-tool::before{content:"";width:8px;height:8px;border-radius:50%;background:var(--parley-accent)}
.parley-status{min-height:22px;padding:0 14px;font-size:13px;color:var(--parley-muted-text)}
.parley-notice{display:flex;align-items:center;gap:8px;flex-wrap:wrap;margin:0 14px 8px;padding:8px 12px;border-radius:8px;background:var(--parley-error-background);color:var(--parley-on-error)}
.parley-notice-text{flex:1;min-width:0;margin:0}
.parley-suggestions{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 8px}
.parley-suggestion{border-radius:999px}
.parley-composer{display:flex;align-items:flex-end;gap:8px;padding:10px 14px;background:var(--parley-surface);border-block-start:1px solid var(--parley-border)}
.parley-input{field-sizing:content;flex:1;min-width:0;resize:none;font:inherit;font-size:16px;line-height:1.4;max-height:160px;min-height:40px;padding:8px 10px;border:1px solid var(--parley-border);border-radius:calc(var(--parley-radius) / 1.5);background:var(--parley-background);color:var(--parley-text)}
.parley-input::placeholder{color:var(--parley-muted-text);opacity:1}
.parley-input:disabled{cursor:not-allowed}
.parley-composer .parley-button{min-height:40px}
.parley-launcher{position:fixed;inset-block-end:20px;inset-inline-end:20px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:12px}
.parley-bubble-button{position:relative;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:var(--parley-accent);color:var(--parley-on-accent);box-shadow:0 4px 14px rgb(0 0 0 / .25);display:grid;place-items:center}
.parley-bubble-button:focus-visible{outline-color:var(--parley-launcher-focus-outer);box-shadow:0 0 0 2px var(--parley-launcher-focus-inner),0 4px 14px rgb(0 0 0 / .25)}
.parley-bubble-button svg{width:26px;height:26px;fill:currentColor}
.parley-badge{position:absolute;inset-block-start:-4px;inset-inline-end:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:var(--parley-badge);color:var(--parley-on-badge);font-size:12px;font-weight:700;line-height:22px;text-align:center}
.parley-panel{width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 120px));box-shadow:0 8px 30px rgb(0 0 0 / .25);border-radius:var(--parley-radius)}
.parley-close{min-height:32px;padding:2px 10px}
@media (max-width:480px){
.parley-launcher-open{inset:0}
.parley-launcher-open .parley-bubble-button{display:none}
.parley-launcher-open .parley-panel{width:100%;height:100%;height:100dvh;border-radius:0;box-shadow:none}
.parley-launcher-open .parley-chat{border:0;border-radius:0}
}
@media (prefers-reduced-motion:no-preference){.parley-button,.parley-bubble-button{transition:filter .15s,background-color .15s}}
`;
}
