/**
 * The sandbox page: a Slack-like client for what the local Slack double holds. It draws the
 * HTML the server rendered with the one Block Kit renderer, keeps it live through one
 * server-sent event stream per viewer (no polling), and sends every click, choice,
 * submission and command to the server, which passes it to the bot as Slack would.
 */
import { formatSlackDate } from "/slack-dates.js";

const $ = (id) => document.getElementById(id);

const state = {
  me: "",
  info: null,
  channels: new Map(),
  messages: new Map(),
  views: new Map(),
  reads: {},
  unread: {},
  replay: null,
  /** { kind: "channel", id } or { kind: "app", tab: "home" | "messages" } */
  current: null,
  /** { channel, ts } of the open thread */
  thread: null,
  dismissed: new Set(),
  /** Local notes from "Slackbot" (a refused command), by channel. */
  local: [],
  handPosts: [],
};
let events = null;

// --- Helpers ----------------------------------------------------------------------------

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function person(id) {
  return state.info?.people.find((p) => p.id === id);
}

function nameOf(userId) {
  if (userId === state.info?.botUserId) return "Switchboard";
  return person(userId)?.realName ?? userId;
}

function initials(name) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join("");
}

function colorOf(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h} 45% 42%)`;
}

function clockTime(ts) {
  return formatSlackDate(Math.floor(Number(ts)), "{time}", {});
}

function toast(text) {
  const el = document.createElement("div");
  el.className = "toast";
  el.textContent = text;
  $("toasts").append(el);
  setTimeout(() => el.remove(), 6000);
}

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  let json = {};
  try {
    json = await res.json();
  } catch {
    // an empty or non-JSON answer
  }
  return { status: res.status, ...json };
}

/** Sends an action; shows what Slack's client would show when the bot does not answer. */
async function act(kind, body) {
  const answer = await post(`/api/act/${kind}`, { as: state.me, ...body });
  if (answer.ok === false) toast(answer.error ?? "That did not work.");
  else if (answer.problem) toast(answer.problem);
  return answer;
}

/** Fills in date tokens, local datetime inputs and the viewer's own mentions. */
function finishRendering(root) {
  for (const t of root.querySelectorAll("time.sb-date")) {
    t.textContent = formatSlackDate(Number(t.dataset.ts), t.dataset.format, {});
    t.title = new Date(Number(t.dataset.ts) * 1000).toString();
  }
  for (const input of root.querySelectorAll("input.bk-datetime[data-initial]")) {
    if (input.value) continue;
    const d = new Date(Number(input.dataset.initial) * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    input.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  for (const m of root.querySelectorAll(`.mention[data-user="${state.me}"]`)) m.classList.add("me");
}

// --- Who sees what ----------------------------------------------------------------------

function visibleChannels() {
  return [...state.channels.values()].filter((c) => c.kind !== "im" || c.imUser === state.me);
}

function myIm() {
  return [...state.channels.values()].find((c) => c.kind === "im" && c.imUser === state.me);
}

function topLevel(channelId) {
  return [...state.messages.values()]
    .filter(
      (m) => m.channel === channelId && (!m.threadTs || m.broadcast) && !state.dismissed.has(m.key),
    )
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

function replies(channelId, ts) {
  return [...state.messages.values()]
    .filter((m) => m.channel === channelId && m.threadTs === ts && !state.dismissed.has(m.key))
    .sort((a, b) => (a.ts < b.ts ? -1 : 1));
}

function unreadIn(channelId) {
  const read = state.reads[channelId] ?? "";
  let unread = 0;
  let mentions = 0;
  for (const m of topLevel(channelId)) {
    if (m.user === state.me || m.ts <= read) continue;
    unread += 1;
    if (m.mentions.includes(state.me)) mentions += 1;
  }
  return { unread, mentions };
}

function currentChannelId() {
  if (!state.current) return undefined;
  if (state.current.kind === "channel") return state.current.id;
  return state.current.tab === "messages" ? myIm()?.id : undefined;
}

// --- Sidebar and persona switcher --------------------------------------------------------

function renderSidebar() {
  const channels = visibleChannels().filter((c) => c.kind !== "im");
  const list = $("channels");
  list.replaceChildren(
    ...channels.map((c) => {
      const { unread, mentions } = unreadIn(c.id);
      const member = c.members.includes(state.me);
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.channel = c.id;
      b.className = [
        state.current?.kind === "channel" && state.current.id === c.id ? "active" : "",
        member && unread > 0 ? "unread" : "",
        member ? "" : "not-member",
      ].join(" ");
      b.title = member
        ? (c.topic ?? "")
        : "You are not a member: you can read it, but Switchboard refuses your clicks";
      b.innerHTML = `<span>${c.kind === "channel" ? "#" : "🔒"}</span><span>${escapeHtml(c.name)}</span>${
        member && mentions > 0 ? `<span class="badge">${mentions}</span>` : ""
      }`;
      li.append(b);
      return li;
    }),
  );
  const im = myIm();
  const imUnread = im ? unreadIn(im.id).unread : 0;
  const active = state.current?.kind === "app" ? "active" : "";
  $("apps").innerHTML =
    `<li><button type="button" data-app="home" class="${active} ${imUnread ? "unread" : ""}"><span>🤖</span><span>Switchboard</span>${
      imUnread ? `<span class="badge">${imUnread}</span>` : ""
    }</button></li>`;
}

/**
 * A phone's width (the style sheet's breakpoint). "Priya Shah — Head of Customer Care (lead of
 * every department)" does not fit a 390 px picker and was cut mid-role, so there the picker
 * shows names and the role is written beneath it.
 */
const narrow = matchMedia("(max-width: 700px)");

function renderPersonaSwitcher() {
  const select = $("persona");
  const people = state.info?.people ?? [];
  select.replaceChildren(
    ...people.map((p) => {
      const o = document.createElement("option");
      o.value = p.id;
      const n = state.unread[p.id] ?? 0;
      const who = narrow.matches ? p.realName : `${p.realName} — ${p.title}`;
      o.textContent = `${who}${n > 0 && p.id !== state.me ? ` (${n})` : ""}`;
      o.selected = p.id === state.me;
      return o;
    }),
  );
  $("persona-role").textContent = person(state.me)?.title ?? "";
}
narrow.addEventListener("change", () => {
  renderPersonaSwitcher();
  renderComposerPlaceholder();
});

// --- Messages -----------------------------------------------------------------------------

function messageElement(m, inThread) {
  const el = document.createElement("div");
  el.className = `message${m.ephemeralTo ? " ephemeral" : ""}`;
  el.id = `${inThread ? "t" : "c"}-${m.key}`;
  el.dataset.key = m.key;
  el.dataset.channel = m.channel;
  el.dataset.ts = m.ts;
  const name = m.ephemeralTo && m.bot ? "Switchboard" : nameOf(m.user);
  const avatarColor = m.bot ? "#2eb67d" : colorOf(m.user);
  const threadSummary =
    !inThread && !m.threadTs && m.replyCount > 0
      ? `<div class="thread-summary"><button type="button" class="open-thread">${m.replyCount} ${m.replyCount === 1 ? "reply" : "replies"}</button>${
          m.latestReply
            ? `<span class="muted">Last reply ${escapeHtml(clockTime(m.latestReply))}</span>`
            : ""
        }</div>`
      : "";
  const broadcast =
    !inThread && m.threadTs && m.broadcast
      ? `<div class="broadcast-note">replied to a thread</div>`
      : "";
  const ephemeral = m.ephemeralTo
    ? `<div class="ephemeral-note">👁 Only visible to you · <button type="button" class="dismiss">Dismiss</button></div>`
    : "";
  const reactions = m.reactions.length
    ? `<div class="reactions">${m.reactions.map((r) => `<span class="reaction">:${escapeHtml(r.name)}: ${r.count}</span>`).join("")}</div>`
    : "";
  el.innerHTML = `<div class="avatar" style="background:${avatarColor}">${m.bot ? "SB" : escapeHtml(initials(name))}</div>
    <div class="message-main">
      <div class="message-head"><span class="author">${escapeHtml(name)}</span>${m.bot ? '<span class="app-badge">APP</span>' : ""}
        <span class="message-time" title="${escapeHtml(new Date(Number(m.ts) * 1000).toString())}">${escapeHtml(clockTime(m.ts))}</span>
        ${m.edited ? '<span class="edited">(edited)</span>' : ""}</div>
      ${broadcast}<div class="message-body">${m.html}</div>${reactions}${ephemeral}${threadSummary}
    </div>`;
  finishRendering(el);
  return el;
}

/** Puts a message in a list in ts order, replacing its old element in place. */
function placeMessage(container, m, inThread) {
  const id = `${inThread ? "t" : "c"}-${m.key}`;
  const old = document.getElementById(id);
  const el = messageElement(m, inThread);
  if (old) {
    const changed =
      old.querySelector(".message-body")?.innerHTML !==
      el.querySelector(".message-body")?.innerHTML;
    old.replaceWith(el);
    if (changed) el.classList.add("flash");
    return;
  }
  const after = [...container.querySelectorAll(":scope > .message")].find(
    (e) => e.dataset.ts > m.ts,
  );
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 120;
  if (after) after.before(el);
  else container.append(el);
  if (nearBottom) container.scrollTop = container.scrollHeight;
}

function renderLocalNotes(container, channelId) {
  for (const note of state.local.filter((n) => n.channel === channelId)) {
    const el = document.createElement("div");
    el.className = "message ephemeral";
    el.innerHTML = `<div class="avatar" style="background:#888">SB</div><div class="message-main"><div class="message-head"><span class="author">Slackbot</span></div><div class="message-body">${escapeHtml(note.text)}</div><div class="ephemeral-note">👁 Only visible to you</div></div>`;
    container.append(el);
  }
}

function welcomeHtml() {
  return `<div class="welcome"><h2>Welcome to the Switchboard sandbox</h2>
  <p>This is the real Switchboard bot, running against a stand-in for Slack. Try this:</p>
  <ol>
    <li>Open <b>Feed</b> (top right) and post a complaint, or replay the sample feed.</li>
    <li>Watch its card appear in its department's channel, with why it was routed and when it is due.</li>
    <li>Act as that department's agent (<b>Acting as</b>, top right) and click <b>Claim</b>; then act as someone else and click it too.</li>
    <li>Click <b>Hand over</b>, or type <code>/switchboard help</code> in a message box.</li>
    <li>Post a thank-you: praise is not a card but a note in <b>#sb-kudos</b>; news and chatter wait for the roll-up in <b>#sb-triage</b>.</li>
    <li>Leave a card alone for a minute: the SLA nudges and escalations arrive (see <b>SLA &amp; people</b>).</li>
  </ol></div>`;
}

function renderMain() {
  const header = $("main-header");
  const container = $("messages");
  const home = $("home");
  const tabs = $("app-tabs");
  const composer = $("composer");
  const cur = state.current;
  if (cur?.kind === "app") {
    header.innerHTML = `<span>🤖 Switchboard</span><span class="app-badge">APP</span>`;
    tabs.hidden = false;
    for (const b of tabs.querySelectorAll("button"))
      b.classList.toggle("active", b.dataset.tab === cur.tab);
  } else {
    const c = state.channels.get(cur?.id);
    header.innerHTML = c
      ? `<span># ${escapeHtml(c.name)}</span><span class="topic">${escapeHtml(c.topic ?? "")}</span>`
      : "";
    tabs.hidden = true;
  }
  const showHome = cur?.kind === "app" && cur.tab === "home";
  home.hidden = !showHome;
  container.hidden = showHome;
  composer.hidden = showHome;
  if (showHome) {
    renderHome();
    return;
  }
  const channelId = currentChannelId();
  container.replaceChildren();
  const list = channelId ? topLevel(channelId) : [];
  if (list.length === 0 && state.messages.size === 0) container.innerHTML = welcomeHtml();
  else if (list.length === 0)
    container.innerHTML = `<div class="empty">No messages here yet.</div>`;
  for (const m of list) container.append(messageElement(m, false));
  if (channelId) renderLocalNotes(container, channelId);
  renderComposerPlaceholder();
  container.scrollTop = container.scrollHeight;
  markRead();
}

