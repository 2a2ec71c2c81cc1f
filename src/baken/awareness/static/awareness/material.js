/* The intranet block's copy button. Without JavaScript it stays hidden: the block can still be
   selected in its field and copied, or downloaded. Where the clipboard cannot be written the
   text is left selected and the status says to copy it by hand. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) { return; }
    function say(attribute) { status.textContent = button.getAttribute(attribute); }
    function byHand() {
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(copied ? "data-copied" : "data-copy-failed");
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say("data-copied"); }, byHand);
      } else {
        byHand();
      }
    });
  });
})();
