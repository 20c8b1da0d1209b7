// Optional help for ranked ballots: a candidate chosen at one rank is greyed out at the
// others. The ballot works the same without this file; the server checks everything.
(function () {
  "use strict";
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-rank]"));
  function refresh() {
    var chosen = selects.map(function (s) { return s.value; });
    selects.forEach(function (select, i) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.disabled = option.value !== "" && chosen.indexOf(option.value) !== -1 &&
          chosen[i] !== option.value;
      });
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", refresh); });
  refresh();
})();
