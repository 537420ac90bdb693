import { ApiError, argNonEmpty, argNum, isObj, type Obj, requireArg } from "../args.ts";
import { FILE_LIMITS, UNCONFIRMED } from "../limits.ts";
import { checkThreadParent, storeMessage } from "../message-store.ts";
import type { ChannelRecord, DoubleState } from "../state.ts";
import type { StoredFile } from "../types.ts";
import { botIsMember, channelOrThrow } from "../workspace.ts";
import type { Method } from "./method.ts";

/** Alt text: docs name the argument alt_txt, @slack/web-api sends alt_text (SLACK.md §5). */
function altTextOf(args: Obj): string | undefined {
  const alt = argNonEmpty(args, "alt_txt") ?? argNonEmpty(args, "alt_text");
  if (alt !== undefined && alt.length > FILE_LIMITS.altText) {
    throw new ApiError(UNCONFIRMED.altTextTooLongError, {
      response_metadata: {
        messages: [`[ERROR] alt_txt must be at most ${FILE_LIMITS.altText} characters`],
      },
    });
  }
  return alt;
}

const getUploadUrl: Method = (args, { state }) => {
  const filename = requireArg(args, "filename");
  const length = argNum(args, "length");
  if (length === undefined || !Number.isInteger(length) || length <= 0) {
    throw new ApiError("invalid_arguments", {
      response_metadata: { messages: ["[ERROR] length must be a positive integer"] },
    });
  }
  if (length > FILE_LIMITS.maxBytes) throw new ApiError("file_upload_size_restricted");
  const altText = altTextOf(args);
  const id = state.ids.next("F");
  state.files.set(id, {
    id,
    filename,
    length,
    completed: false,
    ...(altText === undefined ? {} : { altText }),
  });
  return { upload_url: `${state.baseUrl}/upload/${id}`, file_id: id };
};

/** The file entries of completeUploadExternal, each uploaded already and not yet completed. */
function uploadedFiles(
  state: DoubleState,
  files: unknown,
): Array<{ file: StoredFile; title?: string }> {
  if (!Array.isArray(files) || files.length === 0) {
    throw new ApiError(UNCONFIRMED.missingArgumentError, {
      response_metadata: { messages: ["[ERROR] missing required field: files"] },
    });
  }
  if (files.length > FILE_LIMITS.filesPerComplete) {
    throw new ApiError("invalid_arguments", {
      response_metadata: {
        messages: [`[ERROR] no more than ${FILE_LIMITS.filesPerComplete} files at once`],
      },
    });
  }
  return files.map((entry: unknown) => {
    const id = isObj(entry) ? String(entry.id ?? "") : "";
    const file = state.files.get(id);
    if (!file?.bytes) throw new ApiError(UNCONFIRMED.fileNotUploadedError);
    if (file.completed) throw new ApiError(UNCONFIRMED.fileAlreadyCompletedError);
    const title = isObj(entry) && typeof entry.title === "string" ? entry.title : undefined;
    return { file, ...(title === undefined ? {} : { title }) };
  });
}

