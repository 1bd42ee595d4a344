// Progressive enhancement only: the receipt's "Print" button. The page works without it.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});
