// The query page: sends the box's SPARQL to /sparql (so the endpoint's limits and read-only rules apply),
// shows SELECT results as a table, ASK as yes/no, CONSTRUCT/DESCRIBE as Turtle, and errors in words.
// Plain browser JavaScript, no build step; everything it loads comes from this server.
"use strict";
(function () {
  var form = document.getElementById("query-form");
  var box = document.getElementById("query");
  var picker = document.getElementById("example");
  var doc = document.getElementById("example-doc");
  var status = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var results = document.getElementById("results");
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var endpoint = form.getAttribute("data-endpoint") || "/sparql";
  var base = form.getAttribute("data-base") || "";
  var root = form.getAttribute("data-root") || "";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  picker.addEventListener("change", function () {
    var chosen = examples.find(function (e) { return e.name === picker.value; });
    if (!chosen) { doc.textContent = ""; return; }
    box.value = chosen.text;
    var params = Object.keys(chosen.params || {});
    doc.textContent = chosen.answers + (params.length
      ? " Parameters (left unbound here, so the query runs over every match): " +
        params.map(function (p) { return "?" + p + " — " + chosen.params[p]; }).join("; ") + "."
      : "");
  });

  // an IRI of ours that has a page links to it; any other IRI is shown as text
  function termNode(term) {
    if (term.type === "uri") {
      var match = base && term.value.indexOf(base) === 0 ? /^(film|person)\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(term.value.slice(base.length)) : null;
      if (match) {
        var link = el("a", term.value);
        link.href = root + (match[1] === "film" ? "/films/" : "/people/") + match[2];
        return link;
      }
      return el("span", "<" + term.value + ">");
    }
    if (term.type === "bnode") return el("span", "_:" + term.value);
    var span = el("span", term.value);
    if (term["xml:lang"]) span.appendChild(el("span", " @" + term["xml:lang"], "note"));
    else if (term.datatype) span.appendChild(el("span", " ^^" + term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:"), "note"));
    return span;
  }

  function showTable(data) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    var table = el("table", null, "results");
    table.id = "results-table";
    var head = table.createTHead().insertRow();
    vars.forEach(function (v) { head.appendChild(el("th", "?" + v)); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (v) {
        var td = tr.insertCell();
        if (row[v]) td.appendChild(termNode(row[v]));
      });
    });
    results.appendChild(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function run() {
    var text = box.value;
    errorBox.hidden = true;
    errorBox.textContent = "";
    results.textContent = "";
    status.textContent = "Running…";
    var started = performance.now();
    var params = new URLSearchParams();
    params.set("query", text);
    history.replaceState(null, "", "?" + params.toString());
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: params.toString(),
    }).then(function (response) {
      var took = Math.round(performance.now() - started) + " ms";
      var type = response.headers.get("content-type") || "";
      if (!response.ok) {
        return response.text().then(function (body) {
          var message = body;
          try { message = JSON.parse(body).error || body; } catch (e) { /* not JSON: show the text */ }
          status.textContent = "Failed after " + took;
          showError("The query was not run (" + response.status + " " + response.statusText + "): " + message);
        });
      }
      if (type.indexOf("text/turtle") === 0) {
        return response.text().then(function (turtle) {
          results.appendChild(el("pre", turtle, "graph"));
          status.textContent = "A graph, in Turtle, in " + took;
        });
      }
      return response.json().then(function (data) {
        if (typeof data.boolean === "boolean") {
          results.appendChild(el("p", data.boolean ? "Yes (true)" : "No (false)", "boolean"));
          status.textContent = "Answered in " + took;
        } else {
          status.textContent = showTable(data) + " in " + took;
        }
      });
    }).catch(function (err) {
      status.textContent = "";
      showError("The server could not be reached: " + err.message);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  if (new URLSearchParams(location.search).has("query")) run();
})();
