// Live notifications for a signed-in person over WebSocket; the page works without it.
(function () {
  "use strict";
  var toasts = document.getElementById("toasts");
  var badge = document.getElementById("notification-badge");
  var unread = 0;
  var retryDelay = 1000;

  function show(payload) {
    var toast = document.createElement("div");
    toast.className = "toast";
    var text = document.createElement("span");
    text.textContent = payload.message || "";
    toast.appendChild(text);
    if (payload.url) {
      var link = document.createElement("a");
      link.href = payload.url;
      link.textContent = " →";
      toast.appendChild(link);
    }
    toasts.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 8000);
    unread += 1;
    badge.textContent = String(unread);
    badge.hidden = false;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () { retryDelay = 1000; };
    socket.onmessage = function (event) {
      var payload;
      try { payload = JSON.parse(event.data); } catch (error) { return; }
      show(payload);
    };
    socket.onclose = function (event) {
      if (event.code === 4401) { return; }
      // Back off, with a little jitter so that a restarted server (or Redis) is not hit by every page at once.
      setTimeout(connect, retryDelay + Math.floor(Math.random() * 500));
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }
  document.addEventListener("DOMContentLoaded", connect);
})();
