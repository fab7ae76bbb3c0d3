// Behaviour every page may ask for with a data attribute, rather than an inline onchange= or onclick= (the
// Content Security Policy refuses inline handlers: docs/content-security-policy.md). Listening on the document covers elements
// added after the page loaded.
//   data-submit-on-change  a select or checkbox sends its form as soon as it changes (the language switcher, the
//                          finder's filters and sort order); each has a submit button for when this script is off
//   data-print             a button that opens the browser's print dialogue (the contract)
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
