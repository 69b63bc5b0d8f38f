// Hands the bridge's result to the broker page that opened this window, then closes it.
// The target origin is the allowed broker origin the server put in data-origin, never "*"
// (HTML Living Standard, window.postMessage: targetOrigin).
(function () {
  "use strict";
  var closer = document.getElementById("close-window");
  if (closer) {
    closer.addEventListener("click", function () { window.close(); });
  }
  var element = document.getElementById("reader-message");
  if (!element) {
    return;
  }
  var origin = element.getAttribute("data-origin");
  var message = JSON.parse(element.getAttribute("data-message"));
  if (!origin || origin === "*" || !window.opener || window.opener.closed) {
    return;  // opened by hand: the page itself says what happened
  }
  window.opener.postMessage(message, origin);
  if (element.getAttribute("data-close") === "true") {
    window.close();
  }
})();
