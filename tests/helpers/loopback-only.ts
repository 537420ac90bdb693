import net from "node:net";

// Tests must never reach the network beyond this machine (STYLE.md habit 7):
// any TCP connection to a non-loopback address fails the test loudly.
const originalConnect = net.Socket.prototype.connect;
const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host =
    typeof first === "object" && first !== null
      ? (first.host ?? (first.path ? "localhost" : "localhost"))
      : typeof args[1] === "string"
        ? args[1]
        : "localhost";
  if (!LOOPBACK.test(host)) {
    throw new Error(`Test tried to connect to ${host}: only loopback is allowed in tests`);
  }
  // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloaded arguments unchanged
  return (originalConnect as any).apply(this, args);
} as typeof net.Socket.prototype.connect;
