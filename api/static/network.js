// The co-sponsorship network: positions come from the server (physics off), filters
// redraw in place, hover highlights partners, a click opens the organization's panel.
// Text from documents only ever enters the page through textContent.
"use strict";

const FADED = "#e3e7ec";
const HIGHLIGHT_LIMIT = 600;  // past this many nodes, recolouring all on hover is too slow:
                              // vis-network's own hover still highlights the edges
let network = null;
let nodes = null;
let edges = null;
let colors = new Map();

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

function tooltip(node) {
  const box = el("div");
  box.append(el("strong", node.name), el("br"), el("span", node.type || "organization"));
  box.append(el("br"), el("span", `${node.events} event(s), ${node.shared} shared`));
  return box;
}

function describe(data) {
  const note = document.getElementById("note");
  if (data.shown === 0) {
    note.textContent = "No organization matches these filters.";
  } else {
    let text = `Showing ${data.shown} of ${data.total} organizations`;
    if (data.left_out > 0) {
      text += `; the ${data.left_out} with the fewest shared events are left out. ` +
        `Raise "Draw at most" (now ${data.max_nodes}, up to 3000) or narrow the filters to see them.`;
    } else {
      text += ".";
    }
    note.textContent = text;
  }
  const legend = document.getElementById("legend");
  legend.replaceChildren(...data.legend.map(([name, color]) => {
    const item = el("li");
    const swatch = el("span", null, { class: "swatch" });
    swatch.style.background = color;
    item.append(swatch, el("span", name));
    return item;
  }));
}

function draw(data) {
  colors = new Map(data.nodes.map((n) => [n.id, n.color]));
  const shaped = data.nodes.map((n) => ({ ...n, title: tooltip(n) }));
  const linked = data.edges.map((e, i) => ({ ...e, id: i, title: `${e.shared} shared event(s)` }));
  if (network === null) {
    nodes = new vis.DataSet(shaped);
    edges = new vis.DataSet(linked);
    network = new vis.Network(document.getElementById("network"), { nodes, edges }, data.options);
    network.on("hoverNode", (params) => highlight(params.node));
    network.on("blurNode", () => highlight(null));
    network.on("click", (params) => {
      if (params.nodes.length === 0) {
        if (document.getElementById("panel") !== null) setParam("selected", null);
        return;
      }
      const node = nodes.get(params.nodes[0]);
      if (document.getElementById("panel") === null) {  // an organization page: go to the partner's
        window.location.assign(`/viz/organizations/${encodeURIComponent(node.key)}`);
      } else {
        select(node);
      }
    });
    network.on("beforeDrawing", (ctx) => {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
    });
    network.once("afterDrawing", () => { window.mkgDrawnAt = performance.now(); });
    window.mkgNetwork = network;
  } else {
    nodes.clear();
    edges.clear();
    nodes.add(shaped);
    edges.add(linked);
    network.fit();
  }
  describe(data);
  if (document.getElementById("panel") === null) return;
  if (new URLSearchParams(window.location.search).get("selected")) {
    restoreSelection(data);
  } else if (data.focus) {
    network.selectNodes([data.focus]);
    showPanel(nodes.get(data.focus));
  }
}

// The view lives in the address: the filters (the form, on each redraw) and the
// organization whose panel is open (?selected=KEY), so a reload or a shared link opens
// the same view.
function setParam(name, value) {
  const params = new URLSearchParams(window.location.search);
  if (value) params.set(name, value);
  else params.delete(name);
  const search = params.toString();
  history.replaceState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
}

function select(node) {
  network.selectNodes([node.id]);
  showPanel(node);
  setParam("selected", node.key);
}

function restoreSelection(data) {
  const wanted = new URLSearchParams(window.location.search).get("selected");
  const node = wanted ? data.nodes.find((n) => n.key === wanted) : null;
  if (node) select(nodes.get(node.id));
  else if (wanted) setParam("selected", null);  // not drawn under these filters
}

