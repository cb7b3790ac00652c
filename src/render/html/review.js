// Keyboard and button navigation between portions that redact something, and the sortable,
// paged table of documents.
(function () {
  "use strict";
  var stops = Array.prototype.slice.call(document.querySelectorAll(".portion.stop"));
  var status = document.getElementById("where");
  var at = -1;
  function go(step) {
    if (!stops.length) {
      if (status) { status.textContent = "Nothing is redacted here."; }
      return;
    }
    var focused = stops.indexOf(document.activeElement);
    if (focused >= 0) { at = focused; }
    at = (at + step + stops.length) % stops.length;
    stops[at].focus({ preventScroll: true });
    stops[at].scrollIntoView({ block: "center" });
    if (status) { status.textContent = "Redaction " + (at + 1) + " of " + stops.length; }
  }
  document.querySelectorAll("button[data-step]").forEach(function (button) {
    button.addEventListener("click", function () { go(Number(button.getAttribute("data-step"))); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, summary")) { return; }
    if (event.key === "n" || event.key === "j") { go(1); event.preventDefault(); }
    if (event.key === "p" || event.key === "k") { go(-1); event.preventDefault(); }
  });
  // The documents table: rows come from its JSON data, sorted by the column chosen and shown
  // a page at a time; cells are filled with text, never parsed as markup.
  var table = document.querySelector("table.sortable");
  var data = document.getElementById("documents-data");
  if (table && data) {
    var rows = JSON.parse(data.textContent);
    var size = Number(table.getAttribute("data-page")) || rows.length;
    var page = 0;
    var all = false;
    var keys = [
      function (r) { return r.number; },
      function (r) { return r.id || r.name; },
      function (r) { return r.dated || ""; },
      function (r) { return r.marked_key; },
      function (r) { return r.outcome_key; },
      function (r) { return r.redacted; },
      function (r) { return r.labels; }
    ];
    var collator = new Intl.Collator(undefined, { numeric: true });
    var cell = function (row, text, key) {
      var td = row.insertCell();
      td.setAttribute("data-key", String(key));
      if (text !== null) { td.textContent = text; }
      return td;
    };
    var show = function () {
      var body = document.createElement("tbody");
      var first = all ? 0 : page * size;
      var last = all ? rows.length : Math.min(rows.length, first + size);
      for (var i = first; i < last; i++) {
        var r = rows[i];
        var tr = body.insertRow();
        cell(tr, String(r.number), r.number);
        var name = cell(tr, null, r.id || r.name);
        var link = document.createElement("a");
        link.href = r.href;
        link.textContent = r.id || "(no id)";
        var small = document.createElement("small");
        small.textContent = r.name;
        name.append(link, document.createElement("br"), small);
        cell(tr, r.dated || "unknown", r.dated || "");
        cell(tr, r.marked, r.marked_key);
        var outcome = document.createElement("span");
        outcome.className = "outcome " + r.outcome_class;
        outcome.textContent = r.outcome;
        cell(tr, null, r.outcome_key).append(outcome);
        cell(tr, r.redacted + " of " + r.portions, r.redacted);
        cell(tr, r.labels, r.labels);
      }
      table.replaceChild(body, table.tBodies[0]);
      var status = document.querySelector(".pager-status");
      if (status) { status.textContent = "Documents " + (rows.length ? first + 1 : 0) + "–" + last + " of " + rows.length; }
    };
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headings.forEach(function (heading, column) {
      heading.querySelector("button").addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        headings.forEach(function (h) { h.removeAttribute("aria-sort"); });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = keys[column](a), y = keys[column](b);
          var order = typeof x === "number" ? x - y : collator.compare(x, y);
          order = order || a.number - b.number;
          return ascending ? order : -order;
        });
        page = 0;
        show();
      });
    });
    document.querySelectorAll("button[data-page-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        var step = button.getAttribute("data-page-step");
        var pages = Math.max(1, Math.ceil(rows.length / size));
        if (step === "all") { all = true; } else { all = false; page = (page + Number(step) + pages) % pages; }
        show();
      });
    });
  }
  document.documentElement.setAttribute("data-ready", "true");
})();