/**
 * "Message #sb-baggage", as Slack's box says, with a hint at the command. On a phone the hint
 * was cut mid-word ("— or type /switch"), so there the box says what Slack's does.
 */
function renderComposerPlaceholder() {
  const cur = state.current;
  const to = cur?.kind === "app" ? "Switchboard" : `#${state.channels.get(cur?.id)?.name ?? ""}`;
  const hint = cur?.kind === "app" ? " — try /switchboard help" : " — or type /switchboard help";
  $("composer-text").placeholder = `Message ${to}${narrow.matches ? "" : hint}`;
}

function renderHome() {
  const home = $("home");
  const view = [...state.views.values()].find((v) => v.type === "home");
  home.innerHTML = view
    ? `<div data-view-id="${escapeHtml(view.id)}" class="home-view">${view.html}</div>`
    : `<div class="empty">Switchboard has not published a Home tab for ${escapeHtml(nameOf(state.me))} yet.</div>`;
  finishRendering(home);
}

function renderThread() {
  const pane = $("thread-pane");
  if (!state.thread) {
    pane.hidden = true;
    return;
  }
  pane.hidden = false;
  $("feed-pane").hidden = true;
  $("about-pane").hidden = true;
  const { channel, ts } = state.thread;
  const c = state.channels.get(channel);
  $("thread-title").textContent =
    `Thread · ${c?.kind === "im" ? "Switchboard" : `#${c?.name ?? ""}`}`;
  const container = $("thread-messages");
  container.replaceChildren();
  const parent = [...state.messages.values()].find(
    (m) => m.channel === channel && m.ts === ts && !m.threadTs,
  );
  if (parent) container.append(messageElement(parent, true));
  const list = replies(channel, ts);
  const divider = document.createElement("div");
  divider.className = "thread-divider";
  divider.textContent = `${list.length} ${list.length === 1 ? "reply" : "replies"}`;
  container.append(divider);
  for (const m of list) container.append(messageElement(m, true));
}

