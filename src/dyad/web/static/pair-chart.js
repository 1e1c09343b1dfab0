/* dyad pair page: stacked quad classes per month and the mean Goldstein line (plotly.js).
   Data come from the chart element's data-rows attribute: no inline script (CSP). */
(function () {
  var chart = document.getElementById("chart");
  if (!chart || typeof Plotly === "undefined") { return; }
  var rows = JSON.parse(chart.dataset.rows);
  var names = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
  var colours = {1: "#4c78a8", 2: "#54a24b", 3: "#f58518", 4: "#e45756"};
  var months = Array.from(new Set(rows.map(function (r) { return r.month; }))).sort();
  var traces = [1, 2, 3, 4].map(function (q) {
    return {type: "bar", name: names[q], marker: {color: colours[q]}, x: months,
            y: months.map(function (m) { var r = rows.find(function (x) { return x.month === m && x.quad_class === q; }); return r ? r.n : 0; })};
  });
  traces.push({type: "scatter", mode: "lines", name: "mean Goldstein", yaxis: "y2", line: {color: "#333"}, x: months,
               y: months.map(function (m) { var rs = rows.filter(function (x) { return x.month === m; });
                 var n = rs.reduce(function (a, r) { return a + r.n; }, 0);
                 return n ? rs.reduce(function (a, r) { return a + r.goldstein * r.n; }, 0) / n : null; })});
  Plotly.newPlot("chart", traces, {barmode: "stack", margin: {t: 10}, yaxis: {title: "events"},
    yaxis2: {title: "Goldstein", overlaying: "y", side: "right", range: [-10, 10]}, legend: {orientation: "h"}},
    {displayModeBar: false});
})();
