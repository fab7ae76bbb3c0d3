// Behaviour every page may ask for with a data attribute, rather than an inline onchange= or onclick= (the
// Content Security Policy refuses inline handlers: docs/content-security-policy.md). Listening on the document covers elements
// added after the page loaded.
//   data-submit-on-change  a select or checkbox sends its form as soon as it changes (the language switcher, the
//                          finder's filters and sort order); each has a submit button for when this script is off
//   data-print             a button that opens the browser's print dialogue (the contract)
//   data-shown-when="name=a b"  a field shown only while its form's field `name` has the value a or b (the offer
//                          form's royalty fields, the arbitration commission); while hidden it is disabled, so the
//                          form sends nothing from it (deals.forms.ConditionalFieldsForm)
// It also writes moments as the server does (marketplace/core/templatetags/moments.py): window.ipMoment(iso) is
// "2026-12-07 16:30" in the viewer's time zone (<body data-time-zone>), for what live pages add.
(function () {
  "use strict";
  var zone = document.body.getAttribute("data-time-zone") || "Asia/Shanghai";
  var parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
  } catch (error) {  // a zone this browser does not know: its own
    parts = new Intl.DateTimeFormat("en-GB", {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
  }
  window.ipMoment = function (iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return String(iso || ""); }
    var value = {};
    parts.formatToParts(date).forEach(function (part) { value[part.type] = part.value; });
    return value.year + "-" + value.month + "-" + value.day + " " + value.hour + ":" + value.minute;
  };
  function chosenValues(form, name) {
    return Array.prototype.filter.call(form.elements, function (element) {
      if (element.name !== name) { return false; }
      return (element.type === "radio" || element.type === "checkbox") ? element.checked : true;
    }).map(function (element) { return element.value; });
  }

  function showConditionalFields() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-shown-when]"), function (field) {
      if (!field.form) { return; }
      var rule = field.getAttribute("data-shown-when").split("=");
      var wanted = (rule[1] || "").split(" ");
      var shown = chosenValues(field.form, rule[0]).some(function (value) { return wanted.indexOf(value) !== -1; });
      var wrapper = field.closest("[data-field]") || field;
      if (wrapper.hidden === !shown) { return; }
      wrapper.hidden = !shown;
      field.disabled = !shown;
    });
  }

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
    showConditionalFields();
  });
  showConditionalFields();
  // Live pages replace parts of themselves (the negotiation room's offer panel): their new forms start right too.
  new MutationObserver(showConditionalFields).observe(document.body, { childList: true, subtree: true });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();