function markRead() {
  const channelId = currentChannelId();
  if (!channelId || document.hidden) return;
  const latest = topLevel(channelId).at(-1);
  if (!latest || (state.reads[channelId] ?? "") >= latest.ts) return;
  state.reads[channelId] = latest.ts;
  void post("/api/read", { as: state.me, channel: channelId, ts: latest.ts });
  renderSidebar();
}

// --- Modals ---------------------------------------------------------------------------------

function topModal() {
  return [...state.views.values()]
    .filter((v) => v.type === "modal" && v.isOpen)
    .sort((a, b) => a.order - b.order)
    .at(-1);
}

/** What each input of a form holds now, by block and action id. */
function readInputs(root) {
  const values = {};
  for (const el of root.querySelectorAll(".bk-input .bk-el[data-action-id]")) {
    const { blockId, actionId, type } = el.dataset;
    values[blockId] ??= {};
    values[blockId][actionId] = readElement(el, type);
  }
  return values;
}

function readElement(el, type) {
  if (el.tagName === "SELECT") {
    const chosen = [...el.selectedOptions].map((o) => o.value).filter((v) => v !== "");
    return el.multiple ? chosen : (chosen[0] ?? null);
  }
  if (type === "checkboxes") return [...el.querySelectorAll("input:checked")].map((i) => i.value);
  if (type === "radio_buttons") return el.querySelector("input:checked")?.value ?? null;
  if (type === "datetimepicker")
    return el.value ? Math.floor(new Date(el.value).getTime() / 1000) : null;
  if ("value" in el) return el.value === "" ? null : el.value;
  return null;
}

