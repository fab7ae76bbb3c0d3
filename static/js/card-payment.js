// Card payments. Stripe.js tokenises a new card in the browser (the number never reaches our server); the form
// is then posted in the background and the server answers where the payment stands. The pay button can be
// pressed once: it stays disabled while the payment is under way, and the page says what is happening. If the
// answer is lost (network, server restart), the page asks the server where the instalment stands instead of
// offering to pay again; the server never starts a second charge while one is under way. Without this script
// the forms post normally.
(function () {
  "use strict";
  var root = document.getElementById("payments");
  if (!root) { return; }
  var text = root.dataset;
  var stripe = typeof Stripe === "undefined" ? null : Stripe(root.dataset.publishableKey);
  var POLL_MS = 2000;
  var POLL_LIMIT_MS = 120000;
  var MESSAGE_KEY = "payment-answer:";

  function rowOf(element) { return element.closest("tr.instalment"); }
  function progressOf(row) { return row.querySelector(".pay-progress"); }
  function say(row, message) { progressOf(row).textContent = message || ""; }

  function lockPayForms(row, locked) {
    row.querySelectorAll(".card-form button[type=submit]").forEach(function (button) { button.disabled = locked; });
    row.classList.toggle("paying", locked);
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function settle(row, answer) {
    // Paid, or the attempt ended: the server's page is the truth. The answer's message is kept for this tab
    // only (another tab of the same session has its own), and shown in the row once the page is back.
    if (answer.paid || !answer.payment || !answer.payment.open) {
      var message = answer.paid && row.dataset.notStarted ? text.textAlreadyPaid : answer.message;
      try {
        window.sessionStorage.setItem(MESSAGE_KEY + row.id, JSON.stringify([answer.level, message]));
      } catch (ignored) { /* storage refused: the page still shows the state */ }
      window.location.reload();
      return true;
    }
    return false;
  }

  function showKeptMessage(row) {
    var kept = null;
    try {
      kept = JSON.parse(window.sessionStorage.getItem(MESSAGE_KEY + row.id) || "null");
      window.sessionStorage.removeItem(MESSAGE_KEY + row.id);
    } catch (ignored) { return; }
    if (!kept) { return; }
    var progress = progressOf(row);
    progress.textContent = kept[1];
    progress.className = "pay-progress message message-" + kept[0];
  }

  function confirmWithBank(row, secret) {
    if (!stripe || !secret) { return Promise.resolve(); }
    say(row, text.textConfirm);
    return stripe.confirmCardPayment(secret).then(function () { return null; }, function () { return null; });
  }

  function watch(row, firstMessage) {
    // Ask the server (which asks the gateway) until the attempt is settled or it is time to stop asking.
    var started = Date.now();
    say(row, firstMessage || text.textChecking);
    lockPayForms(row, true);
    function ask() {
      fetch(row.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (settle(row, answer)) { return; }
          say(row, answer.message);
          if (answer.payment && answer.payment.status === "requires_action" && answer.client_secret) {
            showConfirmButton(row, answer.client_secret);
            return;
          }
          later();
        })
        .catch(later);
    }
    function later() {
      if (Date.now() - started > POLL_LIMIT_MS) { say(row, text.textLater); return; }
      window.setTimeout(ask, POLL_MS);
    }
    ask();
  }

  function showConfirmButton(row, secret) {
    var button = row.querySelector(".confirm-with-bank");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "button confirm-with-bank";
      button.textContent = text.textConfirm;
      progressOf(row).after(button);
      button.addEventListener("click", function () {
        button.disabled = true;
        confirmWithBank(row, button.clientSecret).then(function () { watch(row); });
      });
    }
    // A property, not an attribute: the secret stays out of the page's markup.
    button.clientSecret = secret;
    button.hidden = false;
  }

  function submit(form, row) {
    var body = new FormData(form);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    });
  }

  function pay(form) {
    var row = rowOf(form);
    if (row.classList.contains("paying")) { return; }
    var errorBox = form.querySelector(".card-error");
    errorBox.textContent = "";
    lockPayForms(row, true);
    say(row, text.textPaying);
    var tokenised = form.card
      ? stripe.createToken(form.card).then(function (result) {
          if (result.error) { throw { shown: result.error.message || String(result.error) }; }
          form.elements.token.value = result.token.id;
        })
      : Promise.resolve();
    tokenised
      .then(function () {
        return submit(form, row).catch(function () { throw { lost: true }; });
      })
      .then(function (reply) {
        var answer = reply.answer;
        if (!reply.ok) { throw { shown: answer.message }; }
        // Another tab or click had started this payment: this tab must not claim it paid.
        if (answer.started === false) { row.dataset.notStarted = "1"; }
        if (settle(row, answer)) { return; }
        if (answer.payment.status === "requires_action" && answer.client_secret) {
          return confirmWithBank(row, answer.client_secret).then(function () { watch(row); });
        }
        watch(row, answer.message);
      })
      .catch(function (problem) {
        if (problem && problem.lost) {
          // The request may have reached the server: never offer to pay again before asking it.
          watch(row, text.textLost);
          return;
        }
        if (form.elements.token) { form.elements.token.value = ""; }
        errorBox.textContent = (problem && problem.shown) || String(problem);
        say(row, "");
        lockPayForms(row, false);
      });
  }

  document.querySelectorAll(".card-form").forEach(function (form) {
    if (form.classList.contains("new-card-form")) {
      if (!stripe) { return; }  // no Stripe.js: the card cannot be tokenised here
      form.card = stripe.elements().create("card");
      form.card.mount(form.querySelector(".card-element"));
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pay(form);
    });
  });

  document.querySelectorAll("tr.instalment").forEach(showKeptMessage);
  // An attempt under way when the page was opened (another tab, a lost answer): follow it to its end.
  document.querySelectorAll("tr.instalment[data-watch]").forEach(function (row) { watch(row); });
})();
