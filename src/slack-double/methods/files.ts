import { ApiError, argNonEmpty, argNum, isObj, type Obj, requireArg } from "../args.ts";
import { FILE_LIMITS, UNCONFIRMED } from "../limits.ts";
import { checkThreadParent, storeMessage } from "../message-store.ts";
import type { DoubleState } from "../state.ts";
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
    if (threadTs !== undefined) f.threadTs = threadTs;
    if (initialComment !== undefined) f.initialComment = initialComment;
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
    return file;
  });
  share(state, args, files);
  return {
    files: files.map((f) => ({
      id: f.id,
      name: f.filename,
      title: f.title ?? f.filename,
      size: f.bytes?.length ?? f.length,
      created: Math.floor(state.now() / 1000),
    })),
  };
};

/** files.* methods (upload v2 flow; the upload POST itself is served by server.ts). */
export const FILE_METHODS: Record<string, Method> = {
  "files.getUploadURLExternal": getUploadUrl,
  "files.completeUploadExternal": completeUpload,
};