function restoreInputs(root, values) {
  for (const el of root.querySelectorAll(".bk-input .bk-el[data-action-id]")) {
    const v = values[el.dataset.blockId]?.[el.dataset.actionId];
    if (v === undefined) continue;
    if (el.tagName === "SELECT")
      for (const o of el.options)
        o.selected = Array.isArray(v) ? v.includes(o.value) : o.value === v;
    else if (el.dataset.type === "checkboxes")
      for (const i of el.querySelectorAll("input")) i.checked = v.includes(i.value);
    else if (el.dataset.type === "radio_buttons")
      for (const i of el.querySelectorAll("input")) i.checked = i.value === v;
    else if (el.dataset.type !== "datetimepicker" && "value" in el) el.value = v ?? "";
  }
}

function isEmpty(v) {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

function renderModal() {
  const root = $("modal");
  const view = topModal();
  if (!view) {
    root.hidden = true;
    root.replaceChildren();
    return;
  }
  const previous = root.querySelector(".modal");
  const kept = previous?.dataset.viewId === view.id ? readInputs(previous) : {};
  root.hidden = false;
  root.innerHTML = `<div class="modal" role="dialog" aria-modal="true" data-view-id="${escapeHtml(view.id)}">
    <div class="modal-header">${view.previousId ? '<button type="button" class="modal-back" aria-label="Back">‹</button>' : ""}<span class="modal-title">${view.titleHtml}</span><button type="button" class="modal-x" aria-label="Close">×</button></div>
    <div class="modal-body">${view.html}</div>
    <div class="modal-footer"><button type="button" class="modal-close">${view.closeHtml}</button>${
      view.submitHtml
        ? `<button type="button" class="modal-submit">${view.submitHtml}</button>`
        : ""
    }</div></div>`;
  const modal = root.querySelector(".modal");
  restoreInputs(modal, kept);
  finishRendering(modal);
  showErrors(modal, view.errors ?? {});
  modal.querySelector("[data-focus='1'], .bk-input .bk-el")?.focus?.();
}

function showErrors(modal, errors) {
  for (const field of modal.querySelectorAll(".bk-input")) {
    const blockId = field.dataset.blockId;
    const box = field.querySelector(".bk-error");
    if (box) box.textContent = errors[blockId] ?? "";
    field.querySelector(".bk-input-field")?.classList.toggle("has-error", Boolean(errors[blockId]));
  }
}

async function submitModal(modal) {
  const viewId = modal.dataset.viewId;
  const values = readInputs(modal);
  const errors = {};
  for (const field of modal.querySelectorAll(".bk-input")) {
    const el = field.querySelector(".bk-el[data-action-id]");
    if (!el) continue;
    const value = values[el.dataset.blockId]?.[el.dataset.actionId];
    const optional = field.querySelector(".bk-input-field")?.dataset.optional === "1";
    if (!optional && isEmpty(value))
      errors[field.dataset.blockId] = "Please complete this required field.";
    const min = Number(el.getAttribute("minlength") ?? 0);
    if (typeof value === "string" && min > 0 && value.length < min) {
      errors[field.dataset.blockId] = `Please enter at least ${min} characters.`;
    }
  }
  showErrors(modal, errors);
  if (Object.keys(errors).length > 0) return;
  const submit = modal.querySelector(".modal-submit");
  if (submit) submit.disabled = true;
  const answer = await act("submit", { viewId, values });
  if (submit) submit.disabled = false;
  if (answer.blockId) showErrors(modal, { [answer.blockId]: answer.error });
}

// --- Confirm dialogs ------------------------------------------------------------------------

function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  const c = JSON.parse(confirm);
  const root = $("confirm");
  root.hidden = false;
  root.innerHTML = `<div class="confirm" role="alertdialog" aria-modal="true"><b>${escapeHtml(c.title)}</b><div>${escapeHtml(c.text)}</div>
    <div class="confirm-footer"><button type="button" class="confirm-no">${escapeHtml(c.deny)}</button><button type="button" class="confirm-yes ${c.style === "danger" ? "danger" : ""}">${escapeHtml(c.confirm)}</button></div></div>`;
  return new Promise((resolve) => {
    root.onclick = (e) => {
      const yes = e.target.closest(".confirm-yes");
      const no = e.target.closest(".confirm-no") || e.target === root;
      if (!yes && !no) return;
      root.hidden = true;
      root.onclick = null;
      resolve(Boolean(yes));
    };
  });
}

// --- Where an element lives: a message or a view ------------------------------------------

