/* Suara: small enhancements. Every page works without this file. */
(function () {
  "use strict";
  var body = document.body;

  // Sign out after inactivity: a phone left on a table goes to the neutral exit page.
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 0) {
    var timer = 0;
    var restart = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.replace("/exit"); }, idle * 1000);
    };
    ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
      window.addEventListener(name, restart, { passive: true });
    });
    restart();
  }

  // A ranked ballot checked as it is filled in; the server checks the same on submission.
  var ranked = document.querySelector("fieldset[data-ranked]");
  if (ranked) {
    var problem = document.getElementById("rank-problem");
    var selects = Array.prototype.slice.call(ranked.querySelectorAll("select"));
    var check = function () {
      var message = "";
      var seen = {};
      var gap = false;
      selects.forEach(function (select) {
        var own = "";
        if (select.value === "") { gap = true; }
        else if (gap) { own = ranked.getAttribute("data-gap"); }
        else if (seen[select.value]) { own = ranked.getAttribute("data-duplicate"); }
        seen[select.value] = true;
        select.setCustomValidity(own);
        select.setAttribute("aria-invalid", own ? "true" : "false");
        message = message || own;
      });
      problem.textContent = message;
      problem.hidden = !message;
    };
    selects.forEach(function (select) { select.addEventListener("change", check); });
  }

  // Live updates over Server-Sent Events: new counts in place, a reload when a poll changes.
  // The stream starts where the log stood when the page was rendered, so a change made while
  // the page loaded is not missed; a poll's page skips the changes it already shows, so it
  // does not reload under a chair's finger for the poll they have just opened or closed.
  var congress = body.getAttribute("data-live-congress");
  if (!congress || !window.EventSource) { return; }
  var reloadOn = body.getAttribute("data-reload-on");
  var reloadAll = body.hasAttribute("data-reload-all");
  var stages = { "": 0, "poll.opened": 1, "poll.closed": 2, "result.published": 3 };
  var shown = stages[body.getAttribute("data-shows") || ""] || 0;
  var after = body.getAttribute("data-live-after");
  var format = new Intl.NumberFormat(document.documentElement.lang || "id");
  var url = "/congresses/" + congress + "/events";
  var source = new EventSource(/^\d+$/.test(after || "") ? url + "?after=" + after : url);
  source.addEventListener("turnout", function (event) {
    var data = JSON.parse(event.data);
    if (data.turnout === null) { return; }  // below the minimum group size: the page's text stays
    document.querySelectorAll("[data-turnout='" + data.poll_id + "']").forEach(function (el) {
      el.textContent = format.format(data.turnout);
    });
  });
  ["poll.opened", "poll.closed", "result.published"].forEach(function (name) {
    source.addEventListener(name, function (event) {
      var data = JSON.parse(event.data);
      if (reloadAll || (data.poll_id === reloadOn && stages[name] > shown)) {
        source.close();
        window.location.reload();
      }
    });
  });
})();
