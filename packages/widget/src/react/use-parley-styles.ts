import { type RefObject, useLayoutEffect } from 'react';
import { parleyStyles } from '../styles/parley-styles';

/**
 * Puts the widget's CSS once into the root the element is rendered in: the document's
 * `<head>` on an ordinary page, the shadow root itself inside a Shadow DOM (where styles in
 * the head would not reach). A `<style data-parley>` already there is kept, so any number of
 * chats on one page share one sheet. Runs before paint, so the widget never shows unstyled.
 */
export function useParleyStyles(element: RefObject<HTMLElement | null>, enabled = true): void {
  useLayoutEffect(() => {
    const node = element.current;
    if (!enabled || !node) return;
    const root = node.getRootNode();
    const isShadowRoot = typeof ShadowRoot !== 'undefined' && root instanceof ShadowRoot;
    const container: ParentNode | null = isShadowRoot
      ? root
      : root instanceof Document
        ? root.head
        : null;
    if (!container || container.querySelector('style[data-parley]')) return;
    const style = node.ownerDocument.createElement('style');
    style.setAttribute('data-parley', '');
    style.textContent = parleyStyles;
    container.appendChild(style);
  }, [element, enabled]);
}
