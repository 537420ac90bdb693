import { describe, expect, it } from "vitest";
import { ResponseWatch } from "../../src/db/response-watch.ts";

/** One protocol message: a type byte, a length that counts itself, a body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const ready = () => message("Z", Buffer.from("T"));
const rows = () => message("D", Buffer.alloc(40, 1));
/** Bind, Execute and Sync: one pipelined statement as postgres.js sends a prepared one. */
const statement = () =>
  Buffer.concat([message("B", Buffer.alloc(20)), message("E", Buffer.alloc(5)), message("S")]);

/** A watch past start-up: the startup packet sent and the server's first ReadyForQuery read. */
function started(): ResponseWatch {
  const watch = new ResponseWatch();
  watch.sent(Buffer.from([0, 0, 0, 8, 0, 3, 0, 0]));
  watch.received(Buffer.concat([message("R", Buffer.alloc(4)), message("Z", Buffer.from("I"))]));
  return watch;
}

describe("the frozen-database watch of a connection", () => {
  it("waits during start-up until the server says anything", () => {
    const watch = new ResponseWatch();
    expect(watch.awaiting()).toBe(false);
    watch.sent(Buffer.from([0, 0, 0, 8, 0, 3, 0, 0]));
    expect(watch.awaiting()).toBe(true);
    watch.received(message("R", Buffer.alloc(4)));
    expect(watch.awaiting()).toBe(false);
  });

  it("counts pipelined statements until each has its ReadyForQuery", () => {
    const watch = started();
    expect(watch.awaiting()).toBe(false);
    watch.sent(Buffer.concat([statement(), statement(), statement()]));
    watch.received(Buffer.concat([rows(), ready()]));
    expect(watch.awaiting()).toBe(true);
    watch.received(ready());
    expect(watch.awaiting()).toBe(true);
    watch.received(ready());
    expect(watch.awaiting()).toBe(false);
  });

  it("reads messages split anywhere across chunks, their headers included", () => {
    const watch = started();
    watch.sent(Buffer.concat([statement(), statement()]));
    const answer = Buffer.concat([rows(), ready(), rows(), ready()]);
    for (let i = 0; i < answer.length; i += 3) {
      expect(watch.awaiting()).toBe(true);
      watch.received(answer.subarray(i, i + 3));
    }
    expect(watch.awaiting()).toBe(false);
  });

  it("does not take a data row holding a Z byte for a ReadyForQuery", () => {
    const watch = started();
    watch.sent(statement());
    watch.received(message("D", Buffer.from("ZZZZZZZZZZ")));
    expect(watch.awaiting()).toBe(true);
  });

  it("waits for the answer to a Flush, which ends in no ReadyForQuery", () => {
    const watch = started();
    watch.sent(Buffer.concat([message("P", Buffer.alloc(10)), message("D"), message("H")]));
    expect(watch.awaiting()).toBe(true);
    watch.received(message("t", Buffer.alloc(6)));
    expect(watch.awaiting()).toBe(false);
  });

  it("counts a simple query as one request", () => {
    const watch = started();
    watch.sent(message("Q", Buffer.from("select 1\0")));
    expect(watch.awaiting()).toBe(true);
    watch.received(ready());
    expect(watch.awaiting()).toBe(false);
  });

  it("steps aside when the server accepts TLS, and goes on when it declines", () => {
    const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const tls = new ResponseWatch();
    tls.sent(sslRequest);
    tls.received(Buffer.from("S"));
    tls.sent(Buffer.from("encrypted bytes"));
    expect(tls.awaiting()).toBe(false);

    const plain = new ResponseWatch();
    plain.sent(sslRequest);
    plain.received(Buffer.from("N"));
    plain.sent(Buffer.from([0, 0, 0, 8, 0, 3, 0, 0]));
    expect(plain.awaiting()).toBe(true);
    plain.received(Buffer.concat([message("R", Buffer.alloc(4)), ready()]));
    plain.sent(statement());
    expect(plain.awaiting()).toBe(true);
    plain.received(ready());
    expect(plain.awaiting()).toBe(false);
  });
});
