import type { Priority } from "../../../domain/complaint.ts";
import type { ThreadState } from "../../../domain/thread-lifecycle.ts";
import { listMyThreads } from "../../../services/list-my-threads.ts";
import { departmentOf, officeHoursLeft, timezoneOf } from "../../../services/workspace-lookups.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { describeDueMrkdwn } from "../../views/due-line.ts";
import { buildMineList } from "../../views/mine-list.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard mine`: the open threads you own, with what is due next (private). */
export const mineCommand: Subcommand = async ({ ack, command, deps }) => {
  await ack({ response_type: "ephemeral", ...(await mine(deps, command.user_id)) });
};

async function mine(deps: ListenerDeps, userId: string) {
  const now = deps.clock.now();
  const threads = await listMyThreads(slackContext(deps, userId), deps.config, userId);
  return buildMineList(
    threads.map((t) => ({
      threadId: t.threadId,
      department: departmentOf(deps.config, t.department)?.name ?? t.department,
      priority: t.priority as Priority,
      state: t.state as ThreadState,
      excerpt: t.excerpt,
      dueMrkdwn: t.next
        ? describeDueMrkdwn(
            t.next.clock.kind,
            t.next.dueAt,
            now,
            timezoneOf(deps.config, t.department),
            false,
            { workingLeftMs: officeHoursLeft(deps.config, t.department, t.next.clock, now) },
          )
        : undefined,
    })),
    now,
  );
}
