// Runs once per timeline element (Gradio's js_on_load): an entry's [n] marker opens its passage
// below it, with the quoted sentence highlighted and scrolled into the middle, as in Ask.
if (element.dataset.bfWired) return;
element.dataset.bfWired = "1";
element.addEventListener("click", (event) => {
  const marker = event.target.closest("button.cite");
  if (!marker) return;
  event.preventDefault();
  const passage = element.querySelector(`#tl-passage-${marker.dataset.n}`);
  if (!passage) return;
  const opening = passage.hidden;
  passage.hidden = !opening;
  marker.classList.toggle("selected", opening);
  marker.setAttribute("aria-expanded", String(opening));
  const mark = passage.querySelector("mark");
  if (opening && mark && passage.scrollHeight > passage.clientHeight) {
    const box = passage.getBoundingClientRect(), rect = mark.getBoundingClientRect();
    passage.scrollTop += rect.top - box.top - (passage.clientHeight - Math.min(rect.height, passage.clientHeight)) / 2;
  }
});
