// A bidding round's live page: the ladder, the current price and the countdown follow the server over a
// WebSocket; the bid form goes over the socket while it is up (and posts normally without this script or while
// the socket is down). The server's clock decides: every message carries its time, the countdown runs on the
// offset between this computer's clock and the server's. User text only reaches the page through textContent.
(function () {
  "use strict";
  var root = document.getElementById("auction");
  if (!root) { return; }
  var data = root.dataset;
  var ladderBody = document.querySelector("#auction-ladder tbody");
  var priceNode = document.getElementById("auction-price");
  var minimumNode = document.getElementById("auction-minimum");
  var countdown = document.getElementById("auction-countdown");
  var notice = document.getElementById("auction-notice");
  var connection = document.getElementById("auction-connection");
  var endsNode = document.getElementById("auction-ends");
  var extendedMark = document.getElementById("auction-extended");
  var form = document.getElementById("bid-form");
  var socket = null;
  var ready = false;
  var retryDelay = 1000;
  var offsetMs = 0;
  var targetMs = countdown ? Date.parse(countdown.dataset.target) : NaN;
  var nextRef = 1;

  function setOffset(serverNow) {
    var server = Date.parse(serverNow);
    if (!isNaN(server)) { offsetMs = server - Date.now(); }
  }
  if (countdown) { setOffset(countdown.dataset.serverNow); }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function tick() {
    if (!countdown || isNaN(targetMs)) { return; }
    var left = Math.max(0, targetMs - (Date.now() + offsetMs));
    var seconds = Math.floor(left / 1000);
    var days = Math.floor(seconds / 86400);
    var text = pad(Math.floor(seconds % 86400 / 3600)) + ":" + pad(Math.floor(seconds % 3600 / 60)) + ":" + pad(seconds % 60);
    countdown.textContent = (days ? days + data.textDays + " " : "") + text;
    if (left === 0 && form) { form.hidden = true; }
  }
  window.setInterval(tick, 500);
  tick();

  // A bid's time of day in the viewer's zone (<body data-time-zone>), as the server writes it on the page.
  var timeOfDay = null;
  try {
    timeOfDay = new Intl.DateTimeFormat("en-GB", {
      timeZone: document.body.getAttribute("data-time-zone") || "Asia/Shanghai",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    });
  } catch (error) {
    timeOfDay = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  }
  function placedAt(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? "" : timeOfDay.format(date);
  }

  function row(bid) {
    var tr = document.createElement("tr");
    if (bid.own) { tr.className = "own-bid"; }
    [String(bid.sequence), bid.own ? data.textYou : bid.who, bid.amount, placedAt(bid.placed_at)]
      .forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
    return tr;
  }

  function drawLadder(bids) {
    while (ladderBody.firstChild) { ladderBody.removeChild(ladderBody.firstChild); }
    bids.forEach(function (bid) { ladderBody.appendChild(row(bid)); });
    if (!bids.length) {  // as the server draws an empty ladder: one row that says so
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      tr.className = "empty";
      td.colSpan = 4;
      td.textContent = data.textNoBids;
      tr.appendChild(td);
      ladderBody.appendChild(tr);
    }
  }

  function setMinimum(fen, text) {
    if (minimumNode) { minimumNode.textContent = text; }
    if (form) {
      var amount = form.querySelector("[name=amount_fen]");
      if (amount && document.activeElement !== amount) { amount.value = (fen / 100).toFixed(2); }
    }
  }

  // The end as the server writes it (window.ipMoment, static/js/site.js), marked "extended" once it moved past
  // the announced end: a bid in the last minutes moves it for every page watching.
  function setEnd(iso) {
    var time = endsNode && endsNode.querySelector("time");
    if (!time || !iso || !window.ipMoment) { return; }
    time.setAttribute("datetime", iso);
    time.textContent = window.ipMoment(iso);
    if (extendedMark) { extendedMark.hidden = Date.parse(iso) === Date.parse(endsNode.dataset.announcedEnd); }
  }

  function onState(state) {
    setOffset(state.server_now);
    if (state.phase !== "announced" && state.phase !== "bidding") {
      // The round ended or was decided: the page shows the result as the server renders it.
      if (countdown) { window.location.reload(); }
      return;
    }
    targetMs = Date.parse(state.phase === "announced" ? state.bidding_starts_at : state.ends_at);
    setEnd(state.ends_at);
    if (priceNode) { priceNode.textContent = state.price ? state.price : "—"; }
    setMinimum(state.next_minimum_fen, state.next_minimum);
    drawLadder(state.ladder);
  }

  function onBid(bid, serverNow) {
    setOffset(serverNow);
    var empty = ladderBody.querySelector("tr.empty");
    if (empty) { empty.remove(); }
    ladderBody.insertBefore(row(bid), ladderBody.firstChild);
    if (priceNode) { priceNode.textContent = bid.amount; }
    setMinimum(bid.next_minimum_fen, bid.next_minimum);
    targetMs = Date.parse(bid.ends_at);
    setEnd(bid.ends_at);
    // What the notice said about an earlier bid no longer holds: "your bid is the highest" is wrong once another
    // bidder beat it.
    notice.textContent = bid.extended ? data.textExtended : (bid.own ? data.textAccepted : "");
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + data.socketPath);
    socket.onopen = function () { ready = true; retryDelay = 1000; connection.textContent = data.textLive; };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "state") { onState(message); }
      else if (message.type === "bid") { onBid(message.bid, message.server_now); }
      else if (message.type === "bid.accepted") { notice.textContent = data.textAccepted; }
      else if (message.type === "error") { notice.textContent = message.message; }
    };
    socket.onclose = function (event) {
      ready = false;
      if (event.code === 4404) { return; }
      connection.textContent = data.textOffline;
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }
  connect();

  if (form) {
    form.addEventListener("submit", function (event) {
      if (!ready) { return; }  // the normal post
      var amount = form.querySelector("[name=amount_fen]").value.replace(/,/g, "");
      var fen = Math.round(parseFloat(amount) * 100);
      if (isNaN(fen)) { return; }
      event.preventDefault();
      var bidder = parseInt(form.querySelector("[name=bidder]").value, 10);
      socket.send(JSON.stringify({ type: "bid", bidder: bidder, amount_fen: fen, ref: nextRef++ }));
    });
  }
}());
