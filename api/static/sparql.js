// The SPARQL query page: a CodeMirror editor (api/static/vendor/editor) that completes the
// ontology's prefixes, classes and properties; runs the query by form POST and draws the
// results as a table, IRIs as links to their /id/ pages under their labels; downloads the
// results as CSV, TSV or JSON; keeps the query in the address (?query=), so that a link
// reopens and reruns it. Every value is written with textContent: nothing from the data
// runs as markup.
"use strict";

const FORMATS = {
  csv: ["text/csv", "csv"],
  tsv: ["text/tab-separated-values", "tsv"],
  json: ["application/sparql-results+json", "json"],
};
const MAX_LABELLED = 400;
const IRI_SAFE = /^[^<>"{}|^`\\\s]+$/;

const vocabulary = JSON.parse(document.getElementById("vocabulary").textContent);
let editor = null;

function queryText() {
  return editor ? editor.get() : document.getElementById("query").value;
}

function setQuery(text) {
  document.getElementById("query").value = text;
  if (editor) editor.set(text);
}

function curie(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(vocabulary.prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  if (!best) return iri;
  const rest = iri.slice(best[1].length);
  return /^[\w.-]*$/.test(rest) ? `${best[0]}:${rest}` : iri;
}

function localHref(iri) {
  return iri.startsWith(vocabulary.base) ? `/id/${iri.slice(vocabulary.base.length)}` : iri;
}

function fill(cell, term) {
  if (!term) return;
  if (term.type === "uri") {
    const link = document.createElement("a");
    link.href = localHref(term.value);
    link.className = "term";
    link.dataset.iri = term.value;
    link.textContent = curie(term.value);
    link.title = term.value;
    cell.appendChild(link);
    return;
  }
  if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
    return;
  }
  cell.appendChild(document.createTextNode(term.value));
  const note = term["xml:lang"] ? `@${term["xml:lang"]}`
    : term.datatype && !term.datatype.endsWith("#string") ? curie(term.datatype) : "";
  if (note) {
    const small = document.createElement("span");
    small.className = "datatype";
    small.textContent = note;
    cell.appendChild(small);
  }
}

function show(results) {
  const head = document.querySelector("#results thead");
  const body = document.querySelector("#results tbody");
  head.replaceChildren();
  body.replaceChildren();
  if (typeof results.boolean === "boolean") {
    body.insertRow().insertCell().textContent = String(results.boolean);
    return 1;
  }
  const vars = results.head.vars;
  const header = head.insertRow();
  for (const name of vars) {
    const th = document.createElement("th");
    th.textContent = name;
    header.appendChild(th);
  }
  for (const binding of results.results.bindings) {
    const row = body.insertRow();
    for (const name of vars) fill(row.insertCell(), binding[name]);
  }
  return results.results.bindings.length;
}

async function post(query, accept) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Accept": accept },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) {
    const kind = response.headers.get("content-type") || "";
    const problem = kind.includes("json") ? await response.json() : { detail: await response.text() };
    throw new Error(`${response.status}: ${problem.detail || problem.error}`);
  }
  return response;
}

// Puts the label the graph has for each IRI of the table over its link.
async function label() {
  const links = [...document.querySelectorAll("#results a.term")];
  const iris = [...new Set(links.map((a) => a.dataset.iri))].filter((i) => IRI_SAFE.test(i));
  if (!iris.length) return;
  const values = iris.slice(0, MAX_LABELLED).map((i) => `<${i}>`).join(" ");
  const query = vocabulary.labels.replace("VALUES ?s { }", `VALUES ?s { ${values} }`);
  const found = new Map();
  const answer = await (await post(query, "application/sparql-results+json")).json();
  for (const b of answer.results.bindings) found.set(b.s.value, b.label.value);
  for (const link of links) {
    const name = found.get(link.dataset.iri);
    if (!name) continue;
    const iri = document.createElement("span");
    iri.className = "iri";
    iri.textContent = link.textContent;
    link.textContent = name;
    link.after(iri);
  }
}

async function run(event) {
  if (event) event.preventDefault();
  const status = document.getElementById("status");
  const query = queryText();
  document.getElementById("query").value = query;
  history.replaceState(null, "", `/sparql?query=${encodeURIComponent(query)}`);
  status.className = "";
  status.textContent = "running…";
  const started = performance.now();
  try {
    const response = await post(query, "application/sparql-results+json");
    const kind = response.headers.get("content-type") || "";
    if (!kind.includes("sparql-results+json")) {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      document.querySelector("#results thead").replaceChildren();
      document.querySelector("#results tbody").replaceChildren(pre);
      status.textContent = "graph result";
      return;
    }
    const count = show(await response.json());
    const cap = response.headers.get("X-SPARQL-MaxRows");
    const cut = cap ? ` (cut at the server's limit of ${cap} rows: add LIMIT/OFFSET to page)` : "";
    status.textContent = `${count} row(s) in ${Math.round(performance.now() - started)} ms${cut}`;
    await label().catch(() => {});  // labels are a nicety: the table stands without them
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  }
}

async function download(format) {
  const status = document.getElementById("status");
  const [accept, extension] = FORMATS[format];
  try {
    const blob = await (await post(queryText(), accept)).blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `query-results.${extension}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  if (window.MkgEditor) {
    editor = window.MkgEditor.create({
      parent: document.getElementById("editor"),
      doc: textarea.value,
      vocabulary,
      onRun: () => run(),
      onChange: (text) => { textarea.value = text; },
    });
    form.classList.add("has-editor");
  }
  form.addEventListener("submit", run);
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => setQuery(button.dataset.query));
  }
  for (const button of document.querySelectorAll("button.download")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  document.getElementById("copy-link").addEventListener("click", async () => {
    history.replaceState(null, "", `/sparql?query=${encodeURIComponent(queryText())}`);
    const status = document.getElementById("status");
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = "link copied: opening it runs this query";
    } catch {
      status.textContent = "the address bar holds the link to this query";
    }
  });
  if (form.dataset.run === "yes") run();
});