function surfaceOf(el) {
  const view = el.closest("[data-view-id]");
  if (view) return { viewId: view.dataset.viewId };
  const message = el.closest(".message");
  if (message) return { channel: message.dataset.channel, ts: message.dataset.ts };
  return null;
}

async function clickButton(button) {
  const surface = surfaceOf(button);
  if (!surface) return;
  if (!(await confirmFirst(button.dataset.confirm))) return;
  if (button.dataset.url) window.open(button.dataset.url, "_blank", "noopener");
  button.classList.add("busy");
  try {
    await act("button", {
      ...surface,
      actionId: button.dataset.actionId,
      blockId: button.dataset.blockId,
      ...(button.dataset.value === undefined ? {} : { value: button.dataset.value }),
    });
  } finally {
    button.classList.remove("busy");
  }
}

async function choose(el, value) {
  const surface = surfaceOf(el);
  if (!surface) return;
  if (!(await confirmFirst(el.dataset.confirm))) return;
  await act("select", {
    ...surface,
    actionId: el.dataset.actionId,
    blockId: el.dataset.blockId,
    value,
  });
}

// --- Events from the page -------------------------------------------------------------------

/** A Slack permalink (https://x.slack.com/archives/C…/p…): Slack opens it in the app, and so does the page. */
function permalinkOf(href) {
  const m = /^https:\/\/[a-z0-9-]+\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{7,})(?:\?(.*))?$/.exec(
    href ?? "",
  );
  if (!m) return null;
  const ts = `${m[2].slice(0, -6)}.${m[2].slice(-6)}`;
  const threadTs = new URLSearchParams(m[3] ?? "").get("thread_ts");
  return { channel: m[1], ts, threadTs };
}

function openPermalink(link) {
  if (!state.channels.has(link.channel)) return toast("That conversation is not visible to you.");
  const im = myIm();
  if (im && link.channel === im.id) openApp("messages");
  else openChannel(link.channel);
  const parentTs = link.threadTs ?? link.ts;
  if (link.threadTs) {
    state.thread = { channel: link.channel, ts: link.threadTs };
    renderThread();
  }
  const el = document.getElementById(`c-m:${link.channel}:${parentTs}`);
  el?.scrollIntoView({ block: "center" });
  el?.classList.add("flash");
}

document.addEventListener("click", (e) => {
  const t = e.target;
  if (!(t instanceof Element)) return;
  const anchor = t.closest("a[href]");
  const permalink = anchor ? permalinkOf(anchor.getAttribute("href")) : null;
  if (permalink) {
    e.preventDefault();
    return openPermalink(permalink);
  }
  const channelButton = t.closest("#channels button[data-channel]");
  if (channelButton) return openChannel(channelButton.dataset.channel);
  if (t.closest("#apps button")) return openApp("home");
  const tab = t.closest("#app-tabs button");
  if (tab) return openApp(tab.dataset.tab);
  const channelLink = t.closest(".channel-link[data-channel]");
  if (channelLink && state.channels.has(channelLink.dataset.channel))
    return openChannel(channelLink.dataset.channel);
  if (t.closest(".open-thread")) {
    const m = t.closest(".message");
    state.thread = { channel: m.dataset.channel, ts: m.dataset.ts };
    return renderThread();
  }
  if (t.closest("#close-thread")) {
    state.thread = null;
    return renderThread();
  }
  if (t.closest(".dismiss")) {
    state.dismissed.add(t.closest(".message").dataset.key);
    renderMain();
    return renderThread();
  }
  const toggle = t.closest(".bk-overflow-toggle");
  if (toggle) {
    const menu = toggle.nextElementSibling;
    menu.hidden = !menu.hidden;
    return;
  }
  const option = t.closest(".bk-overflow-option");
  if (option) {
    option.parentElement.hidden = true;
    if (option.dataset.url) window.open(option.dataset.url, "_blank", "noopener");
    return void choose(option.closest(".bk-overflow"), option.dataset.optionValue);
  }
  const button = t.closest("button.bk-button");
  if (button) return void clickButton(button);
  const modal = t.closest(".modal");
  if (modal && t.closest(".modal-submit")) return void submitModal(modal);
  if (modal && t.closest(".modal-close, .modal-back"))
    return void act("close", { viewId: modal.dataset.viewId });
  if (modal && t.closest(".modal-x")) {
    const view = state.views.get(modal.dataset.viewId);
    return void act("close", { viewId: view?.rootId ?? modal.dataset.viewId });
  }
  const close = t.closest("[data-close]");
  if (close) return togglePane(close.dataset.close, false);
});

/** Elements that send block_actions as soon as their value changes. */
document.addEventListener("change", (e) => {
  const t = e.target;
  if (!(t instanceof Element)) return;
  const el = t.closest(".bk-el[data-dispatch='1']");
  if (!el || el.classList.contains("bk-button")) return;
  const type = el.dataset.type;
  void choose(el, readElement(el, type));
});

