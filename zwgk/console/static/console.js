// Spot-check progress: follow the check's event stream, update the counters as text, and
// reload the page (rendered and escaped by the server) once the check has ended.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("progress");
  if (!box || !window.EventSource) return;
  var status = box.getAttribute("data-status");
  if (status !== "queued" && status !== "running") return;
  var names = { queued: "排队中", running: "进行中", done: "已完成", failed: "失败" };
  var source = new EventSource(box.getAttribute("data-events"));
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    box.setAttribute("data-status", state.status);
    document.getElementById("status").textContent = names[state.status] || state.status;
    document.getElementById("pages").textContent = String(state.pages);
    document.getElementById("articles").textContent = String(state.articles);
    if (state.status === "done" || state.status === "failed") {
      source.close();
      window.location.reload();
    }
  };
  source.onerror = function () {
    source.close();
    window.setTimeout(function () { window.location.reload(); }, 2000);
  };
});
