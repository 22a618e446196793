/**
 * @module @parley/widget — the chat widget. The framework-free `ChatClient`, the React
 * components and the `<script>` embed arrive with the widget issue; today this entry exposes
 * the wire types it will speak, from `@parley/core/protocol` (the only part of the core a
 * browser bundle may import).
 */
export {
  type EventKind,
  type EventSource,
  type TurnStatus,
  type WireEvent,
  wireEventSchema,
} from '@parley/core/protocol';
