// Runs once per conversation element (Gradio's js_on_load: `element` is the component's root):
// the chat follows new answers unless the reader scrolled up on purpose, [n] markers open their
// passage in the sources panel with the quoted sentence in the middle of it, and "Copy for report"
// puts that answer's Markdown on the clipboard.
if (element.dataset.bfWired) return;
element.dataset.bfWired = "1";

const scrolls = (node) => {
  const style = getComputedStyle(node);
  return /(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight + 1;
};
// The nearest ancestor of `node` (or node itself) that scrolls, up to `root`.
const scroller = (node, root) => {
  for (let n = node; n && n !== document.body; n = n.parentElement) {
    if (scrolls(n)) return n;
    if (n === root) break;
  }
  return null;
};
// Put `target` in the middle of each box that scrolls between it and `root`, innermost first; the page stays put.
const centre = (target, root) => {
  for (let n = target.parentElement; n && n !== document.body; n = n.parentElement) {
    if (scrolls(n)) {
      const box = n.getBoundingClientRect(), rect = target.getBoundingClientRect();
      n.scrollTop += rect.top - box.top - (n.clientHeight - Math.min(rect.height, n.clientHeight)) / 2;
    }
    if (n === root) break;
  }
};

// Following: on unless the reader scrolls up themselves; a new question turns it on again.
let follow = true, expected = -1;  // expected: where our own last scroll left the box
const chat = () => scroller(element.querySelector(".bf-thread") || element, element.parentElement?.parentElement);
const toLatest = () => {
  const box = chat();
  if (!box) return;
  const turns = element.querySelectorAll(".bf-turn");
  const last = turns[turns.length - 1];
  if (last && last.offsetHeight > box.clientHeight) {
    box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top;
  } else {
    box.scrollTop = box.scrollHeight;
  }
  expected = box.scrollTop;
};
document.addEventListener("scroll", (event) => {
  const box = chat();
  if (!box || event.target !== box) return;
  if (Math.abs(box.scrollTop - expected) <= 1) return;  // the scroll we made, not the reader's
  follow = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
}, true);
// A question sent while an answer is on its way is asked when that answer is done (the submit's
// trigger mode). Until then it shows as queued, so it does not look lost. The server re-renders the
// thread on every draft, so the note is put back after each; it goes once the answer above is done
// (the queued question then shows as the one being answered), or the conversation is cleared.
let queued = null;  // {text, done}: the waiting question, and how many answers were on screen when it was sent
const answered = () => element.querySelectorAll(".bf-turn:not(.bf-pending)").length;
const showQueued = () => {
  const note = element.querySelector(".bf-queued");
  const thread = element.querySelector(".bf-thread");
  if (queued && (answered() !== queued.done || !element.querySelector(".bf-pending"))) queued = null;
  if (!queued || !thread) {
    if (note) note.remove();
    return;
  }
  if (note && note.dataset.text === queued.text) return;
  if (note) note.remove();
  const item = document.createElement("article");
  item.className = "bf-queued";
  item.dataset.text = queued.text;
  item.innerHTML = '<div class="bf-q"><div class="bf-bubble"></div></div>'
    + '<div class="bf-a bf-draft"><div class="bf-label">Queued · asked when the answer above is done</div></div>';
  item.querySelector(".bf-bubble").textContent = queued.text;
  thread.appendChild(item);
};
const sent = () => {
  const box = document.querySelector("#bf-question textarea");
  const text = box ? box.value.trim() : "";
  if (!text || !element.querySelector(".bf-pending")) return;
  queued = {text, done: answered()};
  showQueued();
};
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.target.closest("#bf-question")) sent();
}, true);
document.addEventListener("click", (event) => {
  if (event.target.closest("#bf-question button")) sent();
}, true);

let pending = null;
new MutationObserver(() => {
  const now = element.querySelector(".bf-pending");
  if (now && now !== pending) follow = true;
  pending = now;
  showQueued();
  if (follow) requestAnimationFrame(toLatest);
}).observe(element, {subtree: true, childList: true, characterData: true});

element.addEventListener("click", async (event) => {
  const marker = event.target.closest("button.cite");
  if (marker) {
    event.preventDefault();
    const turn = marker.dataset.turn, n = marker.dataset.n;
    const panel = document.getElementById("sources-panel");
    if (!panel) return;
    panel.querySelectorAll(".bf-turn-sources").forEach((g) => g.classList.toggle("active", g.dataset.turn === turn));
    const id = `cite-${turn}-${n}`;
    panel.querySelectorAll("details.bf-cite").forEach((d) => { d.open = d.id === id; });
    element.querySelectorAll("button.cite.selected").forEach((b) => b.classList.remove("selected"));
    marker.classList.add("selected");
    const target = document.getElementById(id);
    if (target) {
      centre(target.querySelector("mark") || target, panel.parentElement?.parentElement);
      target.classList.remove("bf-flash"); void target.offsetWidth; target.classList.add("bf-flash");
    }
    return;
  }
  const copy = event.target.closest("button.bf-copy");
  if (copy) {
    const area = copy.parentElement.querySelector("textarea.bf-report-md");
    try {
      await navigator.clipboard.writeText(area.value);
      copy.textContent = "Copied ✓";
    } catch (err) {
      area.hidden = false; area.focus(); area.select();
      copy.textContent = "Press Ctrl+C to copy";
    }
    setTimeout(() => { copy.textContent = "Copy for report"; }, 2500);
  }
});
