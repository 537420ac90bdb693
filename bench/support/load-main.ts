/**
 * The load generator, in a process of its own (a generator on the bot's event loop would
 * measure itself): autocannon 9 posting unique complaints to one or more intake URLs. The
 * job comes as JSON in argv[2]; the figures go back over IPC. Started by `support/load.ts`.
 */
import autocannon from "autocannon";
import { type ComplaintBody, loadComplaintBodies } from "./complaint-texts.ts";
import type { LoadJob, LoadResult } from "./load.ts";

const job = JSON.parse(process.argv[2] ?? "{}") as LoadJob;
const { bodies } = loadComplaintBodies(2_000);

let next = 0;
function complaint(): ComplaintBody {
  const i = next++;
  const base = bodies[i % bodies.length] as ComplaintBody;
  let text = base.text;
  if (job.departments) text = `dept${i % job.departments}: ${text}`;
  if (job.p1Every && i % job.p1Every === 0) text = `injured ${text}`;
  return { ...base, text, externalId: `${job.prefix}${i}`, url: undefined } as ComplaintBody;
}

function bodyOf(): string {
  if (!job.batchSize) return JSON.stringify(complaint());
  return JSON.stringify({ complaints: Array.from({ length: job.batchSize }, complaint) });
}

async function run(url: string, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    ...(job.amount ? { amount: job.amount } : { duration: job.durationS }),
    timeout: 120,
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
    requests: [
      {
        method: "POST",
        path: job.path,
        headers: {
          authorization: `Bearer ${job.token}`,
          "content-type": "application/json",
        },
        setupRequest: (req) => ({ ...req, body: bodyOf() }),
      },
    ],
  });
}

// One autocannon per target, connections split between them, all at once.
const started = performance.now();
const results = await Promise.all(
  job.targets.map((t, i) =>
    run(
      t,
      Math.max(
        1,
        Math.floor(job.connections / job.targets.length) +
          (i < job.connections % job.targets.length ? 1 : 0),
      ),
    ),
  ),
);
const seconds = (performance.now() - started) / 1000;
const perTarget = results.map((r) => ({
  requests: r["2xx"],
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  seconds: r.duration,
  p50: r.latency.p50,
  p99: r.latency.p99,
}));
const result: LoadResult = {
  requests: perTarget.reduce((a, r) => a + r.requests, 0),
  complaints: perTarget.reduce((a, r) => a + r.requests, 0) * (job.batchSize || 1),
  non2xx: perTarget.reduce((a, r) => a + r.non2xx, 0),
  errors: perTarget.reduce((a, r) => a + r.errors, 0),
  seconds: Math.max(seconds, ...perTarget.map((r) => r.seconds)),
  p50: Math.max(...perTarget.map((r) => r.p50)),
  p99: Math.max(...perTarget.map((r) => r.p99)),
  perTarget,
};
process.send?.(result, () => process.exit(0));

// The benchmark that started us is gone: stop rather than load a server nobody measures.
process.on("disconnect", () => process.exit(1));
