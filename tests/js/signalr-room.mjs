// Joins a chat room with the official SignalR JavaScript client and waits for one message.
// Usage: node signalr-room.mjs <baseUrl> <accessToken> <roomId> [timeoutMs]
// Prints one JSON line per step: {"step":"joined",...}, then {"step":"received","message":...}; exits 0 on success.
import { createRequire } from "node:module";

const signalR = createRequire(import.meta.url)("@microsoft/signalr");
const [baseUrl, token, roomId, timeoutArg] = process.argv.slice(2);
if (!baseUrl || !token || !roomId) {
  console.error("usage: node signalr-room.mjs <baseUrl> <accessToken> <roomId> [timeoutMs]");
  process.exit(2);
}
const timeout = setTimeout(() => {
  console.error(`no message within ${timeoutArg ?? 20000} ms`);
  process.exit(3);
}, Number(timeoutArg ?? 20000));

const connection = new signalR.HubConnectionBuilder()
  .withUrl(new URL("hubs/chat", baseUrl).toString(), {
    accessTokenFactory: () => token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

const received = new Promise((resolve) => connection.on("MessageReceived", resolve));
try {
  await connection.start();
  const room = await connection.invoke("JoinRoom", roomId);
  console.log(JSON.stringify({ step: "joined", room }));
  const message = await received;
  console.log(JSON.stringify({ step: "received", message }));
  await connection.stop();
  clearTimeout(timeout);
  process.exit(0);
} catch (error) {
  console.error(String(error?.stack ?? error));
  process.exit(1);
}
