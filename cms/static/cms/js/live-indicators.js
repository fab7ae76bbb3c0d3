/*
 * Live indicators block of the home page. Fetches the indicators app's JSON (data-indicators-url) and fills the
 * elements marked data-indicator="<key>" from its "total" object (or from the top level): keys ending in _fen are
 * money in fen, shown in yuan; other numbers as they are. It fetches again whenever the indicators socket
 * (data-indicators-socket) says the figures changed, and every data-refresh-seconds (0: never) as a fallback.
 * Nothing is loaded from another host.
 */
(function () {
  "use strict";
  if (window.cmsLiveIndicators) return;
  window.cmsLiveIndicators = true;

  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang);
  var money = new Intl.NumberFormat(lang, {
    style: "currency",
    currency: "CNY",
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 2,
  });

  function shown(key, value) {
    if (value === null || value === undefined || value === "") return "—";
    if (typeof value === "object") return shown(key, value.display !== undefined ? value.display : value.value);
    if (typeof value !== "number") return String(value);
    return /_fen$/.test(key) ? money.format(value / 100) : numbers.format(value);
  }

  function render(section, data) {
    var figures = data && typeof data.total === "object" && data.total !== null ? data.total : data;
    section.querySelectorAll("[data-indicator]").forEach(function (element) {
      var key = element.dataset.indicator;
      if (figures && Object.prototype.hasOwnProperty.call(figures, key)) {
        element.textContent = shown(key, figures[key]);
      }
    });
  }

  function load(section) {
    var status = section.querySelector("[data-indicators-status]");
    fetch(section.dataset.indicatorsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        render(section, data);
        if (status) status.textContent = "";
      })
      .catch(function () {
        if (status) status.textContent = status.dataset.errorText || "";
      });
  }

  function listen(section, delay) {
    var path = section.dataset.indicatorsSocket;
    if (!path || !("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("message", function () {
      load(section);
    });
    socket.addEventListener("close", function () {
      // Reconnect with a growing pause (up to five minutes), so a restart of the server is picked up.
      var next = Math.min((delay || 2000) * 2, 300000);
      window.setTimeout(function () {
        listen(section, next);
      }, next);
    });
  }

  document.querySelectorAll("[data-indicators-live]").forEach(function (section) {
    load(section);
    listen(section, 0);
    var seconds = parseInt(section.dataset.refreshSeconds || "0", 10);
    if (seconds > 0) {
      window.setInterval(function () {
        if (!document.hidden) load(section);
      }, seconds * 1000);
    }
  });
})();
