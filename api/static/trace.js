// The trace page: draws a paragraph (or a whole instrument) left to right with vis-network
// and shows the evidence of a clicked node or link in the side panel.
//
// Text from the graph is only ever written with textContent, or given to vis-network as
// plain strings (drawn on the canvas, or set as the tooltip's innerText): labels and quotes
// come from documents and may contain markup, which must stay text.
//
// The layout is computed here, not by physics: columns left to right (instrument,)
// paragraph, addressees and activities, implementers; one horizontal band per paragraph,
// its addressees and activities above the paragraph's row and what implements it from that
// row down, so that no link crosses a box. Positions are fixed and physics stays off.
"use strict";

(function () {
  const FONT_FACE = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const FONT_SIZE = 13;
  const LINE_HEIGHT = 14;
  const MARGIN = 8;
  const MAX_LINES = 3;
  const LABEL_WIDTH = {
    instrument: 130,
    paragraph: 130,
    addressee: 210,
    activity: 210,
    event: 230,
    "implementing-activity": 230,
  };
  const GAP_X = { paragraph: 110, instrument: 90 }; // between columns: room for link labels
  const GAP_Y = 12; // between boxes of a column
  const BAND_GAP = 34; // between paragraphs
  const PAD = 28; // around the drawing
  const MIN_HEIGHT = 240;
  const KIND_NAMES = {
    instrument: "Instrument",
    paragraph: "Paragraph",
    addressee: "Addressee",
    activity: "Mandated activity",
    event: "Implementing event",
    "implementing-activity": "Implementing activity",
  };
  const BASIS_NAMES = {
    stated: "stated in a document",
    curated: "curated",
    inferred: "inferred by the linker",
  };
  const DASHES = { stated: false, curated: [8, 5], inferred: [2, 5] };

  function readJSON(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function link(href, text) {
    // Every href comes from the server as a path on this site; anything else is not a link.
    if (typeof href !== "string" || !href.startsWith("/") || href.startsWith("//")) {
      return el("span", text);
    }
    const a = el("a", text);
    a.href = href;
    return a;
  }

  // ---- the form: the paragraph select follows the instrument select ----

  function wireForm(instruments) {
    const instrumentSelect = document.getElementById("instrument-select");
    const paragraphSelect = document.getElementById("paragraph-select");
    if (!instrumentSelect || !paragraphSelect || !instruments) return;
    instrumentSelect.addEventListener("change", () => {
      const chosen = instruments.find((i) => i.symbol === instrumentSelect.value);
      paragraphSelect.replaceChildren(new Option("All paragraphs", "", true, true));
      for (const p of chosen ? chosen.paragraphs : []) {
        paragraphSelect.appendChild(new Option(p.label, p.number));
      }
    });
  }

  // ---- layout ----

  function splitWord(ctx, word, width) {
    // A word wider than the box breaks after a hyphen or a slash ("IOM-COUNCIL-", "RES-1244"),
    // and only where that is not enough, between characters.
    const pieces = [];
    let piece = "";
    for (const segment of word.split(/(?<=[-/])/)) {
      if (piece && ctx.measureText(piece + segment).width > width) {
        pieces.push(piece);
        piece = "";
      }
      for (const char of segment) {
        if (piece && ctx.measureText(piece + char).width > width) {
          pieces.push(piece);
          piece = "";
        }
        piece += char;
      }
    }
    if (piece) pieces.push(piece);
    return pieces;
  }

  function wrap(ctx, text, width) {
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const attempt = line ? `${line} ${word}` : word;
      if (ctx.measureText(attempt).width <= width) {
        line = attempt;
        continue;
      }
      if (line) lines.push(line);
      const pieces = splitWord(ctx, word, width);
      line = pieces.pop();
      lines.push(...pieces);
    }
    if (line) lines.push(line);
    if (lines.length > MAX_LINES) {
      let last = lines[MAX_LINES - 1];
      while (last && ctx.measureText(`${last}…`).width > width) last = last.slice(0, -1);
      lines.length = MAX_LINES;
      lines[MAX_LINES - 1] = `${last.trimEnd()}…`;
    }
    return lines.length ? lines : [""];
  }

  function layout(data) {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `${FONT_SIZE}px ${FONT_FACE}`;
    const first = data.whole ? 1 : 0;
    const nodes = data.nodes.map((n) => {
      const labelWidth = LABEL_WIDTH[n.kind] || 210;
      // vis-network wraps again at its own measure: leave it a few pixels to spare.
      const lines = wrap(ctx, n.label, labelWidth - 6);
      if (n.start && (n.kind === "event" || n.kind === "implementing-activity")) {
        lines.unshift(n.start);
      }
      return {
        ...n,
        labelWidth,
        lines,
        width: labelWidth + 2 * MARGIN,
        height: lines.length * LINE_HEIGHT + 2 * MARGIN,
      };
    });
    const columnWidth = [];
    for (const n of nodes) columnWidth[n.column] = Math.max(columnWidth[n.column] || 0, n.width);
    const columnX = [];
    let left = 0;
    const gap = data.whole ? GAP_X.instrument : GAP_X.paragraph;
    for (let c = 0; c < columnWidth.length; c += 1) {
      columnX[c] = left + (columnWidth[c] || 0) / 2;
      left += (columnWidth[c] || 0) + gap;
    }
    for (const n of nodes) n.x = columnX[n.column];

    const bands = new Map();
    for (const n of nodes) {
      if (!bands.has(n.band)) bands.set(n.band, []);
      bands.get(n.band).push(n);
    }
    let top = 0;
    let instrument = null;
    for (const band of [...bands.keys()].sort((a, b) => a - b)) {
      const members = bands.get(band);
      const anchorColumn = data.whole && band === 0 ? 0 : first;
      const anchor = members.find((n) => n.column === anchorColumn);
      const parts = members.filter((n) => n.column === first + 1 && n !== anchor);
      const doers = members.filter((n) => n.column === first + 2);
      if (anchor && anchor.kind === "instrument") instrument = anchor;
      if (anchor && anchor.kind === "instrument" && !parts.length && !doers.length) continue;
      let y = top;
      for (const n of parts) {
        n.y = y + n.height / 2;
        y += n.height + GAP_Y;
      }
      const row = y;
      if (anchor) anchor.y = row + (doers.length ? doers[0].height : anchor.height) / 2;
      for (const n of doers) {
        n.y = y + n.height / 2;
        y += n.height + GAP_Y;
      }
      const bottom = anchor ? Math.max(y, anchor.y + anchor.height / 2 + GAP_Y) : y;
      top = bottom + BAND_GAP;
    }
    if (instrument && instrument.y === undefined) {
      // Nothing implements the instrument as a whole: it stands beside its first paragraph.
      const paragraph = nodes.find((n) => n.kind === "paragraph");
      instrument.y = paragraph ? paragraph.y : instrument.height / 2;
    }
    const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
    for (const n of nodes) {
      bounds.minX = Math.min(bounds.minX, n.x - n.width / 2);
      bounds.maxX = Math.max(bounds.maxX, n.x + n.width / 2);
      bounds.minY = Math.min(bounds.minY, n.y - n.height / 2);
      bounds.maxY = Math.max(bounds.maxY, n.y + n.height / 2);
    }
    return { nodes, bounds };
  }

  // ---- the drawing ----

  function nodeStyle(n) {
    const bg = cssVar(`--kind-${n.kind}-bg`);
    const border = cssVar(`--kind-${n.kind}-border`);
    const accent = cssVar("--accent") || "#1f6feb";
    return {
      id: n.id,
      label: n.lines.join("\n"),
      title: `${n.title || n.full_label}\n${KIND_NAMES[n.kind] || n.kind} · click for the evidence`,
      x: n.x,
      y: n.y,
      fixed: true,
      physics: false,
      shape: "box",
      margin: MARGIN,
      // The constraints size the label; vis-network adds the margins around it. Its own
      // wrapping measures narrower than its maximum: the lines here fit, so it is wider.
      widthConstraint: { minimum: n.labelWidth, maximum: n.labelWidth + 60 },
      heightConstraint: { minimum: n.lines.length * LINE_HEIGHT, valign: "middle" },
      font: {
        face: FONT_FACE,
        size: FONT_SIZE,
        color: cssVar(`--kind-${n.kind}-text`),
        align: n.kind === "paragraph" || n.kind === "instrument" ? "center" : "left",
        bold: { face: FONT_FACE },
      },
      color: {
        background: bg,
        border,
        highlight: { background: bg, border: accent },
        hover: { background: bg, border: accent },
      },
      borderWidth: n.kind === "event" || n.kind === "implementing-activity" ? 1.5 : 2,
      borderWidthSelected: 3,
      shapeProperties: { borderRadius: 4 },
    };
  }

  function edgeLabel(e) {
    if (!e.basis) return undefined;
    if (e.basis === "inferred" && typeof e.score === "number") {
      return `inferred ${e.score.toFixed(2)}`;
    }
    return e.basis;
  }

  function arcRoundness(positions, e) {
    // vis-network's "curvedCW" puts the control point of a quadratic curve at
    // from + k·|chord|·(sin g, cos g), g = atan2(rise, run) + kπ, k = (roundness + 1) / 2.
    // The roundness whose control point is level with the target makes the curve arrive
    // horizontally; found by bisection (the level is reached between k = 0.5 and 1).
    const from = positions.get(e.from);
    const to = positions.get(e.to);
    if (!from || !to) return 0.3;
    const run = to.x - from.x;
    const rise = from.y - to.y;
    const theta = Math.atan2(rise, run);
    if (rise <= 0 || theta >= Math.PI / 4) return 0.6;
    const gap = (k) => Math.cos(theta + k * Math.PI) + Math.sin(theta) / k;
    let low = 0.5;
    let high = 1;
    for (let step = 0; step < 40; step += 1) {
      const mid = (low + high) / 2;
      if (gap(mid) > 0) low = mid;
      else high = mid;
    }
    return 2 * ((low + high) / 2) - 1;
  }

  function edgeStyle(e, labels, repeat, positions) {
    const structural = !e.basis;
    const colour = structural ? cssVar("--structure") : cssVar(`--basis-${e.basis}`);
    const background = cssVar("--panel") || "#f6f8fa";
    // Links to addressees and activities rise to boxes stacked above the paragraph: an arc
    // that climbs first and meets its box level from the left passes clear of the boxes
    // below it.
    const rising = e.relation === "addresses" || e.relation === "mandates";
    const smooth = repeat
      ? { enabled: true, type: "curvedCW", roundness: 0.2 * repeat }
      : rising
        ? { enabled: true, type: "curvedCW", roundness: arcRoundness(positions, e) }
        : { enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.75 };
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: edgeLabel(e),
      title: edgeTitle(e, labels),
      dashes: structural ? false : DASHES[e.basis] || false,
      width: structural ? 1.2 : 1.8,
      color: { color: colour, highlight: colour, hover: colour },
      arrows: { to: { enabled: false } },
      font: {
        face: FONT_FACE,
        size: 11,
        color: colour,
        background,
        strokeWidth: 0,
        align: "horizontal",
      },
      smooth,
    };
  }

  function edgeTitle(e, labels) {
    const from = labels.get(e.from) || e.from;
    const to = labels.get(e.to) || e.to;
    const basis = e.basis ? ` (${BASIS_NAMES[e.basis] || e.basis})` : "";
    if (e.relation === "implements") return `${to}\nimplements ${from}${basis}`;
    if (e.relation === "addresses") return `${from} addresses ${to}${basis}`;
    if (e.relation === "mandates") return `${from} mandates\n${to}${basis}`;
    return `${from} has paragraph ${to}`;
  }

  // ---- the panel ----

  function sourceFigure(s) {
    const figure = el("figure", null, "source");
    figure.dataset.document = s.document;
    figure.dataset.start = String(s.char_start);
    figure.dataset.end = String(s.char_end);
    figure.appendChild(el("blockquote", s.evidence, "evidence"));
    const caption = el("figcaption");
    caption.append("Document ", link(s.document_page, s.document));
    caption.append(el("span", `, characters ${s.char_start}–${s.char_end}`, "offsets"));
    if (s.method) caption.append(el("span", ` · method: ${s.method}`, "method"));
    figure.appendChild(caption);
    return figure;
  }

  function sourcesSection(panel, title, sources, empty) {
    panel.appendChild(el("h3", title));
    if (!sources || !sources.length) {
      panel.appendChild(el("p", empty || "No quoted source.", "muted"));
      return;
    }
    for (const s of sources) panel.appendChild(sourceFigure(s));
  }

  function basisBadge(basis) {
    return el("span", basis, `basis basis-${basis}`);
  }

  function facts(panel, rows) {
    const list = el("dl");
    for (const [term, value] of rows) {
      if (value === undefined || value === null || value === "") continue;
      list.appendChild(el("dt", term));
      const dd = el("dd");
      if (value instanceof Node) dd.appendChild(value);
      else dd.textContent = String(value);
      list.appendChild(dd);
    }
    if (list.childElementCount) panel.appendChild(list);
  }

  function linkFacts(panel, e) {
    facts(panel, [
      ["Basis", e.basis ? basisBadge(e.basis) : null],
      ["Score", typeof e.score === "number" ? e.score.toFixed(3) : null],
      ["Rationale", e.rationale],
    ]);
  }

  function dateText(n) {
    if (!n.start) return null;
    return n.end && n.end !== n.start ? `${n.start} – ${n.end}` : n.start;
  }

  function organizerList(organizers) {
    if (!organizers || !organizers.length) return null;
    const list = el("ul", null, "organizers");
    for (const o of organizers) {
      const item = el("li");
      item.appendChild(link(o.page, o.label));
      if (o.acronym && o.acronym !== o.label) item.append(` (${o.acronym})`);
      list.appendChild(item);
    }
    return list;
  }

  class Panel {
    constructor(element, data) {
      this.element = element;
      this.nodes = new Map(data.nodes.map((n) => [n.id, n]));
      this.edges = new Map(data.edges.map((e) => [e.id, e]));
      this.labels = new Map(data.nodes.map((n) => [n.id, n.title || n.full_label]));
      this.whole = Boolean(data.whole);
    }

    start(kind, heading) {
      this.element.replaceChildren(el("p", kind, "kind"), el("h2", heading));
      this.element.scrollTop = 0;
      return this.element;
    }

    incoming(iri, relation) {
      // Into every drawing of the node: one drawn under several paragraphs shows them all.
      return [...this.edges.values()].filter(
        (e) => e.relation === relation && (this.nodes.get(e.to) || {}).iri === iri,
      );
    }

    node(id) {
      const n = this.nodes.get(id);
      if (!n) return;
      const panel = this.start(KIND_NAMES[n.kind] || n.kind, n.title || n.full_label);
      panel.dataset.node = n.id;
      delete panel.dataset.edge;
      if (n.kind === "event") this.event(panel, n);
      else if (n.kind === "paragraph") this.paragraph(panel, n);
      else if (n.kind === "instrument") this.instrument(panel, n);
      else if (n.kind === "implementing-activity") this.implementer(panel, n);
      else this.part(panel, n);
    }

    pageLinks(panel, entries) {
      const links = el("p", null, "links");
      for (const [href, text] of entries) if (href) links.appendChild(link(href, text));
      if (links.childElementCount) panel.appendChild(links);
    }

    implementations(panel, n) {
      for (const e of this.incoming(n.iri, "implements")) {
        const heading = el("h3", `Implements ${this.labels.get(e.from) || e.from} `);
        heading.appendChild(basisBadge(e.basis));
        panel.appendChild(heading);
        linkFacts(panel, { ...e, basis: null });
        if (e.sources.length) for (const s of e.sources) panel.appendChild(sourceFigure(s));
        else panel.appendChild(el("p", "No quoted source for this link.", "muted"));
      }
    }

    event(panel, n) {
      facts(panel, [
        ["Date", dateText(n)],
        ["Venue", n.venue],
        ["Organizers", organizerList(n.organizers)],
      ]);
      const id = n.api ? decodeURIComponent(n.api.split("/").pop()) : null;
      this.pageLinks(panel, [
        [n.api, "The event as JSON (API)"],
        [n.page, "Linked Data page"],
      ]);
      if (id) panel.appendChild(el("p", `id: ${id}`, "muted event-id"));
      this.implementations(panel, n);
      sourcesSection(panel, "Where the event is stated", n.sources);
    }

    implementer(panel, n) {
      facts(panel, [["Date", dateText(n)]]);
      this.pageLinks(panel, [[n.page, "Linked Data page"]]);
      this.implementations(panel, n);
      sourcesSection(panel, "Where it is stated", n.sources);
    }

    paragraph(panel, n) {
      facts(panel, [
        ["Number", n.number],
        ["Kind", n.paragraph_kind],
        ["Verb", n.verb],
      ]);
      this.pageLinks(panel, [
        [this.whole ? n.trace : null, "Trace this paragraph alone"],
        [n.page, "Linked Data page"],
      ]);
      sourcesSection(panel, "The paragraph, as quoted", n.sources);
    }

    instrument(panel, n) {
      facts(panel, [["Symbol", n.full_label]]);
      this.pageLinks(panel, [[n.page, "Linked Data page"]]);
      this.implementations(panel, n);
      sourcesSection(panel, "Where documents cite it", n.sources);
    }

    part(panel, n) {
      const assigned = n.assigned_to && n.assigned_to.length ? n.assigned_to.join("; ") : null;
      facts(panel, [["Assigned to", assigned]]);
      this.pageLinks(panel, [[n.page, "Linked Data page"]]);
      const relation = n.kind === "addressee" ? "addresses" : "mandates";
      for (const e of this.incoming(n.iri, relation)) {
        const heading = el("h3", `${n.kind === "addressee" ? "Addressed by" : "Mandated by"} ${this.labels.get(e.from) || e.from} `);
        heading.appendChild(basisBadge(e.basis));
        panel.appendChild(heading);
        for (const s of e.sources) panel.appendChild(sourceFigure(s));
      }
    }

    edge(id) {
      const e = this.edges.get(id);
      if (!e) return;
      const from = this.labels.get(e.from) || e.from;
      const to = this.labels.get(e.to) || e.to;
      const heading = {
        implements: `${to} implements ${from}`,
        addresses: `${from} addresses ${to}`,
        mandates: `${from} mandates: ${to}`,
        paragraph: `${from} has paragraph ${to}`,
      }[e.relation];
      const panel = this.start("Link", heading || `${from} → ${to}`);
      panel.dataset.edge = e.id;
      delete panel.dataset.node;
      linkFacts(panel, e);
      if (e.relation === "paragraph") {
        panel.appendChild(el("p", "The paragraph is part of the instrument.", "muted"));
        return;
      }
      sourcesSection(panel, "Evidence", e.sources, "No quoted source for this link.");
    }
  }

  // ---- the page ----

  function draw(data) {
    const container = document.getElementById("trace-graph");
    if (!container || !data || typeof vis === "undefined") return;
    const { nodes, bounds } = layout(data);
    const labels = new Map(data.nodes.map((n) => [n.id, n.title || n.full_label]));
    const positions = new Map(nodes.map((n) => [n.id, n]));
    const seen = new Map();
    const edges = data.edges.map((e) => {
      const pair = `${e.from} ${e.to}`;
      const repeat = seen.get(pair) || 0;
      seen.set(pair, repeat + 1);
      return edgeStyle(e, labels, repeat, positions);
    });
    const graphWidth = bounds.maxX - bounds.minX;
    const graphHeight = bounds.maxY - bounds.minY;
    const centre = { x: (bounds.minX + bounds.maxX) / 2, y: (bounds.minY + bounds.maxY) / 2 };
    const fitted = () => {
      const scale = Math.min(1, (container.clientWidth - 2 * PAD) / Math.max(graphWidth, 1));
      return { scale, height: Math.max(MIN_HEIGHT, Math.ceil(graphHeight * scale + 2 * PAD)) };
    };
    let view = fitted();
    container.style.height = `${view.height}px`;
    const network = new vis.Network(
      container,
      { nodes: new vis.DataSet(nodes.map(nodeStyle)), edges: new vis.DataSet(edges) },
      {
        autoResize: true,
        physics: { enabled: false },
        layout: { hierarchical: { enabled: false }, improvedLayout: false, randomSeed: 1 },
        interaction: {
          dragNodes: false,
          dragView: false,
          zoomView: false,
          hover: true,
          selectConnectedEdges: false,
          hoverConnectedEdges: false,
          tooltipDelay: 200,
        },
      },
    );
    const place = () => network.moveTo({ position: centre, scale: view.scale, animation: false });
    place();
    let drawn = false;
    network.on("afterDrawing", () => {
      if (drawn) return;
      drawn = true;
      window.traceTiming = { usable: performance.now() };
      window.traceReady = true;
      container.dataset.state = "ready";
    });
    const panel = new Panel(document.getElementById("trace-panel"), data);
    // What the panel shows lives in the address (?node= or ?link=, beside the form's
    // instrument and paragraph), so a reload or a shared link opens the same view.
    const remember = (name, value) => {
      const params = new URLSearchParams(window.location.search);
      params.delete("node");
      params.delete("link");
      if (value) params.set(name, value);
      history.replaceState(null, "", `${window.location.pathname}?${params}`);
    };
    network.on("click", (params) => {
      if (params.nodes.length) {
        panel.node(params.nodes[0]);
        remember("node", params.nodes[0]);
      } else if (params.edges.length) {
        panel.edge(params.edges[0]);
        remember("link", params.edges[0]);
      }
    });
    const asked = new URLSearchParams(window.location.search);
    const node = asked.get("node");
    const edge = asked.get("link");
    if (node && data.nodes.some((n) => n.id === node)) {
      network.selectNodes([node]);
      panel.node(node);
    } else if (edge && data.edges.some((e) => e.id === edge)) {
      network.selectEdges([edge]);
      panel.edge(edge);
    }
    network.on("hoverNode", () => { container.style.cursor = "pointer"; });
    network.on("hoverEdge", () => { container.style.cursor = "pointer"; });
    network.on("blurNode", () => { container.style.cursor = ""; });
    network.on("blurEdge", () => { container.style.cursor = ""; });
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(() => {
        view = fitted();
        container.style.height = `${view.height}px`;
        network.setSize("100%", `${view.height}px`);
        place();
      }, 100);
    });
    window.traceNetwork = network;
  }

  wireForm(readJSON("trace-instruments"));
  draw(readJSON("trace-data"));
})();
