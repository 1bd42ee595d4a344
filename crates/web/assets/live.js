// Swaps in new dashboard figures sent by the server (Server-Sent Events); the page works without it.
(function () {
  var status = document.getElementById("live-status");
  if (!status || !window.EventSource) return;
  var source = new EventSource(status.getAttribute("data-stream"));
  source.addEventListener("figures", function (e) {
    var current = document.getElementById("live-figures");
    if (!current || !e.data) return;
    var holder = document.createElement("div");
    holder.innerHTML = e.data;
    var next = holder.firstElementChild;
    if (next) current.replaceWith(next);
    status.textContent = (document.documentElement.lang === "en" ? "Live · updated " : "Langsung · diperbarui ") + new Date().toLocaleTimeString();
  });
})();
