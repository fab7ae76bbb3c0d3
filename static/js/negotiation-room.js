// The live negotiation room: messages, offers and status changes appear without reloading.
// Over a WebSocket while it is up; by polling history.json every 5 s while it is down, reconnecting with backoff.
// Every form still posts normally without this script; with it, the message form goes over the socket when the
// socket is up. What the person types is never lost: a message sent over a socket that drops before it is
// confirmed goes back in the box, and the draft is kept for this tab (sessionStorage) until it appears in the
// room, so a failed normal post or a reload does not lose it either.
// User text only ever reaches the page through textContent.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) { return; }
  var data = room.dataset;
  var log = document.getElementById("room-history");
  var unreadBadge = document.getElementById("room-unread");
  var notice = document.getElementById("room-notice");
  var connection = document.getElementById("room-connection");
  var myId = parseInt(data.userId, 10);
  var lastId = parseInt(data.lastId, 10) || 0;
  var baseTitle = document.title;

  var POLL_MS = 5000;
  var MAX_RETRY_MS = 30000;
  var CLOSE_ANONYMOUS = 4401;
  var CLOSE_FORBIDDEN = 4403;

  var socket = null;
  var socketReady = false;
  var refused = false;
  var retryDelay = 1000;
  var pollTimer = null;
  var unread = 0;
  var pendingBody = "";
  var refreshing = false;
  // Regions (offer panel, message form) the person has typed in: never replaced under their fingers.
  var dirty = {};
  var draftKey = "negotiation-draft:" + data.roomUrl;

  function loadDraft() {
    try { return window.sessionStorage.getItem(draftKey) || ""; } catch (error) { return ""; }
  }

  function saveDraft(text) {
    try {
      if (text) { window.sessionStorage.setItem(draftKey, text); } else { window.sessionStorage.removeItem(draftKey); }
    } catch (error) { /* storage refused (private mode, quota): the text stays in the box all the same */ }
  }

  function messageBox() { return document.querySelector("#message-form textarea[name=body]"); }

  // Put text back in the box unless the person has started something else there.
  function restoreText(text) {
    var textarea = messageBox();
    if (!textarea || !text || textarea.value) { return false; }
    textarea.value = text;
    dirty["message-area"] = true;
    return true;
  }

  function shownBodies() {
    return Array.prototype.map.call(log.querySelectorAll(".history-body"), function (node) { return node.textContent; });
  }

  function sideLabel(side) {
    return { buyer: data.sideBuyer, seller: data.sideSeller, broker: data.sideBroker }[side] || "";
  }

  function formatTime(iso) {
    return window.ipMoment ? window.ipMoment(iso) : String(iso || "");
  }

  function setConnection(text) { connection.textContent = text || ""; }

  function showNotice(text, withRefreshButton) {
    notice.textContent = "";
    notice.appendChild(document.createTextNode(text + " "));
    if (withRefreshButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small";
      button.textContent = data.textRefresh;
      button.addEventListener("click", function () {
        dirty = {};
        notice.textContent = "";
        refreshRegions();
      });
      notice.appendChild(button);
    }
  }

  function showError(text) {
    var target = document.getElementById("message-error");
    if (target) { target.textContent = text || ""; } else { showNotice(text || "", false); }
  }

  function showUnread() {
    unreadBadge.textContent = String(unread);
    unreadBadge.hidden = unread === 0;
    document.title = unread > 0 ? "(" + unread + ") " + baseTitle : baseTitle;
  }

  function buildItem(event) {
    var item = document.createElement("li");
    item.className = "history-item history-" + (event.kind || "text") + (event.side ? " side-" + event.side : "");
    item.id = "message-" + event.id;
    item.dataset.id = String(event.id);

    var meta = document.createElement("p");
    meta.className = "history-meta";
    var author = document.createElement("span");
    author.className = "history-author";
    author.textContent = event.author || data.platform;
    meta.appendChild(author);
    if (event.side) {
      meta.appendChild(document.createTextNode(" · "));
      var side = document.createElement("span");
      side.textContent = sideLabel(event.side);
      meta.appendChild(side);
    }
    meta.appendChild(document.createTextNode(" · "));
    var time = document.createElement("time");
    time.dateTime = event.created_at || "";
    time.title = document.body.getAttribute("data-time-zone") || "";
    time.textContent = formatTime(event.created_at);
    meta.appendChild(time);
    item.appendChild(meta);

    var body = document.createElement("p");
    body.className = "history-body";
    body.textContent = event.body || "";
    item.appendChild(body);

    if (event.offer_version) {
      var more = document.createElement("p");
      more.className = "history-meta";
      var link = document.createElement("a");
      link.href = "#offer-v" + encodeURIComponent(String(event.offer_version));
      link.textContent = data.textSeeVersion;
      more.appendChild(link);
      item.appendChild(more);
    }
    return item;
  }

  // Insert in id order: two commits can broadcast out of order. Returns false for one already shown
  // (the socket and a catch-up poll may both deliver it).
  function insert(event) {
    if (!event || typeof event.id !== "number" || document.getElementById("message-" + event.id)) { return false; }
    var empty = document.getElementById("history-empty");
    if (empty) { empty.remove(); }
    var item = buildItem(event);
    var before = null;
    var items = log.querySelectorAll(".history-item[data-id]");
    for (var i = items.length - 1; i >= 0; i -= 1) {
      if (parseInt(items[i].dataset.id, 10) > event.id) { before = items[i]; } else { break; }
    }
    log.insertBefore(item, before);
    lastId = Math.max(lastId, event.id);
    log.scrollTop = log.scrollHeight;
    return true;
  }

  function markRead(upTo) {
    if (socketReady) { socket.send(JSON.stringify({ type: "read", up_to: upTo })); }
    // Without the socket, the next poll marks them read (it sends seen=1 while the page is in front).
  }

  function handleEvent(event) {
    if (!insert(event)) { return; }
    var mine = event.author_id === myId;
    if (mine && event.kind === "text") {
      if (event.body === pendingBody) { pendingBody = ""; }
      if (event.body === loadDraft()) { saveDraft(""); }
    } else if (!mine) {
      if (document.hidden) {
        unread += 1;
        showUnread();
      } else {
        markRead(event.id);
      }
    }
    if (event.kind === "offer" || event.kind === "event") {
      showNotice(event.kind === "offer" ? data.textOffer : data.textStatus, false);
      refreshRegions();
    }
  }

  // Fetch the room page and swap in its live regions (status, offer panel, message form). The HTML comes
  // from our own template, escaped by Django, and DOMParser does not run scripts.
  function refreshRegions() {
    if (refreshing) { return; }
    refreshing = true;
    fetch(data.roomUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var skipped = false;
        document.querySelectorAll("[data-live-region]").forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (!replacement) { return; }
          if (dirty[region.id]) { skipped = true; return; }
          region.replaceWith(document.importNode(replacement, true));
        });
        bindMessageForm();
        if (skipped) { showNotice(data.textTyping, true); }
      })
      .catch(function () { /* the notice stays; reloading the page shows the change */ })
      .then(function () { refreshing = false; });
  }

  function pollOnce() {
    var url = data.historyUrl + "?after=" + encodeURIComponent(String(lastId)) + (document.hidden ? "" : "&seen=1");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 403 || response.status === 404) {
          refused = true;
          stopPolling();
          setConnection(data.textRefused);
        }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body || !Array.isArray(body.messages)) { return; }
        body.messages.forEach(handleEvent);
        if (!document.hidden && typeof body.unread === "number") {
          unread = body.unread;
          showUnread();
        }
      })
      .catch(function () { /* offline: the next poll tries again */ });
  }

  function startPolling() {
    if (pollTimer === null && !refused) { pollTimer = window.setInterval(pollOnce, POLL_MS); }
  }

  function stopPolling() {
    if (pollTimer !== null) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function connect() {
    if (refused) { return; }
    if (!window.WebSocket) {
      setConnection(data.textOffline);
      startPolling();
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + data.socketPath);
    socket.onmessage = function (message) {
      var payload;
      try { payload = JSON.parse(message.data); } catch (error) { return; }
      if (payload.type === "ready") {
        socketReady = true;
        retryDelay = 1000;
        stopPolling();
        setConnection(data.textLive);
        pollOnce(); // catch up with whatever was said while the socket was down
      } else if (payload.type === "room") {
        handleEvent(payload.event);
      } else if (payload.type === "read") {
        unread = document.hidden ? unread : payload.unread || 0;
        showUnread();
      } else if (payload.type === "error") {
        showError(payload.message);
        restoreText(pendingBody);
        pendingBody = "";
      }
    };
    socket.onclose = function (event) {
      socketReady = false;
      socket = null;
      if (event.code === CLOSE_ANONYMOUS || event.code === CLOSE_FORBIDDEN) {
        refused = true;
        stopPolling();
        setConnection(data.textRefused);
        return;
      }
      setConnection(data.textOffline);
      startPolling();
      // A message sent just before the drop may or may not have been saved: ask, and if it is not in the room,
      // give it back (a failed poll counts as not saved: sending twice beats losing it).
      var unconfirmed = pendingBody;
      if (unconfirmed) {
        pollOnce().then(function () {
          if (pendingBody !== unconfirmed) { return; }
          pendingBody = "";
          if (restoreText(unconfirmed)) { showError(data.textNotSent); }
        });
      }
      // Back off, with a little jitter so that a restarted server is not hit by every page at once.
      window.setTimeout(connect, retryDelay + Math.floor(Math.random() * 500));
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    };
  }

  function bindMessageForm() {
    var form = document.getElementById("message-form");
    if (!form || form.dataset.bound) { return; }
    form.dataset.bound = "1";
    form.addEventListener("submit", function (event) {
      var textarea = form.querySelector("textarea[name=body]");
      if (!socketReady || !textarea || !textarea.value.trim()) { return; } // a normal POST, with its form errors
      event.preventDefault();
      pendingBody = textarea.value;
      try {
        socket.send(JSON.stringify({ type: "message", body: textarea.value }));
      } catch (error) {
        showError(data.textSendFailed);
        return;
      }
      textarea.value = "";
      showError("");
      dirty["message-area"] = false;
    });
  }

  document.addEventListener("input", function (event) {
    var region = event.target.closest ? event.target.closest("[data-live-region]") : null;
    if (region) { dirty[region.id] = true; }
    if (event.target === messageBox()) { saveDraft(event.target.value); }
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && unread > 0) {
      markRead(lastId);
      if (!socketReady) { pollOnce(); }
      unread = 0;
      showUnread();
    }
  });

  // A draft from before a reload (or a post that failed) comes back, unless it has meanwhile been said.
  var draft = loadDraft();
  if (draft && shownBodies().indexOf(draft) !== -1) {
    saveDraft("");
  } else if (draft) {
    restoreText(draft);
  }

  bindMessageForm();
  connect();
})();
