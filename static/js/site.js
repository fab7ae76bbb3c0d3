// Behaviour every page may ask for with a data attribute, rather than an inline onchange= or onclick= (the
// Content Security Policy refuses inline handlers: docs/content-security-policy.md). Listening on the document covers elements
// added after the page loaded.
//   data-submit-on-change  a select or checkbox sends its form as soon as it changes (the language switcher, the
//                          finder's filters and sort order); each has a submit button for when this script is off
//   data-print             a button that opens the browser's print dialogue (the contract)
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();
