import { describe, expect, it } from "vitest";
import { mayAdminister, mayRequestDigest, type RoleDirectory } from "../../src/domain/roles.ts";

const roles: RoleDirectory = {
  admins: ["UADMIN1", "UADMIN2"],
  executives: [{ user: "UEXEC" }, { user: "UADMIN1" }],
};

describe("roles", () => {
  it("lets admins administer and refuses everyone else, naming the admins", () => {
    expect(mayAdminister(roles, "UADMIN2", "retry deliveries")).toEqual({ ok: true });
    expect(mayAdminister(roles, "UEXEC", "retry deliveries")).toEqual({
      ok: false,
      reason:
        "Only Switchboard admins can retry deliveries: <@UADMIN1>, <@UADMIN2>. Admins are listed under `admins` in the workspace file.",
    });
  });

  it("says nobody is configured when there are no admins", () => {
    expect(mayAdminister({ admins: [], executives: [] }, "U1", "see the status")).toEqual({
      ok: false,
      reason:
        "Only Switchboard admins can see the status: nobody is configured yet. Admins are listed under `admins` in the workspace file.",
    });
  });

  it("gives digests to executives and admins, and names each of them once when refusing", () => {
    expect(mayRequestDigest(roles, "UEXEC")).toEqual({ ok: true });
    expect(mayRequestDigest(roles, "UADMIN2")).toEqual({ ok: true });
    expect(mayRequestDigest({ admins: [], executives: [{ user: "UEXEC" }] }, "UEXEC")).toEqual({
      ok: true,
    });
    expect(mayRequestDigest(roles, "UAGENT")).toEqual({
      ok: false,
      reason:
        "Digests are for executives and admins: <@UEXEC>, <@UADMIN1>, <@UADMIN2>. They are listed under `executives` and `admins` in the workspace file.",
    });
    expect(mayRequestDigest({ admins: [], executives: [] }, "UAGENT")).toEqual({
      ok: false,
      reason:
        "Digests are for executives and admins: nobody is configured yet. They are listed under `executives` and `admins` in the workspace file.",
    });
  });
});
