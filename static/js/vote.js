/* The pre-vote's ballot: says while ticking how many points are chosen of the most allowed ("2 av 3 valda"),
   and once that many are ticked, each remaining box says why it cannot be ticked and a try to tick one is
   refused with a polite announcement. The server still refuses a ballot with too many points. Every text
   comes from the page (data-counts, #ballot-full), in the page's language. */
(function () {
  "use strict";
  const box = document.getElementById("point-choices");
  if (!box) { return; }
  const most = Number(box.dataset.max);
  const counts = JSON.parse(box.dataset.counts);
  const count = document.getElementById("ballot-count");
  const full = document.getElementById("ballot-full");
  const live = document.getElementById("ballot-live");
  const boxes = Array.from(box.querySelectorAll("input[type=checkbox]"));

  function ticked() { return boxes.filter(function (input) { return input.checked; }).length; }

  function describe(input, blocked) {
    const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== full.id;
    });
    if (blocked) { ids.push(full.id); }
    input.setAttribute("aria-describedby", ids.join(" "));
    if (blocked) { input.setAttribute("aria-disabled", "true"); } else { input.removeAttribute("aria-disabled"); }
    input.closest("li").classList.toggle("point-blocked", blocked);
  }

  function say(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);  // a repeated text is announced again
  }

  function update() {
    const n = ticked();
    const isFull = n >= most;
    count.textContent = counts[Math.min(n, counts.length - 1)];
    count.dataset.full = isFull ? "true" : "false";
    full.hidden = !isFull;
    boxes.forEach(function (input) { describe(input, isFull && !input.checked); });
    return isFull;
  }

  boxes.forEach(function (input) {
    input.addEventListener("click", function (event) {
      if (input.checked && ticked() > most) {
        event.preventDefault();  // the box stays unticked
        say(counts[most] + ". " + full.textContent.trim());
      }
    });
    input.addEventListener("change", function () {
      const isFull = update();
      say(counts[Math.min(ticked(), counts.length - 1)] + (isFull ? ". " + full.textContent.trim() : ""));
    });
  });
  update();
})();
