(function () {
  "use strict";
  // zwgk report: filters, sortable tables and paged article lists. Everything works on elements
  // the page already holds; nothing is fetched, nothing is parsed as HTML (textContent only).
  var PAGE = 50;
  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function key(cell) { return cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : ""; }

  // --- sortable tables ---------------------------------------------------------------------
  function makeSortable(table) {
    var heads = $all("thead th", table);
    heads.forEach(function (th, index) {
      if (th.hasAttribute("data-nosort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var r = collator.compare(key(a.cells[index]), key(b.cells[index]));
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        if (table.zwgkPager) { table.zwgkPager.render(); }
      });
    });
  }

  // --- paged, filterable article tables -------------------------------------------------------
  function makePaged(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    if (rows.length <= PAGE && !table.hasAttribute("data-filter")) { return; }
    var bar = document.createElement("div");
    bar.className = "pager";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "筛选标题、文号、日期";
    input.setAttribute("aria-label", "筛选本表");
    var prev = document.createElement("button");
    prev.type = "button"; prev.textContent = "上一页";
    var next = document.createElement("button");
    next.type = "button"; next.textContent = "下一页";
    var info = document.createElement("output");
    bar.appendChild(input); bar.appendChild(prev); bar.appendChild(info); bar.appendChild(next);
    table.parentNode.insertBefore(bar, table);
    var page = 0;
    var pager = {
      render: function () {
        var needle = input.value.trim().toLowerCase();
        var body = table.tBodies[0];
        var matching = [];
        Array.prototype.forEach.call(body.rows, function (row) {
          var hit = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
          if (hit) { matching.push(row); } else { row.hidden = true; }
        });
        var pages = Math.max(1, Math.ceil(matching.length / PAGE));
        if (page >= pages) { page = pages - 1; }
        matching.forEach(function (row, i) { row.hidden = Math.floor(i / PAGE) !== page; });
        info.value = "第 " + (page + 1) + " / " + pages + " 页，共 " + matching.length + " 篇";
        info.textContent = info.value;
        prev.disabled = page === 0;
        next.disabled = page >= pages - 1;
      }
    };
    input.addEventListener("input", function () { page = 0; pager.render(); });
    prev.addEventListener("click", function () { page -= 1; pager.render(); });
    next.addEventListener("click", function () { page += 1; pager.render(); });
    table.zwgkPager = pager;
    pager.render();
  }

  // --- the filter bar ----------------------------------------------------------------------
  function setupFilters() {
    var bar = document.getElementById("filters");
    if (!bar) { return; }
    bar.hidden = false;
    var q = document.getElementById("f-q");
    var status = document.getElementById("f-status");
    var unit = document.getElementById("f-unit");
    var onlyNew = document.getElementById("f-new");
    var count = document.getElementById("f-count");
    var items = $all(".item");
    var overview = $all("#overview tbody tr");
    var units = $all(".unit");

    function matches(el) {
      var text = (el.getAttribute("data-text") || "").toLowerCase();
      var needle = q.value.trim().toLowerCase();
      if (needle && text.indexOf(needle) < 0) { return false; }
      if (status.value && el.getAttribute("data-status") !== status.value) { return false; }
      if (unit.value && ("|" + (el.getAttribute("data-units") || "") + "|").indexOf("|" + unit.value + "|") < 0) { return false; }
      if (onlyNew.checked && el.getAttribute("data-new") !== "1") { return false; }
      return true;
    }
    function apply() {
      var shown = 0;
      items.forEach(function (el) { var ok = matches(el); el.hidden = !ok; if (ok) { shown += 1; } });
      overview.forEach(function (el) { el.hidden = !matches(el); });
      units.forEach(function (el) {
        var name = el.getAttribute("data-unit");
        var visible = !unit.value || unit.value === name;
        var rows = $all("tbody tr", el);
        var any = false;
        rows.forEach(function (row) {
          var ok = visible && matches(row);
          row.hidden = !ok;
          if (ok) { any = true; }
        });
        var filtering = q.value.trim() || status.value || onlyNew.checked;
        el.hidden = rows.length ? !any : (!visible || !!filtering);
      });
      count.value = "显示 " + shown + " / " + items.length + " 个事项";
      count.textContent = count.value;
    }
    [q, status, unit, onlyNew].forEach(function (el) {
      el.addEventListener(el === q ? "input" : "change", apply);
    });
    var expand = document.getElementById("f-expand");
    if (expand) {
      expand.addEventListener("click", function () {
        var open = expand.getAttribute("aria-pressed") !== "true";
        $all("details.articles").forEach(function (d) { d.open = open; });
        expand.setAttribute("aria-pressed", open ? "true" : "false");
        expand.textContent = open ? "收起全部文章列表" : "展开全部文章列表";
      });
    }
    apply();
  }

  $all("table.sortable").forEach(makeSortable);
  $all("table.paged").forEach(makePaged);
  setupFilters();
  document.documentElement.setAttribute("data-ready", "1");
}());
