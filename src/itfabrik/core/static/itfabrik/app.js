// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", function (event) {
  // After a filtered list is swapped in, tell screen-reader users how many rows it has now.
  var status = document.getElementById("list-status");
  var summary = event.target.querySelector("[data-summary]");
  if (status && summary) {
    status.textContent = summary.getAttribute("data-summary");
  }
});
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form && !window.htmx) {
    el.form.submit();
  }
});