function submitComposer(textarea, threadTs) {
  const text = textarea.value.trim();
  const channel = threadTs ? state.thread?.channel : currentChannelId();
  if (!text || !channel) return;
  textarea.value = "";
  void act("compose", { channel, text, ...(threadTs ? { threadTs } : {}) }).then((answer) => {
    if (answer.ok === false) {
      state.local.push({ channel, text: answer.error });
      renderMain();
    }
  });
}

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  submitComposer($("composer-text"));
});
$("thread-composer").addEventListener("submit", (e) => {
  e.preventDefault();
  submitComposer($("thread-text"), state.thread?.ts);
});
for (const [id, thread] of [
  ["composer-text", false],
  ["thread-text", true],
]) {
  $(id).addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.shiftKey) return;
    e.preventDefault();
    submitComposer($(id), thread ? state.thread?.ts : undefined);
  });
}

$("persona").addEventListener("change", (e) => switchPersona(e.target.value));
$("toggle-feed").addEventListener("click", () => togglePane("feed"));
$("toggle-about").addEventListener("click", () => togglePane("about"));
document.addEventListener("visibilitychange", markRead);

function togglePane(name, show) {
  const pane = $(`${name}-pane`);
  const visible = show ?? pane.hidden;
  for (const other of ["feed", "about"]) {
    $(`${other}-pane`).hidden = true;
    $(`toggle-${other}`).setAttribute("aria-pressed", "false");
  }
  pane.hidden = !visible;
  $(`toggle-${name}`).setAttribute("aria-pressed", String(visible));
  if (visible && name === "feed") freshenCampaignTimes();
  if (visible) $("thread-pane").hidden = true;
  else if (state.thread) renderThread();
}

function openChannel(id) {
  state.current = { kind: "channel", id };
  state.thread = null;
  renderSidebar();
  renderMain();
  renderThread();
}

function openApp(tab) {
  state.current = { kind: "app", tab };
  state.thread = null;
  renderSidebar();
  renderMain();
  renderThread();
  if (tab === "home") void act("home", {});
}

// --- Feed panel ---------------------------------------------------------------------------

$("post-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const body = {
    source: form.get("source"),
    handle: form.get("handle"),
    name: form.get("name") || undefined,
    followers: form.get("followers") === "" ? undefined : Number(form.get("followers")),
    verified: form.get("verified") === "on",
    text: form.get("text"),
    conversationId: form.get("conversationId") || undefined,
  };
  const result = $("post-result");
  result.className = "feed-result";
  result.textContent = "Posting…";
  const answer = await post("/api/feed/complaint", body);
  if (answer.status === 202) {
    const b = answer.body;
    result.textContent = b.duplicate
      ? "Already filed: a duplicate changes nothing."
      : describeFiled(b);
    if (!body.conversationId) {
      state.handPosts.unshift({
        conversationId: b.conversationId ?? undefined,
        text: body.text,
        id: b.complaintId,
      });
    }
    refreshConversations(answer);
    e.target.elements.text.value = "";
  } else {
    result.className = "feed-result bad";
    const issues = answer.body?.error?.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
    result.textContent =
      issues || answer.body?.error?.message || answer.error || `HTTP ${answer.status}`;
  }
});

/** Where a filed post went, from the intake answer and its kind's profile. */
function describeFiled(b) {
  const dept = state.info.departments.find((d) => d.key === b.department);
  const name = dept?.name ?? b.department;
  const profile = state.info.kinds?.find((k) => k.kind === b.kind);
  if (profile?.shown === "channel") {
    return `Filed as ${b.kind} for ${name}: a note goes to ${profile.channel}, with no SLA clocks.`;
  }
  if (profile?.shown === "rollup") {
    return `Filed as ${b.kind} for ${name}: no card and no SLA clocks; it is listed in the next roll-up in ${profile.channel} (${describeSchedule(profile.at)}).`;
  }
  const what = b.kind && b.kind !== "complaint" ? `a ${b.kind}, ${b.priority}` : b.priority;
  return `Filed as ${what} for ${name}; its card goes to ${dept?.channel ?? "its channel"}.`;
}

/** "daily at 17:00", "every 5 minutes", or the cron fields as written. */
function describeSchedule(at) {
  if (/^\d\d:\d\d$/.test(at ?? "")) return `daily at ${at}`;
  const every = /^\*\/(\d+) \* \* \* \*$/.exec(at ?? "");
  return every ? `every ${every[1]} minutes` : `on the schedule "${at}"`;
}

/** Offers earlier hand-typed posts as conversations to follow up in. */
function refreshConversations() {
  const select = $("post-conversation");
  const chosen = select.value;
  select.replaceChildren(new Option("A new post", ""));
  for (const p of state.handPosts) {
    if (!p.conversationId) continue;
    select.append(new Option(`Follow-up to “${p.text.slice(0, 40)}”`, p.conversationId));
  }
  select.value = chosen;
}

$("replay-start").addEventListener("click", () =>
  post("/api/feed/replay", { pace: $("replay-pace").value }),
);
$("replay-stop").addEventListener("click", () => post("/api/feed/replay/stop", {}));

