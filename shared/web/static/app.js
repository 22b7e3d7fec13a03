// Keep a half-filled form in the browser until the server has it.
// Forms marked data-keep="<key>" are copied to localStorage as the user types
// and restored on the next visit; a page marked data-saved="<key>" clears it.
(function () {
  function restore(form) {
    var saved = localStorage.getItem("dvk:" + form.dataset.keep);
    if (!saved) return;
    var values = JSON.parse(saved);
    Object.keys(values).forEach(function (name) {
      var input = form.elements[name];
      if (input && !input.value && name !== "csrf_token") input.value = values[name];
    });
  }
  function remember(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && input.name !== "csrf_token") values[input.name] = input.value;
    });
    localStorage.setItem("dvk:" + form.dataset.keep, JSON.stringify(values));
  }
  function wire(root) {
    root.querySelectorAll("form[data-keep]").forEach(function (form) {
      if (form.dataset.wired) return;
      form.dataset.wired = "1";
      restore(form);
      form.addEventListener("input", function () { remember(form); });
    });
    root.querySelectorAll("[data-saved]").forEach(function (marker) {
      localStorage.removeItem("dvk:" + marker.dataset.saved);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (e) { wire(e.target); });
})();
