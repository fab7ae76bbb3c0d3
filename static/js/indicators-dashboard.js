// The indicators dashboard: draws each chart from the figures in the page (Chart.js, served by us) and, when the
// server says over WebSocket that figures changed, asks the open API again and redraws the headline, the progress, the
// tables and the charts without reloading. The tables beside the charts are the accessible source of the figures;
// the page is complete without this script. Text goes in with textContent only.
(function () {
  "use strict";

  // The quarterly report's print button (the report loads this script too).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action='print']");
    if (button) { window.print(); }
  });

  var SERIES = ["turnover", "licensing_contracted", "licensing_received"];
  var COLOURS = { turnover: "#0b4a8b", licensing_contracted: "#b87a00", licensing_received: "#1b6e3a" };
  var FEN_PER_WAN = 1000000;

  // --- Money, rounded exactly as the server rounds it (integer arithmetic, half away from zero) ---------------
  function grouped(whole) { return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function twoDigits(value) { return (value < 10 ? "0" : "") + value; }

  // A figure the small-cell rule hides from the public arrives as null and shows as a dash (indicator_tags).
  var HIDDEN = "\u2014";

  // Table cells, in 万元 with two decimals: indicator_tags.wan.
  function wan(fen) {
    if (fen === null) { return HIDDEN; }
    var hundredths = Math.floor((Math.abs(fen) + 5000) / 10000);
    var sign = fen < 0 && hundredths ? "-" : "";
    return sign + grouped(Math.floor(hundredths / 100)) + "." + twoDigits(hundredths % 100);
  }

  function count(deals) { return deals === null ? HIDDEN : String(deals); }

  // Headline amounts: listing_tags.yuan_wan ('22亿元', '12.35万元', '5,000元').
  function plain(hundredths) {
    var whole = Math.floor(hundredths / 100);
    var decimals = hundredths % 100;
    if (!decimals) { return String(whole); }
    return (whole + "." + twoDigits(decimals)).replace(/0$/, "");
  }
  function money(fen) {
    if (fen === null) { return HIDDEN; }
    var sign = fen < 0 ? "-" : "";
    var amount = Math.abs(fen);
    if (amount >= 10000000000) { return sign + plain(Math.floor((amount + 50000000) / 100000000)) + "亿元"; }
    if (amount >= 1000000) { return sign + plain(Math.floor((amount + 5000) / 10000)) + "万元"; }
    var cents = amount % 100;
    return sign + grouped(Math.floor(amount / 100)) + (cents ? "." + twoDigits(cents) : "") + "元";
  }

  var dataNode = document.getElementById("indicators-data");
  if (!dataNode) { return; }
  var config = JSON.parse(dataNode.textContent);
  var live = document.getElementById("indicators-live");
  var charts = {};

  // --- Charts -----------------------------------------------------------------------------------------------
  function labelOf(row) { return (row.depth ? "\u3000".repeat(row.depth) : "") + row.label; }

  function seriesData(rows, series) {
    // A hidden figure is a gap in the chart, as null is to Chart.js.
    return rows.map(function (row) { return row[series + "_fen"] === null ? null : row[series + "_fen"] / FEN_PER_WAN; });
  }

  function drawChart(id, rows) {
    var canvas = document.getElementById("chart-" + id);
    if (!canvas || !window.Chart) { return; }
    var labels = rows.map(labelOf);
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets.forEach(function (dataset, index) { dataset.data = seriesData(rows, SERIES[index]); });
      charts[id].update();
      return;
    }
    var isTrend = id === "quarter";
    var horizontal = id === "centre";
    charts[id] = new window.Chart(canvas, {
      type: isTrend ? "line" : "bar",
      data: {
        labels: labels,
        datasets: SERIES.map(function (series) {
          return {
            label: config.labels[series],
            data: seriesData(rows, series),
            borderColor: COLOURS[series],
            backgroundColor: COLOURS[series],
            // Each quarter is a point on one line; a hidden quarter is a gap, never bridged (that would
            // suggest a figure the small-cell rule keeps back).
            pointRadius: isTrend ? 3 : undefined,
            spanGaps: false,
            tension: 0.2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom" } },
        scales: horizontal
          ? { x: { title: { display: true, text: config.labels.unit } } }
          : { y: { title: { display: true, text: config.labels.unit } } }
      }
    });
  }

  // --- Tables, the headline and the progress ----------------------------------------------------------------
  function newRow(row) {
    var tr = document.createElement("tr");
    tr.dataset.key = row.key;
    var th = document.createElement("th");
    th.scope = "row";
    th.className = "depth-" + (row.depth || 0);
    th.textContent = row.label;
    tr.appendChild(th);
    ["turnover_fen", "technology_amount_fen", "licensing_contracted_fen", "licensing_received_fen", "deals"].forEach(
      function (field) {
        var td = document.createElement("td");
        td.className = "number";
        td.dataset.field = field;
        tr.appendChild(td);
      }
    );
    return tr;
  }

  function updateTable(by, rows) {
    var table = document.getElementById("table-" + by);
    if (!table) { return; }
    var body = table.tBodies[0];
    rows.forEach(function (row) {
      var tr = null;
      Array.prototype.forEach.call(body.rows, function (candidate) {
        if (candidate.dataset.key === row.key) { tr = candidate; }
      });
      if (!tr) {
        Array.prototype.slice.call(body.rows).forEach(function (candidate) {
          if (candidate.dataset.key === undefined) { candidate.remove(); }  // the "no figures yet" line
        });
        tr = newRow(row);
        body.appendChild(tr);
      }
      var note = document.getElementById("suppressed-note-" + by);
      var reason = "";
      if (row.suppressed && note) {
        reason = row.suppressed_reason === "complement" ? note.dataset.complement : note.dataset.fewDeals;
      }
      tr.classList.toggle("suppressed", Boolean(row.suppressed));
      tr.querySelectorAll("[data-field]").forEach(function (cell) {
        var field = cell.dataset.field;
        cell.textContent = field === "deals" ? count(row.deals) : wan(row[field]);
        // A hidden figure says why it is empty (the note under the table says it in full).
        if (reason) { cell.title = reason; } else { cell.removeAttribute("title"); }
      });
    });
    var tableNote = document.getElementById("suppressed-note-" + by);
    if (tableNote) {
      var anyHidden = rows.some(function (row) { return row.suppressed; });
      tableNote.hidden = !anyHidden;
      if (anyHidden) { table.setAttribute("aria-describedby", tableNote.id); } else { table.removeAttribute("aria-describedby"); }
    }
  }

  function updateHeadline(total) {
    document.querySelectorAll("[data-figure]").forEach(function (node) {
      var field = node.dataset.figure;
      node.textContent = field === "deals" ? count(total.deals) : money(total[field]);
    });
  }

  function updateProgress(items) {
    // The open API gives the province's progress: a page showing a centre's keeps its own.
    if (!config.liveProgress) { return; }
    items.forEach(function (item) {
      var line = document.querySelector("[data-progress='" + item.indicator + "']");
      if (!line) { return; }
      var meter = line.querySelector("meter");
      var percent = line.querySelector("[data-field='percent']");
      if (meter) { meter.value = item.percent === null ? 0 : Math.max(0, Math.min(100, item.percent)); }
      if (percent) { percent.textContent = item.percent === null ? HIDDEN : item.percent.toFixed(1) + "%"; }
      line.querySelector("[data-field='actual_fen']").textContent = money(item.actual_fen);
    });
    var hiddenNote = document.querySelector(".progress-hidden-note");
    if (hiddenNote && items.length) { hiddenNote.hidden = items[0].actual_fen !== null; }
  }

  function draw(current, history) {
    Object.keys(current).forEach(function (by) { drawChart(by, current[by]); });
    drawChart("quarter", history);
  }

  // --- Live updates -------------------------------------------------------------------------------------------
  function withParams(query, extra) { return config.api + "?" + (query ? query + "&" : "") + extra; }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function refresh() {
    // The open API (/api/v1/indicators) takes each grouping as a repeated "by".
    var groupings = Object.keys(config.breakdowns).map(function (by) { return "by=" + by; }).join("&");
    Promise.all([
      getJson(withParams(config.query, groupings)),
      getJson(withParams(config.trendQuery, "by=quarter"))
    ]).then(function (answers) {
      var current = answers[0];
      var history = answers[1].breakdowns.quarter;
      updateHeadline(current.total);
      updateProgress(current.progress);
      Object.keys(current.breakdowns).forEach(function (by) { updateTable(by, current.breakdowns[by]); });
      updateTable("quarter", history);
      draw(current.breakdowns, history);
      if (live) { live.textContent = config.labels.updated; }
    }).catch(function () { /* the next push tries again; the page keeps its figures */ });
  }

  // Many deals may complete in a burst: one refresh per second at most.
  var pending = null;
  function scheduleRefresh() {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; refresh(); }, 1000);
  }

  var retryDelay = 1000;
  var wasOpen = false;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + config.socket);
    socket.onopen = function () {
      retryDelay = 1000;
      if (live) { live.textContent = config.labels.live; }
      // What completed while the socket was down was pushed to nobody: after a reconnection, ask once.
      if (wasOpen) { scheduleRefresh(); }
      wasOpen = true;
    };
    socket.onmessage = scheduleRefresh;
    socket.onclose = function () {
      if (live) { live.textContent = ""; }
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(config.breakdowns, config.trend);
    if ("WebSocket" in window) { connect(); }
  });
})();