function renderReplay() {
  const s = state.replay;
  if (!s) return;
  const bar = $("replay-progress");
  bar.max = Math.max(1, s.total);
  bar.value = s.sent;
  const words = { idle: "Not started.", running: "Replaying…", done: "Done.", stopped: "Stopped." }[
    s.state
  ];
  $("replay-status").textContent = s.total
    ? `${words} ${s.sent} of ${s.total} sent · ${s.duplicates} duplicates · ${s.rejected} rejected${s.lastProblem ? ` · ${s.lastProblem}` : ""}`
    : words;
}

function renderAbout() {
  const info = state.info;
  const sla = info.sla
    .map(
      (w) =>
        `<tr><th>${w.priority}</th><td>${w.claim ?? "—"}</td><td>${w.firstResponse}</td><td>${w.nextResponse ?? "—"}</td><td>${w.resolution ?? "—"}</td></tr>`,
    )
    .join("");
  const people = info.people
    .map((p) => `<li><b>${escapeHtml(p.realName)}</b> — ${escapeHtml(p.title)}</li>`)
    .join("");
  const depts = info.departments
    .map((d) => `<li>${escapeHtml(d.name)}: <b>${escapeHtml(d.channel)}</b></li>`)
    .join("");
  $("about-body").innerHTML = `<h3>SLA windows in this sandbox</h3>
    <table class="sla"><tr><th></th><th>Claim</th><th>First response</th><th>Next response</th><th>Resolution</th></tr>${sla}</table>
    <p class="muted">The clocks run around the clock here (no business calendars), so nudges come while you watch.</p>
    <h3>When a window runs down</h3><ul>${info.escalation.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>
    <h3>Kinds of post</h3><ul>${(info.kinds ?? []).map((k) => `<li>${escapeHtml(describeKind(k))}</li>`).join("")}</ul>
    <h3>People you can act as</h3><ul class="people">${people}</ul>
    <h3>Departments</h3><ul>${depts}</ul>
    <h3>The intake API, for scripts</h3><pre>${escapeHtml(info.intake.curl)}</pre>`;
}

/** "Praise: no SLA clocks; a note in #sb-kudos as it arrives." */
function describeKind(k) {
  const name = k.kind.charAt(0).toUpperCase() + k.kind.slice(1);
  // The config's names (firstResponse) in the words of the SLA table above (first response).
  const names = k.clocks.map((c) => c.replace(/[A-Z]/g, (l) => ` ${l.toLowerCase()}`));
  const clocks = names.length > 0 ? `${names.join(", ")} clocks` : "no SLA clocks";
  const where =
    k.shown === "channel"
      ? `a note in ${k.channel} as it arrives`
      : k.shown === "rollup"
        ? `listed in a roll-up in ${k.channel}, ${describeSchedule(k.at)}`
        : "a card on the department's desk";
  return `${name}: ${clocks}; ${where}.`;
}

// --- Campaigns (when the bot has them) ---------------------------------------------------------

function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An ISO 8601 time with the viewer's own offset, as the campaigns API asks. */
function isoWithOffset(local) {
  const d = new Date(local);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${local}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

function renderCampaignForm() {
  const campaigns = state.info?.campaigns;
  $("campaign-section").hidden = !campaigns;
  if (!campaigns || $("campaign-form").childElementCount > 0) return;
  const now = Date.now();
  const departments = state.info.departments
    .map(
      (d) =>
        `<label class="check"><input type="checkbox" name="departments" value="${escapeHtml(d.key)}"> ${escapeHtml(d.name)}</label>`,
    )
    .join("");
  const channels = campaigns.channels
    .map(
      (c) =>
        `<label class="check"><input type="checkbox" name="channels" value="${escapeHtml(c.key)}"> ${escapeHtml(c.label)}</label>`,
    )
    .join("");
  $("campaign-form").innerHTML = `
    <label>Name <input name="name" required value="Spring sale: 20% off Lisbon"></label>
    <div class="row">
      <label>Launches <input name="launchAt" type="datetime-local" required value="${localInput(new Date(now + 15 * 60_000))}"></label>
      <label>Ends <input name="endAt" type="datetime-local" required value="${localInput(new Date(now + 2 * 86_400_000))}"></label>
    </div>
    <fieldset class="choices"><legend>Departments that should know</legend>${departments}</fieldset>
    <fieldset class="choices"><legend>Marketing channels</legend>${channels}</fieldset>
    <label>Keywords that link complaints to it <input name="keywords" value="spring sale, lisbon, promo code"></label>
    <label>Expected complaints <input name="expectedVolume" type="number" min="0" value="40"></label>
    <label>Talking points <textarea name="talkingPoints" rows="2">The code works on flights booked before 31 May.</textarea></label>
    <button type="submit" class="primary">Announce</button>
    <p class="muted">Announced by the person you act as, through Switchboard's campaigns API.</p>`;
  for (const input of $("campaign-form").querySelectorAll("input[type=datetime-local]")) {
    input.addEventListener("input", () => {
      input.dataset.edited = "1";
    });
  }
}

/**
 * The suggested launch (in 15 minutes) and end (in two days), from now: set when the page
 * loaded, a launch time left alone went stale, and announcing it a few minutes later was
 * "Announced late" with the leads alerted. Times the viewer typed are theirs and kept.
 */
function freshenCampaignTimes() {
  const now = Date.now();
  const suggested = { launchAt: now + 15 * 60_000, endAt: now + 2 * 86_400_000 };
  for (const [name, at] of Object.entries(suggested)) {
    const input = $("campaign-form").querySelector(`input[name=${name}]`);
    if (input && !input.dataset.edited) input.value = localInput(new Date(at));
  }
}

$("campaign-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const body = {
    name: form.get("name"),
    launchAt: isoWithOffset(form.get("launchAt")),
    endAt: isoWithOffset(form.get("endAt")),
    departments: form.getAll("departments"),
    channels: form.getAll("channels"),
    keywords: String(form.get("keywords") ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
    expectedVolume: form.get("expectedVolume") === "" ? null : Number(form.get("expectedVolume")),
    talkingPoints: form.get("talkingPoints") || null,
    owner: state.me,
  };
  const result = $("campaign-result");
  result.className = "feed-result";
  result.textContent = "Announcing…";
  const answer = await post("/api/feed/campaign", body);
  if (answer.status < 300 && answer.ok !== false) {
    result.textContent = `Announced${answer.body?.late ? " late" : ""}: the departments' channels get a heads-up to acknowledge.${answer.body?.warning ? ` ${answer.body.warning}` : ""}`;
  } else {
    result.className = "feed-result bad";
    const issues = answer.body?.error?.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
    result.textContent =
      issues || answer.body?.error?.message || answer.error || `HTTP ${answer.status}`;
  }
});

