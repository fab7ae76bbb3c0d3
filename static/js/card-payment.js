// Card payments: Stripe.js tokenises the card in the browser (the number never reaches our server); the
// form then posts the token and the server charges it.
(function () {
  "use strict";
  if (typeof Stripe === "undefined") { return; }
  document.querySelectorAll(".card-form").forEach(function (form) {
    var stripe = Stripe(form.dataset.publishableKey);
    var card = stripe.elements().create("card");
    card.mount(form.querySelector(".card-element"));
    var errorBox = form.querySelector(".card-error");
    form.addEventListener("submit", function (event) {
      if (form.elements.token.value) { return; }
      event.preventDefault();
      stripe.createToken(card).then(function (result) {
        if (result.error) {
          errorBox.textContent = result.error.message || String(result.error);
          return;
        }
        form.elements.token.value = result.token.id;
        form.submit();
      });
    });
  });
})();