/** Shares completed files into a channel/thread as one bot message. */
function share(state: DoubleState, args: Obj, files: StoredFile[]): void {
  const channelRef =
    argNonEmpty(args, "channel_id") ?? argNonEmpty(args, "channels")?.split(",")[0];
  if (channelRef === undefined) return;
  const channel = channelOrThrow(state, channelRef);
  if (channel.isArchived) throw new ApiError("is_archived");
  if (!botIsMember(state, channel)) throw new ApiError("not_in_channel");
  const threadTs = argNonEmpty(args, "thread_ts");
  if (threadTs !== undefined) checkThreadParent(state, channel.id, threadTs);
  const initialComment = argNonEmpty(args, "initial_comment");
  const msg = storeMessage(state, {
    text: initialComment ?? "",
    channel: channel.id,
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  msg.files = files.map((f) => ({
    id: f.id,
    name: f.filename,
    title: f.title ?? f.filename,
    ...(f.altText === undefined ? {} : { altText: f.altText }),
  }));
  for (const f of files) {
    f.channelId = channel.id;
    f.shareTs = msg.ts;
    if (threadTs !== undefined) f.threadTs = threadTs;
    if (initialComment !== undefined) f.initialComment = initialComment;
  }
}

/**
 * A share Slack makes after answering completeUploadExternal. The conversation may have been
 * archived or left meanwhile: then the file stays completed and unshared, with no error to
 * anyone (the call was answered long ago).
 */
function shareLater(state: DoubleState, args: Obj, files: StoredFile[]): void {
  try {
    share(state, args, files);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

const completeUpload: Method = (args, { state }) => {
  const entries = uploadedFiles(state, args.files);
  // Checked before anything changes, so a refused share leaves the files uploadable.
  const channelRef = argNonEmpty(args, "channel_id");
  if (channelRef !== undefined) {
    const channel = channelOrThrow(state, channelRef);
    if (!botIsMember(state, channel)) throw new ApiError("not_in_channel");
  }
  const files = entries.map(({ file, title }) => {
    if (title !== undefined) file.title = title;
    file.completed = true;
    file.created = Math.floor(state.now() / 1000);
    return file;
  });
  if (state.fileSharesHeld) state.heldFileShares.push(() => shareLater(state, args, files));
  else share(state, args, files);
  return {
    files: files.map((f) => ({
      id: f.id,
      name: f.filename,
      title: f.title ?? f.filename,
      size: f.bytes?.length ?? f.length,
      created: f.created,
    })),
  };
};

/**
 * files.info: the file object, with where it is shared (`shares`, `channels`, `groups`,
 * `ims`), and its comments (none: the double has no file comments). Slack: Tier 4, files:read,
 * errors file_not_found and file_deleted; a bot sees the files it uploaded and those in its
 * conversations (docs: files.info method; the file object). An upload never completed is
 * not a file (UNCONFIRMED.uncompletedFileInfoError).
 */
const fileInfo: Method = (args, { state }) => {
  const id = requireArg(args, "file");
  const file = state.files.get(id);
  if (!file?.completed) {
    throw new ApiError(file ? UNCONFIRMED.uncompletedFileInfoError : "file_not_found");
  }
  return {
    file: fileObject(state, file),
    comments: [],
    response_metadata: { next_cursor: "" },
  };
};

/** A file as Slack's file object describes it (the fields the double knows). */
function fileObject(state: DoubleState, file: StoredFile): Obj {
  const ext = file.filename.includes(".") ? (file.filename.split(".").pop() ?? "") : "";
  const where = file.channelId ? state.channels.get(file.channelId) : undefined;
  const url = `${state.baseUrl}/files-pri/${state.config.teamId}-${file.id}/${file.filename}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.filename,
    title: file.title ?? file.filename,
    mimetype: MIME_TYPES[ext] ?? "application/octet-stream",
    filetype: ext || "binary",
    pretty_type: ext.toUpperCase() || "Binary",
    user: state.config.botUserId,
    editable: false,
    size: file.bytes?.length ?? file.length,
    mode: "hosted",
    is_external: false,
    external_type: "",
    is_public: where !== undefined && !where.isPrivate && !where.isIm && !where.isMpim,
    public_url_shared: false,
    display_as_bot: false,
    username: "",
    url_private: url,
    url_private_download: url.replace("/files-pri/", "/files-pri/download/"),
    permalink: `https://${state.config.teamDomain}.slack.com/files/${state.config.botUserId}/${file.id}/${file.filename}`,
    comments_count: 0,
    is_starred: false,
    has_rich_preview: false,
    ...(file.altText === undefined ? {} : { alt_txt: file.altText }),
    ...placesOf(state, file, where),
  };
}

const MIME_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  txt: "text/plain",
  csv: "text/csv",
  pdf: "application/pdf",
};

/** `shares` (public channels apart from the rest) and the channels/groups/ims lists. */
function placesOf(state: DoubleState, file: StoredFile, where: ChannelRecord | undefined): Obj {
  const places = { shares: { public: {}, private: {} }, channels: [], groups: [], ims: [] };
  if (!where || !file.shareTs) return places;
  const share = {
    ts: file.shareTs,
    ...(file.threadTs === undefined ? {} : { thread_ts: file.threadTs }),
    ...(where.isIm ? {} : { channel_name: where.name }),
    team_id: state.config.teamId,
    share_user_id: state.config.botUserId,
    reply_users: [],
    reply_users_count: 0,
    reply_count: 0,
  };
  const isPublic = !where.isPrivate && !where.isIm && !where.isMpim;
  const list = isPublic ? "channels" : where.isIm ? "ims" : "groups";
  return {
    ...places,
    shares: { ...places.shares, [isPublic ? "public" : "private"]: { [where.id]: [share] } },
    [list]: [where.id],
  };
}

/** files.* methods (upload v2 flow; the upload POST itself is served by server.ts). */
export const FILE_METHODS: Record<string, Method> = {
  "files.getUploadURLExternal": getUploadUrl,
  "files.completeUploadExternal": completeUpload,
  "files.info": fileInfo,
};
