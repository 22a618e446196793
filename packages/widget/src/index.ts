/**
 * @module @parley/widget — the chat widget. Its framework-free part: `createChatClient` (a chat
 * as one immutable state that React or anything else can render), the transports it talks
 * through (`createHttpTransport` for a Parley server, `createScriptedTransport` for Storybook
 * and tests), and the wire types of the server's protocol, written out here: the widget needs
 * nothing from Parley's core package, at run time or in its published types. Its thin React
 * part: `<ParleyChat>` (inline), `<ParleyLauncher>` (a floating bubble), `useParleyChat` and
 * the hooks behind them; React, react-dom and @tanstack/react-query are peer dependencies.
 */

export type {
  ChatClient,
  ChatClientOptions,
  ChatSessionStorage,
  ChatTimers,
} from './client/chat-client';
export type {
  ChatError,
  ChatItem,
  ChatMessage,
  ChatRole,
  ChatSource,
  ChatState,
  ChatToolCall,
  ChatTurn,
  ConnectionState,
} from './client/chat-state';
export {
  type AgentProfile,
  type ChatTransport,
  type OpenSessionRequest,
  type SessionCredentials,
  type SessionGrant,
  type StreamFrame,
  TransportError,
  type TransportFailure,
} from './client/chat-transport';
export { createChatClient } from './client/create-chat-client';
export { createHttpTransport, type HttpTransportOptions } from './client/create-http-transport';
export {
  createScriptedTransport,
  type ScriptedHistoryEntry,
  type ScriptedReply,
  type ScriptedReplyEntry,
  type ScriptedTransport,
  type ScriptedTransportOptions,
} from './client/create-scripted-transport';
export type {
  CustomEventData,
  EventKind,
  EventSource,
  JsonValue,
  MessageEventData,
  MessageSource,
  StatusEventData,
  ToolCall,
  ToolEventData,
  TurnStatus,
  WireCustomEvent,
  WireEvent,
  WireMessageEvent,
  WireStatusEvent,
  WireToolEvent,
} from './client/wire-event';
export { ParleyChat, type ParleyChatProps } from './react/parley-chat';
export type { ParleyTheme, ParleyViewProps } from './react/parley-frame';
export { ParleyLauncher, type ParleyLauncherProps } from './react/parley-launcher';
export { defaultStrings, formatString, type ParleyStrings, resolveStrings } from './react/strings';
export { useAgentProfile } from './react/use-agent-profile';
export { useChatSelector } from './react/use-chat-selector';
export {
  type EarlierHistory,
  historyPageSize,
  useEarlierHistory,
} from './react/use-earlier-history';
export {
  type ParleyChatActions,
  type ParleyChatController,
  useParleyActions,
  useParleyChat,
} from './react/use-parley-chat';
export { parleyStyles } from './styles/parley-styles';
export {
  type ContrastPair,
  contrastPairs,
  type ParleyPalette,
  paletteVariable,
  parleyPalettes,
} from './styles/parley-theme';
