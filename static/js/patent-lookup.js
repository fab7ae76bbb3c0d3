// Fill the new-listing form from the patent the platform already knows, looked up by application number.
(function () {
  "use strict";
  var form = document.getElementById("new-listing");
  if (!form) { return; }
  var numberInput = form.querySelector("[name='patent-application_number']");
  var status = document.getElementById("lookup-status");
  var fields = ["patent_type", "title", "abstract", "first_claim", "ipc_codes", "filing_date", "publication_date",
    "grant_date", "legal_status", "applicant_names", "inventors"];

  function lookup() {
    var value = numberInput.value.trim();
    if (!value) { return; }
    fetch(form.dataset.lookupUrl + "?number=" + encodeURIComponent(value), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.valid) { status.textContent = data.error; return; }
        numberInput.value = data.normalised;
        var typeField = form.querySelector("[name='patent-patent_type']");
        if (typeField) { typeField.value = data.patent_type; }
        if (!data.found) { status.textContent = status.dataset.notFound || ""; return; }
        fields.forEach(function (name) {
          var input = form.querySelector("[name='patent-" + name + "']");
          if (input && data[name] !== undefined) { input.value = data[name]; }
        });
        status.textContent = status.dataset.found || "";
      })
      .catch(function () { status.textContent = ""; });
  }
  numberInput.addEventListener("change", lookup);
})();
