/**
 * The child of `startChatServerProcess`: reads an agent definition (JSON) from stdin, starts a
 * {@link startChatServer} with it, prints `{ endpoint, agentKey }` as one line, and closes the
 * server on SIGTERM, or exits when its parent is gone (the IPC channel closes).
 */
import { text } from 'node:stream/consumers';
import { startChatServer } from './chat-server';

const definition = JSON.parse(await text(process.stdin));
const server = await startChatServer();
const { agentKey } = await server.addAgent(definition);
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, agentKey })}\n`);
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.once('disconnect', () => process.exit(0));
