// The landing page's search, as you type: asks the JSON API for organizations, events and
// instruments and draws the hits as the server does without JavaScript. Every value is
// written with textContent or as an encoded URL, so nothing from the data runs as markup.
"use strict";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const DELAY_MS = 150;

function readable(value) {
  if (!value) return "";
  const [year, month, day] = value.split("-");
  if (!month) return year;
  const named = `${MONTHS[Number(month) - 1]} ${year}`;
  return day ? `${Number(day)} ${named}` : named;
}

const KINDS = [
  {
    kind: "organizations",
    title: "Organizations",
    href: (o) => `/viz/organizations/${encodeURIComponent(o.id)}`,
    text: (o) => o.label,
    detail: (o) => [o.acronym !== o.label ? o.acronym : null, o.type],
  },
  {
    kind: "events",
    title: "Events",
    href: (e) => `/id/event/${encodeURIComponent(e.id)}`,
    text: (e) => e.label,
    detail: (e) => [readable(e.start), e.venue],
  },
  {
    kind: "instruments",
    title: "Instruments",
    href: (i) => `/viz/trace?${new URLSearchParams({ instrument: i.symbol })}`,
    text: (i) => i.symbol,
    detail: (i) => [i.label],
  },
];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function group(spec, page, query) {
  const section = element("section", "hit-group");
  section.dataset.kind = spec.kind;
  const heading = element("h3", null, `${spec.title} `);
  heading.appendChild(element("span", "count", String(page.total)));
  section.appendChild(heading);
  if (page.items.length === 0) {
    section.appendChild(element("p", "none", "none"));
    return section;
  }
  const list = element("ul");
  for (const item of page.items) {
    const entry = element("li");
    const link = element("a", null, spec.text(item));
    link.href = spec.href(item);
    entry.appendChild(link);
    entry.appendChild(element("span", "detail", spec.detail(item).filter(Boolean).join(" · ")));
    list.appendChild(entry);
  }
  section.appendChild(list);
  if (page.total > page.items.length) {
    const more = element("p", "more");
    const link = element("a", null, `all ${page.total} as JSON`);
    link.href = `/api/${spec.kind}?${new URLSearchParams({ q: query, limit: 100 })}`;
    more.appendChild(link);
    section.appendChild(more);
  }
  return section;
}

function show(results, query, pages) {
  const found = pages.reduce((sum, page) => sum + page.total, 0);
  const status = element("p", "status");
  status.id = "search-status";
  status.textContent = found
    ? `${found} match${found === 1 ? "" : "es"} for “${query}”`
    : `Nothing matches “${query}”.`;
  const children = [status];
  if (found) {
    const hits = element("div", "hits");
    KINDS.forEach((spec, i) => hits.appendChild(group(spec, pages[i], query)));
    children.push(hits);
  }
  results.replaceChildren(...children);
}

function searcher(input, results) {
  const limit = results.dataset.limit || "8";
  let timer = null;
  let pending = null;

  async function search(query) {
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    const params = new URLSearchParams({ q: query, limit });
    try {
      const pages = await Promise.all(KINDS.map(async (spec) => {
        const response = await fetch(`/api/${spec.kind}?${params}`, {
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) {
          const problem = await response.json().catch(() => ({}));
          throw new Error(problem.detail || `${response.status} from /api/${spec.kind}`);
        }
        return response.json();
      }));
      if (controller === pending) show(results, query, pages);
    } catch (error) {
      if (error.name === "AbortError") return;
      const status = element("p", "status error", `Search failed: ${error.message}`);
      results.replaceChildren(status);
    }
  }

  return () => {
    const query = input.value.trim();
    history.replaceState(null, "", query ? `/?${new URLSearchParams({ q: query })}` : "/");
    clearTimeout(timer);
    if (!query) {
      if (pending) pending.abort();
      pending = null;
      results.replaceChildren();
      return;
    }
    timer = setTimeout(() => search(query), DELAY_MS);
  };
}

document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("q");
  const results = document.getElementById("results");
  if (!input || !results) return;
  input.addEventListener("input", searcher(input, results));
});
