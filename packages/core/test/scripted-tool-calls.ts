import type { ScriptedChatModel } from '../src/testing/create-scripted-chat-model';

/**
 * Scripts the model's tool-call proposals: every `tool_calls` request proposes calling
 * `toolName` with what `argumentsOf` gives for that call (the same arguments each time when
 * an object is given).
 */
export function proposeToolCall(
  model: ScriptedChatModel,
  toolName: string,
  argumentsOf: Record<string, unknown> | (() => Record<string, unknown>),
): void {
  model.onObject('tool_calls', () => ({
    calls: [
      {
        tool: toolName,
        call: true,
        arguments: JSON.stringify(typeof argumentsOf === 'function' ? argumentsOf() : argumentsOf),
        missingArguments: [],
      },
    ],
  }));
}
