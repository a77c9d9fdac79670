// The mandate register page: a click on a cell of the matrix opens the paragraph's
// evidence in the panel. Every text is written with textContent: quotes and labels come
// from documents and stay text. The filters change the URL (a GET form).
(function () {
  "use strict";
  const data = document.getElementById("mandates-data");
  const panel = document.getElementById("mandates-panel");
  const form = document.getElementById("mandates-form");
  if (form) {
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.submit());
    }
  }
  if (!data || !panel) {
    window.mandatesReady = true;
    return;
  }
  const details = JSON.parse(data.textContent);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function show(iri, button) {
    const d = details[iri];
    if (!d) return;
    for (const b of document.querySelectorAll("button.cell.selected")) b.classList.remove("selected");
    if (button) button.classList.add("selected");
    panel.replaceChildren();
    panel.appendChild(el("h2", `${d.symbol} ${d.id}`));
    const line = el("p");
    line.appendChild(el("span", d.status, `status-tag status-${d.status}`));
    if (d.verb) line.appendChild(el("span", ` ${d.verb}`));
    panel.appendChild(line);
    if (d.addressees.length) {
      panel.appendChild(el("h3", "Addressed to"));
      const list = el("ul");
      for (const a of d.addressees) list.appendChild(el("li", a));
      panel.appendChild(list);
    }
    if (d.deliverables.length) {
      panel.appendChild(el("h3", "Asks for"));
      const list = el("ul", null, "deliverables");
      for (const x of d.deliverables) {
        list.appendChild(el("li", `${x.kind}: ${x.label}${x.due ? ` (due ${x.due})` : ""}`));
      }
      panel.appendChild(list);
    }
    panel.appendChild(el("h3", "Implemented by"));
    if (d.implementers.length) {
      const list = el("ul", null, "implementers");
      for (const x of d.implementers) list.appendChild(el("li", `${x.label} (${x.basis})`));
      panel.appendChild(list);
    } else {
      panel.appendChild(el("p", "nothing in the graph", "muted"));
    }
    panel.appendChild(el("h3", "Quoted from"));
    for (const s of d.sources) {
      const figure = el("figure", null, "source");
      figure.appendChild(el("blockquote", s.evidence, "evidence"));
      const where = `${s.document}, characters ${s.char_start}–${s.char_end}` +
        (s.method ? ` · ${s.method}` : "");
      figure.appendChild(el("figcaption", where, "muted"));
      panel.appendChild(figure);
    }
    const trace = el("a", "Trace this paragraph");
    trace.href = d.trace;
    panel.appendChild(el("p")).appendChild(trace);
  }

  for (const button of document.querySelectorAll("button.cell")) {
    button.addEventListener("click", () => show(button.dataset.paragraph, button));
  }
  window.mandatesReady = true;
})();
