/// The catalog's only script, served at `/assets/catalog.js`: the search box
/// narrows the listed tags as one types. Pages work without it (the search
/// form then filters on the server).
enum CatalogScript {
    static let js = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var box = document.getElementById("q");
          var rows = document.querySelectorAll("tr[data-search]");
          var count = document.getElementById("count");
          if (!box || !rows.length) return;
          function narrow() {
            var words = box.value.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
            var shown = 0;
            rows.forEach(function (row) {
              var text = row.getAttribute("data-search");
              var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
              row.hidden = !hit;
              if (hit) shown += 1;
            });
            if (count) count.textContent = shown + " of " + rows.length + " tags and segments";
          }
          box.addEventListener("input", narrow);
        });
        """
}
