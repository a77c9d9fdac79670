// The SPARQL query page: runs the query by form POST and draws the results as a table.
// Every value is written with textContent, so nothing from the data runs as markup.
"use strict";

function cellText(term) {
  if (!term) return "";
  if (term.type === "uri") return term.value;
  if (term.datatype && !term.datatype.endsWith("#string")) return term.value;
  return term["xml:lang"] ? `${term.value}@${term["xml:lang"]}` : term.value;
}

function show(results) {
  const head = document.querySelector("#results thead");
  const body = document.querySelector("#results tbody");
  head.replaceChildren();
  body.replaceChildren();
  if (typeof results.boolean === "boolean") {
    const row = body.insertRow();
    row.insertCell().textContent = String(results.boolean);
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
    for (const name of vars) row.insertCell().textContent = cellText(binding[name]);
  }
  return results.results.bindings.length;
}

async function run(event) {
  event.preventDefault();
  const form = event.target;
  const status = document.getElementById("status");
  status.className = "";
  status.textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json" },
      body: new URLSearchParams(new FormData(form)),
    });
    const kind = response.headers.get("content-type") || "";
    if (!response.ok) {
      const problem = kind.includes("json") ? await response.json() : { detail: await response.text() };
      throw new Error(`${response.status}: ${problem.detail || problem.error}`);
    }
    if (!kind.includes("sparql-results+json")) {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      document.querySelector("#results tbody").replaceChildren(pre);
      status.textContent = "graph result";
      return;
    }
    const count = show(await response.json());
    const cap = response.headers.get("X-SPARQL-MaxRows");
    const cut = cap ? ` (cut at the server's limit of ${cap} rows: add LIMIT/OFFSET to page)` : "";
    status.textContent = `${count} row(s) in ${Math.round(performance.now() - started)} ms${cut}`;
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("query-form").addEventListener("submit", run);
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      document.getElementById("query").value = button.dataset.query;
    });
  }
});
