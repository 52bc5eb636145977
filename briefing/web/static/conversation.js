// Runs once per conversation element (Gradio's js_on_load: `element` is the component's root):
// [n] markers open their passage in the sources panel, and "Copy for report" puts that answer's
// Markdown on the clipboard.
if (element.dataset.bfWired) return;
element.dataset.bfWired = "1";
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
      target.scrollIntoView({block: "nearest", behavior: "smooth"});
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
