/* Suara: small enhancements. Every page works without this file. */
(function () {
  "use strict";
  var body = document.body;

  // The quick exit replaces the current history entry, so Back does not return to the meeting.
  Array.prototype.forEach.call(document.querySelectorAll("a.exit"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.getAttribute("href"));
    });
  });

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

  // Countdowns (speaking time, a suspension): the server says how many seconds were left when
  // it rendered the page; counting from the page's own clock avoids any skew with the server's.
  var countdowns = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
  if (countdowns.length) {
    var rendered = Date.now();
    var show = function (el) {
      var left = parseInt(el.getAttribute("data-countdown"), 10) -
        Math.floor((Date.now() - rendered) / 1000);
      var over = el.getAttribute("data-over");
      if (left < 0 && !over) { left = 0; }
      var abs = Math.abs(left);
      var text = Math.floor(abs / 60) + ":" + ("0" + (abs % 60)).slice(-2);
      el.textContent = left < 0 ? "+" + text : text;
      var box = el.closest(".countdown");
      if (box) { box.classList.toggle("over", left < 0); }
      if (left < 0 && over) { el.setAttribute("title", over); }
    };
    window.setInterval(function () { countdowns.forEach(show); }, 1000);
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
  // The plenary changed (speakers, the current item, a suspension, a motion, attendance): a
  // page showing it reloads, but not under the fingers of someone typing in a field.
  var plenary = document.querySelector("[data-plenary]");
  var typing = function () {
    var el = document.activeElement;
    return el && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) && el.type !== "submit";
  };
  var reloadWhenIdle = function () {
    if (!typing()) { source.close(); window.location.reload(); return; }
    document.addEventListener("focusout", function () {
      window.setTimeout(reloadWhenIdle, 300);
    }, { once: true });
  };
  source.addEventListener("plenary", function () {
    if (plenary) { reloadWhenIdle(); }
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
