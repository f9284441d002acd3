(function () {
  /* Hover-linking: pointing at a change outlines the same change on the other side. */
  function mark(ev, on) {
    var el = ev.target.closest ? ev.target.closest("[data-k]") : null;
    if (!el) return;
    var all = document.querySelectorAll('[data-k="' + el.getAttribute("data-k") + '"]');
    for (var i = 0; i < all.length; i++) all[i].classList.toggle("u-hl", on);
  }
  document.addEventListener("mouseover", function (ev) { mark(ev, true); });
  document.addEventListener("mouseout", function (ev) { mark(ev, false); });
})();
