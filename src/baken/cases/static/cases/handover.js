// The hand-over form answers with its package (a zip), so an ordinary submit leaves the page
// as it was: the register without the new entry and the form still filled in, inviting a
// second click. Here the form is sent with fetch: the package is saved, then the page
// reloads with the register up to date. Anything but a package (the page with what is
// missing) is shown by sending the form the ordinary way; nothing was recorded then.
(function () {
  "use strict";

  function fileName(response) {
    var found = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return found ? found[1] : "overdracht.zip";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-download-then-reload")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-download-status]");
    button.disabled = true;
    status.textContent = form.dataset.making;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/zip") !== 0) {
          form.removeAttribute("data-download-then-reload");
          form.submit();
          return;
        }
        return response.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = fileName(response);
          document.body.appendChild(link);
          link.click();
          link.remove();
          status.textContent = form.dataset.done;
          window.setTimeout(function () {
            URL.revokeObjectURL(link.href);
            window.location.reload();
          }, 800);
        });
      })
      .catch(function () {
        button.disabled = false;
        status.textContent = form.dataset.failed;
      });
  });
})();