function highlight(center) {
  if (nodes.length > HIGHLIGHT_LIMIT) return;
  const near = center === null ? null : new Set([center, ...network.getConnectedNodes(center)]);
  nodes.update(nodes.getIds().map((id) => ({
    id,
    color: near === null || near.has(id) ? colors.get(id) : FADED,
  })));
}

async function showPanel(node) {
  const title = document.getElementById("panel-title");
  const body = document.getElementById("panel-body");
  title.textContent = node.name;
  body.replaceChildren(el("p", "loading…", { class: "muted" }));
  const answer = await fetch(`/api/organizations/${encodeURIComponent(node.key)}`);
  if (!answer.ok) {
    body.replaceChildren(el("p", `could not load ${node.key} (${answer.status})`));
    return;
  }
  const org = await answer.json();
  const parts = [];
  const facts = el("p", null, { class: "muted" });
  facts.append(el("span", `${org.type || "organization"} · `));
  facts.append(el("a", "page", { href: `/viz/organizations/${encodeURIComponent(org.id)}` }));
  facts.append(el("span", " · "));
  facts.append(el("a", "linked data", { href: `/id/org/${encodeURIComponent(org.id)}` }));
  facts.append(el("span", " · "));
  facts.append(el("a", "focus here", { href: `/viz/network?org=${encodeURIComponent(org.id)}` }));
  parts.push(facts);

  parts.push(el("h3", `Events (${org.events.length})`));
  const events = el("ol", null, { id: "panel-events" });
  for (const event of org.events) {
    const item = el("li");
    item.append(el("span", event.start || "undated", { class: "date" }));
    item.append(el("a", event.label, { href: `/id/event/${encodeURIComponent(event.id)}` }));
    events.append(item);
  }
  parts.push(events);

  if (org.partners.length > 0) {
    parts.push(el("h3", `Partners (${org.partners.length})`));
    const partners = el("ul");
    for (const partner of org.partners.slice(0, 15)) {
      const item = el("li");
      item.append(el("a", partner.org.label, {
        href: `/viz/network?org=${encodeURIComponent(partner.org.id)}`,
      }));
      item.append(el("span", ` ${partner.shared_events} shared`, { class: "muted" }));
      partners.append(item);
    }
    parts.push(partners);
  }

  parts.push(el("h3", `Sources (${org.sources.length})`));
  for (const source of org.sources.slice(0, 12)) {
    parts.push(el("div", `${source.document} [${source.char_start}:${source.char_end}] ${source.method || ""}`,
      { class: "source-doc" }));
    parts.push(el("blockquote", source.evidence, { class: "evidence" }));
  }
  if (org.sources.length > 12) {
    parts.push(el("p", `${org.sources.length - 12} more on the organization's page.`, { class: "muted" }));
  }
  body.classList.remove("muted");
  body.replaceChildren(...parts);
}

function query(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (value !== "") params.set(key, value);
  }
  return params;
}

async function redraw(form) {
  const params = query(form);
  const answer = await fetch(`/viz/network.json?${params}`);
  const note = document.getElementById("note");
  if (!answer.ok) {
    const problem = await answer.json().catch(() => ({ detail: answer.statusText }));
    note.textContent = `Cannot draw this: ${problem.detail}`;
    return;
  }
  const selected = new URLSearchParams(window.location.search).get("selected");
  const data = await answer.json();
  draw(data);  // reopens the selected organization's panel if it is still drawn
  if (selected && data.nodes.some((n) => n.key === selected)) params.set("selected", selected);
  history.replaceState(null, "", `/viz/network?${params}`);
}

function savePng() {
  const canvas = document.querySelector("#network canvas");
  canvas.toBlob((blob) => {
    const link = el("a", null, { href: URL.createObjectURL(blob), download: "migration-kg-network.png" });
    document.body.append(link);
    link.click();
    link.remove();
  }, "image/png");
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  if (form !== null) {
    form.addEventListener("change", () => redraw(form));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      redraw(form);
    });
    document.getElementById("export-png").addEventListener("click", savePng);
  }
  draw(JSON.parse(document.getElementById("network-data").textContent));
});