// --- Live updates -----------------------------------------------------------------------------

function applyDelta(d) {
  if (d.type === "channel") {
    state.channels.set(d.channel.id, d.channel);
    renderSidebar();
    return;
  }
  if (d.type === "unread") {
    state.unread = d.counts;
    renderPersonaSwitcher();
    return;
  }
  if (d.type === "replay") {
    state.replay = d.status;
    renderReplay();
    return;
  }
  if (d.type === "view") {
    state.views.set(d.view.id, d.view);
    if (!d.view.isOpen) state.views.delete(d.view.id);
    if (d.view.type === "home") {
      if (state.current?.kind === "app" && state.current.tab === "home") renderHome();
    } else renderModal();
    return;
  }
  if (d.type === "message-removed") {
    state.messages.delete(d.key);
    document.getElementById(`c-${d.key}`)?.remove();
    document.getElementById(`t-${d.key}`)?.remove();
    renderSidebar();
    return;
  }
  if (d.type === "message") {
    const m = d.message;
    const first = state.messages.size === 0;
    state.messages.set(m.key, m);
    if (first) return renderMain();
    const channelId = currentChannelId();
    if (m.channel === channelId && (!m.threadTs || m.broadcast)) {
      const container = $("messages");
      container.querySelector(".empty, .welcome")?.remove();
      placeMessage(container, m, false);
      markRead();
    }
    if (
      state.thread &&
      m.channel === state.thread.channel &&
      (m.ts === state.thread.ts || m.threadTs === state.thread.ts)
    ) {
      if (m.threadTs) placeMessage($("thread-messages"), m, true);
      else renderThread();
    }
    renderSidebar();
  }
}

function connect() {
  events?.close();
  const source = new EventSource(`/events?as=${encodeURIComponent(state.me)}`);
  events = source;
  source.addEventListener("snapshot", (e) => {
    const s = JSON.parse(e.data);
    state.me = s.me;
    state.info = s.info;
    state.replay = s.replay;
    state.channels = new Map(s.channels.map((c) => [c.id, c]));
    state.messages = new Map(s.messages.map((m) => [m.key, m]));
    state.views = new Map(s.views.map((v) => [v.id, v]));
    state.reads = s.reads;
    state.unread = s.unread;
    $("team-name").textContent = s.info.team;
    $("connection").classList.remove("down");
    if (
      !state.current ||
      (state.current.kind === "channel" && !state.channels.has(state.current.id))
    ) {
      const first =
        visibleChannels().find((c) => c.kind !== "im" && c.members.includes(state.me)) ??
        visibleChannels()[0];
      state.current = first ? { kind: "channel", id: first.id } : { kind: "app", tab: "home" };
    }
    renderPersonaSwitcher();
    renderSidebar();
    renderMain();
    renderThread();
    renderModal();
    renderReplay();
    renderAbout();
    renderCampaignForm();
    document.body.dataset.ready = state.me;
  });
  source.addEventListener("delta", (e) => applyDelta(JSON.parse(e.data)));
  source.onerror = () => $("connection").classList.add("down");
}

function switchPersona(id) {
  state.me = id;
  state.thread = null;
  state.local = [];
  const url = new URL(location.href);
  url.searchParams.set("as", id);
  history.replaceState(null, "", url);
  localStorage.setItem("sandbox-as", id);
  delete document.body.dataset.ready;
  connect();
  if (state.current?.kind === "app" && state.current.tab === "home") void act("home", {});
}

// Relative dates ("5 minutes ago") move on without asking the server anything.
setInterval(() => finishRendering(document), 30_000);

state.me =
  new URL(location.href).searchParams.get("as") ?? localStorage.getItem("sandbox-as") ?? "";
connect();
