import type { Method } from "./method.ts";

/**
 * apps.connections.open: a one-off WebSocket URL for Socket Mode (SLACK.md §10). Slack's is
 * wss://wss-primary.slack.com/link/?ticket=…&app_id=…; the double's has the same shape on
 * its own port. The router has already checked the app-level token.
 */
const connectionsOpen: Method = (_args, { state }) => {
  const ticket = state.ids.secret();
  state.socketTickets.set(ticket, { issuedAt: state.now(), used: false });
  const base = state.baseUrl.replace(/^http/, "ws");
  return { url: `${base}/link/?ticket=${ticket}&app_id=${state.config.appId}` };
};

/** apps.* methods. */
export const APP_METHODS: Record<string, Method> = {
  "apps.connections.open": connectionsOpen,
};
