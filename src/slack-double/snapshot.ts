import type { ChannelRecord, DoubleState, ResponseUrlRecord, UserRecord } from "./state.ts";
import type { StoredFile, StoredMessage, StoredView, UsergroupSpec } from "./types.ts";

/** Bumped when the shape below changes; a snapshot of another version is not restored. */
export const SNAPSHOT_VERSION = 1;

/** A file as JSON holds it: the bytes in base64. */
export type FileSnapshot = Omit<StoredFile, "bytes"> & { bytesBase64?: string };

/**
 * What a workspace holds, as plain JSON: conversations, people, messages (threads and
 * ephemerals), views, files and live response_urls, plus the id counters. Calls, triggers,
 * rate-limit buckets and Socket Mode tickets are left out: they are seconds-long handles or
 * test bookkeeping, not what a person would expect to find again after a restart.
 */
export interface DoubleSnapshot {
  version: number;
  teamId: string;
  ids: { counter: number; lastMicros: number };
  channels: ChannelRecord[];
  users: UserRecord[];
  usergroups: UsergroupSpec[];
  messages: StoredMessage[];
  ephemerals: StoredMessage[];
  views: StoredView[];
  files: FileSnapshot[];
  responseUrls: ResponseUrlRecord[];
}

/** The state as a JSON-safe snapshot (deep copies: later changes do not leak into it). */
export function takeSnapshot(state: DoubleState): DoubleSnapshot {
  const files = [...state.files.values()].map(({ bytes, ...file }) => ({
    ...structuredClone(file),
    ...(bytes === undefined ? {} : { bytesBase64: bytes.toString("base64") }),
  }));
  return {
    version: SNAPSHOT_VERSION,
    teamId: state.config.teamId,
    ids: state.ids.position,
    channels: structuredClone([...state.channels.values()]),
    users: structuredClone([...state.users.values()]),
    usergroups: structuredClone([...state.usergroups.values()]),
    messages: structuredClone(state.messages),
    ephemerals: structuredClone(state.ephemerals),
    views: structuredClone(state.views),
    files,
    responseUrls: structuredClone([...state.responseUrls.values()]),
  };
}

/**
 * Loads a snapshot into a fresh state. Throws when it is of another version or another team,
 * so a caller can say so instead of showing a half-restored workspace.
 */
export function restoreSnapshot(state: DoubleState, snapshot: DoubleSnapshot): void {
  if (snapshot.version !== SNAPSHOT_VERSION) {
    throw new Error(
      `snapshot version ${snapshot.version} is not ${SNAPSHOT_VERSION}; start from empty`,
    );
  }
  if (snapshot.teamId !== state.config.teamId) {
    throw new Error(`snapshot of team ${snapshot.teamId}, not ${state.config.teamId}`);
  }
  state.ids.position = snapshot.ids;
  for (const c of snapshot.channels) state.channels.set(c.id, structuredClone(c));
  for (const u of snapshot.users) state.users.set(u.id, structuredClone(u));
  for (const g of snapshot.usergroups) state.usergroups.set(g.id, structuredClone(g));
  state.messages.push(...structuredClone(snapshot.messages));
  state.ephemerals.push(...structuredClone(snapshot.ephemerals));
  state.views.push(...structuredClone(snapshot.views));
  for (const { bytesBase64, ...file } of snapshot.files) {
    const restored: StoredFile = { ...structuredClone(file) };
    if (bytesBase64 !== undefined) restored.bytes = Buffer.from(bytesBase64, "base64");
    state.files.set(restored.id, restored);
  }
  for (const r of snapshot.responseUrls) state.responseUrls.set(r.id, structuredClone(r));
}
