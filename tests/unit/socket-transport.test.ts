import { describe, expect, it } from "vitest";
import { SocketTransport } from "../../src/slack-double/driver-socket.ts";
import type { EnvelopeAck } from "../../src/slack-double/socket-mode.ts";

/** The Socket Mode driver applies Slack's 3-second rule to acks as the HTTP driver does. */
function transportAnswering(ack: Omit<EnvelopeAck, "envelopeId">) {
  const sent: Array<{ type: string; acceptsResponsePayload: boolean }> = [];
  const transport = new SocketTransport({
    waitForConnection: async () => {},
    deliver: async (type, _payload, opts) => {
      sent.push({ type, acceptsResponsePayload: opts.acceptsResponsePayload });
      return { envelopeId: "e1", ...ack };
    },
  });
  return { transport, sent };
}

describe("SocketTransport", () => {
  it("reports an ack within 3 s as a 200 carrying the ack's payload", async () => {
    const { transport, sent } = transportAnswering({
      acked: true,
      ackMs: 2999,
      payload: { response_action: "clear" },
    });
    const res = await transport.send(
      { kind: "view_submission", type: "interactive", payload: { type: "view_submission" } },
      {},
    );
    expect(res).toMatchObject({ status: 200, late: false, json: { response_action: "clear" } });
    expect(sent).toEqual([{ type: "interactive", acceptsResponsePayload: true }]);
  });

  it("counts an ack after 3 s, or none at all, as late", async () => {
    const late = transportAnswering({ acked: true, ackMs: 3001 });
    const res = await late.transport.send(
      { kind: "block_actions", type: "interactive", payload: { type: "block_actions" } },
      {},
    );
    expect(res).toMatchObject({ status: 200, late: true, body: "" });
    expect(late.sent[0]?.acceptsResponsePayload).toBe(false);
    const none = transportAnswering({ acked: false, ackMs: 10_000 });
    const lost = await none.transport.send(
      { kind: "slash_command", type: "slash_commands", payload: {} },
      {},
    );
    expect(lost).toMatchObject({ status: 0, late: true });
  });
});
