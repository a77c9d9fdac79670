// The SPARQL editor of the /sparql page: CodeMirror 6 with SPARQL highlighting (the
// legacy-modes stream parser) and completion of SPARQL keywords and of the project's
// prefixes, classes and properties (the page hands them over, read from the ontology).
// Built into api/static/vendor/editor/editor.js by `npm run build`; exposes
// window.MkgEditor.create(...).
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const KEYWORDS = [
  "SELECT", "DISTINCT", "REDUCED", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
  "PREFIX", "BASE", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "VALUES", "BIND", "AS", "NOT EXISTS", "EXISTS", "IN", "COUNT", "SUM", "MIN",
  "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES",
  "DATATYPE", "IRI", "BOUND", "COALESCE", "IF", "REGEX", "CONTAINS", "STRSTARTS", "STRENDS",
  "LCASE", "UCASE", "YEAR", "MONTH", "DAY", "ASC", "DESC", "FROM", "FROM NAMED",
];

function declared(state, prefix) {
  return new RegExp(`PREFIX\\s+${prefix}:`, "i").test(state.doc.toString());
}

// Inserts a prefixed name and, when its prefix is not declared yet, the PREFIX line.
function applyTerm(prefixes, prefix) {
  return (view, completion, from, to) => {
    const changes = [{ from, to, insert: completion.label }];
    let shift = 0;
    if (prefixes[prefix] && !declared(view.state, prefix)) {
      const line = `PREFIX ${prefix}: <${prefixes[prefix]}>\n`;
      changes.push({ from: 0, insert: line });
      shift = line.length;
    }
    view.dispatch({
      changes,
      selection: { anchor: from + shift + completion.label.length },
      userEvent: "input.complete",
    });
  };
}

function completions(vocabulary) {
  const prefixes = vocabulary.prefixes || {};
  const terms = vocabulary.terms || [];
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w.-]*:?[\w.-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, word.from - line.from);
    const options = [];
    if (/^\s*PREFIX\s+$/i.test(before)) {
      for (const [prefix, iri] of Object.entries(prefixes)) {
        options.push({ label: `${prefix}:`, apply: `${prefix}: <${iri}>`, type: "namespace", detail: iri });
      }
      return { from: word.from, options };
    }
    if (word.text.includes(":")) {
      const prefix = word.text.split(":")[0];
      for (const term of terms) {
        if (!term.curie.startsWith(`${prefix}:`)) continue;
        options.push({
          label: term.curie,
          type: term.kind === "class" ? "class" : "property",
          detail: term.label || "",
          info: term.comment || undefined,
          apply: applyTerm(prefixes, prefix),
        });
      }
      return { from: word.from, options, validFor: /^[\w.-]*:[\w.-]*$/ };
    }
    for (const [prefix, iri] of Object.entries(prefixes)) {
      options.push({ label: `${prefix}:`, type: "namespace", detail: iri, boost: 1 });
    }
    for (const keyword of KEYWORDS) options.push({ label: keyword, type: "keyword" });
    return { from: word.from, options, validFor: /^[\w.-]*$/ };
  };
}

const THEME = EditorView.theme({
  "&": { minHeight: "16rem", maxHeight: "60vh", fontSize: "0.9rem", backgroundColor: "white" },
  ".cm-scroller": { fontFamily: "ui-monospace, monospace" },
});

// The editor lives in a shadow root of `parent`: there CodeMirror's styles go into
// constructed style sheets, which a Content-Security-Policy of style-src 'self' allows
// (in the document itself it would add <style> elements, which that policy blocks).
function create({ parent, doc, vocabulary, onRun, onChange }) {
  const language = StreamLanguage.define(sparql);
  const root = parent.attachShadow({ mode: "open" });
  const mount = document.createElement("div");
  root.appendChild(mount);
  const view = new EditorView({
    root,
    parent: mount,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }])),
        basicSetup,
        THEME,
        language,
        language.data.of({ autocomplete: completions(vocabulary) }),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}

window.MkgEditor = { create };
