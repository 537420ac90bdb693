import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

/** The bundled sample feed (written for Switchboard; see the file's header). */
export const SAMPLE_FEED_PATH = "sandbox/complaints.yaml";

const Author = z.strictObject({
  handle: z.string().min(1),
  name: z.string().min(1).optional(),
  followers: z.number().int().min(0).optional(),
  verified: z.boolean().optional(),
});

const Post = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  source: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  author: Author,
  text: z.string().min(1),
  conversation: z.string().optional(),
  shares: z.number().int().min(0).optional(),
  likes: z.number().int().min(0).optional(),
});

const Repeat = z.strictObject({ repeat: z.string() });

const SampleFile = z.strictObject({ posts: z.array(z.union([Post, Repeat])).min(1) });

/** One post of the sample. */
export type SamplePost = z.infer<typeof Post>;
/** A post, or a resend of an earlier one. */
export type SampleEntry = SamplePost | z.infer<typeof Repeat>;

/** The body the intake API takes (POST /api/v1/complaints). */
export interface ComplaintBody {
  source: string;
  externalId: string;
  text: string;
  author?: { handle: string; name?: string; followers?: number; verified?: boolean };
  conversationId?: string;
  metrics?: { shares?: number; likes?: number };
  postedAt?: string;
}

/**
 * Reads and checks the sample: every id once, every follow-up and repeat naming an earlier
 * post, and a follow-up on the same source as its conversation (threads are per source).
 */
export function loadSampleFeed(path = SAMPLE_FEED_PATH): SampleEntry[] {
  const parsed = SampleFile.parse(parse(readFileSync(path, "utf8")));
  const seen = new Map<string, SamplePost>();
  for (const [index, entry] of parsed.posts.entries()) {
    const at = `${path} posts[${index}]`;
    if ("repeat" in entry) {
      if (!seen.has(entry.repeat)) throw new Error(`${at}: repeat of unknown post ${entry.repeat}`);
      continue;
    }
    if (seen.has(entry.id)) throw new Error(`${at}: id ${entry.id} is used twice`);
    const root = entry.conversation === undefined ? undefined : seen.get(entry.conversation);
    if (entry.conversation !== undefined && root?.source !== entry.source) {
      throw new Error(
        `${at}: conversation ${entry.conversation} is not an earlier post on ${entry.source}`,
      );
    }
    seen.set(entry.id, entry);
  }
  return parsed.posts;
}

/** The posts of the sample, in order, with repeats resolved to the post they repeat. */
export function samplePosts(entries: readonly SampleEntry[]): SamplePost[] {
  const byId = new Map<string, SamplePost>();
  return entries.map((entry) => {
    const post = "repeat" in entry ? byId.get(entry.repeat) : entry;
    if (!post) throw new Error(`repeat of unknown post ${"repeat" in entry ? entry.repeat : ""}`);
    byId.set(post.id, post);
    return post;
  });
}

/**
 * The intake body for a sample post. `tag` prefixes the ids so each replay files new posts
 * (a repeat within one replay keeps its id, and is filed once).
 */
export function complaintBody(post: SamplePost, tag: string, postedAt: Date): ComplaintBody {
  const metrics = {
    ...(post.shares === undefined ? {} : { shares: post.shares }),
    ...(post.likes === undefined ? {} : { likes: post.likes }),
  };
  return {
    source: post.source,
    externalId: `${tag}-${post.id}`,
    text: post.text,
    author: post.author,
    conversationId: `${tag}-${post.conversation ?? post.id}`,
    postedAt: postedAt.toISOString(),
    ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
  };
}
